using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace ReasonTools.Core.Inference;

/// <summary>
/// The one call behind <c>reason run</c> and <c>Invoke-Reason</c>: load a model, answer one invocation, free
/// the model. Everything arrives as one ordered stream, so a front can marshal it to its own thread.
/// </summary>
public static class ReasonService
{
    public static async IAsyncEnumerable<ReasonUpdate> StreamAsync(ReasonInvocation invocation,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (invocation.Task == ReasonTask.General)
            _ = PromptComposer.Compose(invocation.Question, invocation.Documents); // refuse an empty prompt before loading
        var loadUpdates = Channel.CreateUnbounded<ReasonUpdate>();
        var progress = new ChannelProgress(loadUpdates.Writer);
        var loading = ReasonEngine.LoadAsync(invocation.Model, invocation.Engine, progress, cancellationToken);
        _ = loading.ContinueWith(_ => loadUpdates.Writer.TryComplete(), TaskScheduler.Default);
        await foreach (var update in loadUpdates.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            yield return update;
        using var engine = await loading.ConfigureAwait(false);
        var request = invocation.Sampling with { Prompt = BuildPrompt(invocation, engine.CountTokens) };
        await foreach (var update in engine.StreamAsync(request, cancellationToken).ConfigureAwait(false))
            yield return update;
    }

    /// <summary>Runs to completion, calling <paramref name="onUpdate"/> for each update (on a worker thread).</summary>
    public static async Task<ReasonResult> RunAsync(ReasonInvocation invocation, Action<ReasonUpdate>? onUpdate = null,
        CancellationToken cancellationToken = default)
    {
        ReasonResult? result = null;
        await foreach (var update in StreamAsync(invocation, cancellationToken).ConfigureAwait(false))
        {
            onUpdate?.Invoke(update);
            if (update.Kind == ReasonUpdateKind.Completed) result = update.Result;
        }
        return result ?? throw new InvalidOperationException("The generation ended without a result.");
    }

    /// <summary>The exact prompt a run would give the model, without loading its weights.</summary>
    public static string PreviewPrompt(ReasonInvocation invocation)
    {
        var file = Gguf.GgufReader.Read(Path.GetFullPath(invocation.Model));
        var request = invocation.Sampling with { Prompt = BuildPrompt(invocation, ApproximateTokens) };
        return ReasonEngine.FormatPrompt(file.ChatTemplate, request);
    }

    /// <summary>The user message for an invocation; <paramref name="countTokens"/> measures with the model's tokenizer.</summary>
    internal static string BuildPrompt(ReasonInvocation invocation, Func<string, int> countTokens) => invocation.Task switch
    {
        ReasonTask.General => PromptComposer.Compose(invocation.Question, invocation.Documents),
        _ => throw new NotSupportedException($"Task {invocation.Task} is not available in this build."),
    };

    // Without the model's tokenizer: about 4 characters a token (for previews only).
    private static int ApproximateTokens(string text) => (text.Length + 3) / 4;

    // IProgress<T> without a SynchronizationContext: reports go straight into the ordered stream.
    private sealed class ChannelProgress(ChannelWriter<ReasonUpdate> writer) : IProgress<LoadProgress>
    {
        public void Report(LoadProgress value) =>
            writer.TryWrite(new ReasonUpdate(ReasonUpdateKind.LoadProgress) { Progress = value.Fraction });
    }
}
