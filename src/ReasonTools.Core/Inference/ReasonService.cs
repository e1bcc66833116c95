using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using ReasonTools.Core.Logs;

namespace ReasonTools.Core.Inference;

/// <summary>
/// The one call behind <c>reason run</c> and <c>Invoke-Reason</c>: load a model, answer one invocation, free
/// the model. Everything arrives as one ordered stream, so a front can marshal it to its own thread.
/// A log that does not fit the context is analysed in parts, then the findings are reasoned over (map, reduce).
/// </summary>
public static class ReasonService
{
    /// <summary>Largest file or stream read whole into a general prompt; a bigger one is a log's work.</summary>
    public const long MaxDocumentBytes = 16 * 1024 * 1024;

    public static async IAsyncEnumerable<ReasonUpdate> StreamAsync(ReasonInvocation invocation,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Gather and check the input before a single byte of weights is loaded.
        LogReduction? log = null;
        string? generalPrompt = null;
        if (invocation.Task == ReasonTask.LogAnalysis) log = await ReduceLogAsync(invocation, cancellationToken).ConfigureAwait(false);
        else generalPrompt = PromptComposer.Compose(invocation.Question, await ReadDocumentsAsync(invocation, cancellationToken).ConfigureAwait(false));

        var loadUpdates = Channel.CreateUnbounded<ReasonUpdate>();
        var loading = ModelOpener.OpenAsync(invocation.Model, invocation.Engine, invocation.KeepAlive, new ChannelProgress(loadUpdates.Writer), cancellationToken);
        _ = loading.ContinueWith(_ => loadUpdates.Writer.TryComplete(), TaskScheduler.Default);
        await foreach (var update in loadUpdates.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            yield return update;
        using var model = await loading.ConfigureAwait(false);
        if (model is Hosting.ModelLease lease) yield return new ReasonUpdate(ReasonUpdateKind.ModelReady) { Loaded = LoadedModel.Of(lease) };

        if (log is null)
        {
            var history = invocation.Continue is { } previous ? Conversation.After(previous) : invocation.Sampling.History;
            await foreach (var update in model.StreamAsync(invocation.Sampling with { Prompt = generalPrompt!, History = history }, cancellationToken).ConfigureAwait(false))
                yield return update;
            yield break;
        }

        var plan = LogAnalysisPlan.Create(log, LogOptions(invocation), model.CountTokens);
        if (!plan.IsChunked)
        {
            await foreach (var update in model.StreamAsync(invocation.Sampling with { Prompt = plan.Single!.Text }, cancellationToken).ConfigureAwait(false))
                yield return update;
            yield break;
        }

        // Map: each part of the log on its own; only the answers (not the chains) go into the reduce prompt.
        var answers = new List<string>();
        for (var i = 0; i < plan.Chunks.Count; i++)
        {
            yield return new ReasonUpdate(ReasonUpdateKind.Stage) { Text = $"analysing part {i + 1} of {plan.Chunks.Count} of the log", Progress = (double)i / (plan.Chunks.Count + 1) };
            ReasonResult? part = null;
            await foreach (var update in model.StreamAsync(invocation.Sampling with { Prompt = plan.Chunks[i].Text, MaxTokens = plan.AnswerTokens }, cancellationToken).ConfigureAwait(false))
                if (update.Kind == ReasonUpdateKind.Completed) part = update.Result;
            if (part!.FinishReason == FinishReason.Cancelled)
            {
                yield return new ReasonUpdate(ReasonUpdateKind.Completed) { Result = part };
                yield break;
            }
            answers.Add(part.Answer.Length > 0 ? part.Answer : part.Thinking);
        }
        yield return new ReasonUpdate(ReasonUpdateKind.Stage) { Text = "reasoning over the findings of every part", Progress = (double)plan.Chunks.Count / (plan.Chunks.Count + 1) };
        var reduce = plan.BuildReducePrompt(answers);
        await foreach (var update in model.StreamAsync(invocation.Sampling with { Prompt = reduce.Text }, cancellationToken).ConfigureAwait(false))
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

    /// <summary>
    /// The exact prompt a run would give the model, without loading its weights (token counts of a log prompt
    /// are then estimated at four characters a token). A log that needs several parts shows the first part and
    /// the shape of the final prompt.
    /// </summary>
    public static async Task<string> PreviewPromptAsync(ReasonInvocation invocation, CancellationToken cancellationToken = default)
    {
        var template = ModelOpener.ChatTemplate(invocation.Model);
        string user;
        if (invocation.Task == ReasonTask.LogAnalysis)
        {
            var plan = LogAnalysisPlan.Create(await ReduceLogAsync(invocation, cancellationToken).ConfigureAwait(false), LogOptions(invocation), ApproximateTokens);
            if (!plan.IsChunked) user = plan.Single!.Text;
            else
                return $"The log is analysed in {plan.Chunks.Count} parts, then the findings are combined.\n\n--- part 1 of {plan.Chunks.Count} ---\n" +
                       ReasonEngine.FormatPrompt(template, invocation.Sampling with { Prompt = plan.Chunks[0].Text }) +
                       "\n\n--- final prompt ---\n" + ReasonEngine.FormatPrompt(template, invocation.Sampling with { Prompt = plan.ReducePromptPreview() });
        }
        else user = PromptComposer.Compose(invocation.Question, await ReadDocumentsAsync(invocation, cancellationToken).ConfigureAwait(false));
        return ReasonEngine.FormatPrompt(template, invocation.Sampling with { Prompt = user });
    }

    private static LogPromptOptions LogOptions(ReasonInvocation invocation)
    {
        var context = invocation.Engine.ContextSize;
        // The chat template's own tokens come on top of the user message: keep a small margin for them.
        var reserve = Math.Min(context - 64, (invocation.Sampling.MaxTokens ?? context / 2) + 32);
        return new LogPromptOptions { Question = invocation.Question, TokenBudget = context, ReserveForAnswer = Math.Max(1, reserve) };
    }

    private static async Task<LogReduction> ReduceLogAsync(ReasonInvocation invocation, CancellationToken ct)
    {
        var sources = new List<LogSource>();
        sources.AddRange(invocation.Documents.Select(d => LogSource.FromText(d.Name, d.Text)));
        sources.AddRange(LogSource.FromPaths(invocation.Files));
        sources.AddRange(invocation.Streams.Select(s => LogSource.FromStream(s.Name, s.Stream)));
        if (sources.Count == 0) throw new ReasonFailure(FailureKind.BadInput, w => $"No log given: pipe a log in, or give files ({w.Setting(SettingNames.Files)}).") { Setting = SettingNames.Files };
        var reducer = new LogReducer();
        var failures = await LogReader.ReadIntoAsync(reducer, sources, cancellationToken: ct).ConfigureAwait(false);
        var reduction = reducer.Complete();
        if (failures.Count == sources.Count)
            throw new ReasonFailure(FailureKind.BadInput, "No log could be read: " + string.Join("; ", failures.Select(f => f.Message))) { Setting = SettingNames.Files };
        return reduction;
    }

    internal static ReasonFailure TooLarge(Func<IFailureWording, string> describe) => new(FailureKind.BadInput, describe)
    {
        Setting = SettingNames.Files,
        RequiredBytes = MaxDocumentBytes,
        NextSteps = [new NextStep(NextStepKind.UseLogAnalysis), new NextStep(NextStepKind.ShortenInput)],
    };

    private static async Task<IReadOnlyList<PromptDocument>> ReadDocumentsAsync(ReasonInvocation invocation, CancellationToken ct)
    {
        var documents = new List<PromptDocument>(invocation.Documents);
        foreach (var path in invocation.Files)
        {
            var info = new FileInfo(path);
            if (!info.Exists) throw new ReasonFailure(FailureKind.BadInput, $"File not found: {path}") { Setting = SettingNames.Files };
            if (info.Length > MaxDocumentBytes)
                throw TooLarge(w => $"{path} is {info.Length:N0} bytes, too large to put in a prompt (limit {MaxDocumentBytes:N0}). For a log, use the log analysis task ({w.LogAnalysisTask}), which reduces any size.");
            documents.Add(TextOnly(new PromptDocument(info.Name, InputFiles.ReadAllText(path, MaxDocumentBytes))));
        }
        foreach (var (name, stream) in invocation.Streams)
        {
            var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int n;
            while ((n = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + n > MaxDocumentBytes)
                    throw TooLarge(w => $"{name} is over {MaxDocumentBytes:N0} bytes, too large to put in a prompt. For a log, use the log analysis task ({w.LogAnalysisTask}).");
                buffer.Write(chunk, 0, n);
            }
            documents.Add(TextOnly(new PromptDocument(name, new UTF8Encoding(false).GetString(buffer.GetBuffer(), 0, (int)buffer.Length))));
        }
        return documents;
    }

    /// <summary>Binary data would reach the model as raw control characters: a document that holds any is refused, saying where.</summary>
    private static PromptDocument TextOnly(PromptDocument document)
    {
        var at = BinaryText.Start(document.Text, out _);
        if (at < 0) return document;
        // Without a whole line of text before it, the document is binary (an executable, an image), not text gone wrong.
        var where = !document.Text.AsSpan(0, at).Contains('\n') ? "is binary data" : $"turns to binary data after {Encoding.UTF8.GetByteCount(document.Text.AsSpan(0, at)):N0} bytes of text";
        throw new ReasonFailure(FailureKind.BadInput, w =>
            $"{document.Name} {where}, which a prompt cannot take. For a log, use the log analysis task ({w.LogAnalysisTask}): it keeps the text before binary data.")
        {
            Setting = SettingNames.Files,
            NextSteps = [new NextStep(NextStepKind.UseLogAnalysis)],
        };
    }

    // Without the model's tokenizer: about 4 characters a token (for previews only).
    private static int ApproximateTokens(string text) => (text.Length + 3) / 4;

    // IProgress<T> without a SynchronizationContext: reports go straight into the ordered stream.
    private sealed class ChannelProgress(ChannelWriter<ReasonUpdate> writer) : IProgress<LoadProgress>
    {
        private const int Thousandths = 1000;
        private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();

        public void Report(LoadProgress value) =>
            writer.TryWrite(new ReasonUpdate(ReasonUpdateKind.LoadProgress)
            {
                Progress = value.Fraction,
                Phase = new PhaseProgress(ReasonPhase.Loading, (int)Math.Round(Math.Clamp(value.Fraction, 0, 1) * Thousandths), Thousandths,
                    System.Diagnostics.Stopwatch.GetElapsedTime(_started).TotalMilliseconds),
            });
    }
}
