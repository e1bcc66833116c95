using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace ReasonTools.Core.Inference;

/// <summary>
/// The one call behind <c>reason run</c> and <c>Invoke-Reason</c>: load a model, answer one request, free
/// the model. Everything arrives as one ordered stream, so a front can marshal it to its own thread.
/// </summary>
public static class ReasonService
{
    public static async IAsyncEnumerable<ReasonUpdate> StreamAsync(string modelPath, EngineOptions engineOptions, ReasonRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(request.Prompt))
            throw new ArgumentException("The prompt is empty: give a question or pipe some text in.", nameof(request));
        var loadUpdates = Channel.CreateUnbounded<ReasonUpdate>();
        var progress = new ChannelProgress(loadUpdates.Writer);
        var loading = ReasonEngine.LoadAsync(modelPath, engineOptions, progress, cancellationToken);
        _ = loading.ContinueWith(_ => loadUpdates.Writer.TryComplete(), TaskScheduler.Default);
        await foreach (var update in loadUpdates.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            yield return update;
        using var engine = await loading.ConfigureAwait(false);
        await foreach (var update in engine.StreamAsync(request, cancellationToken).ConfigureAwait(false))
            yield return update;
    }

    /// <summary>Runs to completion, calling <paramref name="onUpdate"/> for each update (on a worker thread).</summary>
    public static async Task<ReasonResult> RunAsync(string modelPath, EngineOptions engineOptions, ReasonRequest request,
        Action<ReasonUpdate>? onUpdate = null, CancellationToken cancellationToken = default)
    {
        ReasonResult? result = null;
        await foreach (var update in StreamAsync(modelPath, engineOptions, request, cancellationToken).ConfigureAwait(false))
        {
            onUpdate?.Invoke(update);
            if (update.Kind == ReasonUpdateKind.Completed) result = update.Result;
        }
        return result ?? throw new InvalidOperationException("The generation ended without a result.");
    }

    // IProgress<T> without a SynchronizationContext: reports go straight into the ordered stream.
    private sealed class ChannelProgress(ChannelWriter<ReasonUpdate> writer) : IProgress<LoadProgress>
    {
        public void Report(LoadProgress value) =>
            writer.TryWrite(new ReasonUpdate(ReasonUpdateKind.LoadProgress) { Progress = value.Fraction });
    }
}
