using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ReasonTools.Core.Gguf;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Models;
using ReasonTools.Core.Native;
using ReasonTools.Core.Remote;

namespace ReasonTools.Core.Comparison;

/// <summary>The same prompts asked of several models.</summary>
public sealed record ComparisonRequest
{
    /// <summary>Model files, in the order their rows should appear.</summary>
    public required IReadOnlyList<string> Models { get; init; }
    public required PromptSet PromptSet { get; init; }
    public EngineOptions Engine { get; init; } = new();
    /// <summary>
    /// Prompts of a local model generated together in one batch (null: chosen from the memory free for their KV caches and
    /// the machine's cores; 1 runs them one after another). Rows are the same either way at temperature 0.
    /// </summary>
    public int? Parallel { get; init; }
    /// <summary>How long each model stays loaded after its prompts (null: the host's default; 0 unloads at once).</summary>
    public TimeSpan? KeepAlive { get; init; }
    /// <summary>Sampling settings for every prompt; its Prompt is replaced by each prompt of the set.</summary>
    public ReasonRequest Sampling { get; init; } = new();
    /// <summary>How code answers are run (sandbox limits, whether unsandboxed runs are allowed).</summary>
    public Reasoning.Grading.Code.CodeExecutionOptions CodeExecution { get; init; } = new();
}

public enum ComparisonUpdateKind
{
    /// <summary>A model is being loaded.</summary>
    ModelLoading,
    /// <summary>A model could not be opened and will not run; <see cref="ComparisonUpdate.Failure"/> says why. Its rows follow, without a result.</summary>
    ModelNotRun,
    /// <summary>A prompt has started on the current model.</summary>
    PromptStarted,
    /// <summary>Live progress of the current generation (tokens, prompt progress).</summary>
    Generation,
    /// <summary>One model × prompt finished (or could not run); <see cref="ComparisonUpdate.Row"/> is set.</summary>
    Row,
    /// <summary>Everything finished; <see cref="ComparisonUpdate.Result"/> holds the rows and the summary.</summary>
    Completed,
}

/// <summary>One item of a comparison stream, with progress across the whole model × prompt matrix.</summary>
public sealed record ComparisonUpdate(ComparisonUpdateKind Kind)
{
    public string Model { get; init; } = "";
    public string? PromptId { get; init; }
    /// <summary>Model × prompt cells finished so far, and in all.</summary>
    public int Completed { get; init; }
    public int Total { get; init; }
    public ReasonUpdate? Generation { get; init; }
    public ComparisonRow? Row { get; init; }
    public ComparisonResult? Result { get; init; }
    /// <summary>Why a model will not run (<see cref="ComparisonUpdateKind.ModelNotRun"/>).</summary>
    public ComparisonFailure? Failure { get; init; }
}

/// <summary>
/// Runs every prompt of a set on each model in turn, several prompts of a local model at once in one batch
/// (<see cref="ComparisonRequest.Parallel"/>). Each model is loaded once and freed before the next,
/// so two large models are never resident together. A model that cannot run becomes rows with the reason;
/// the other models still run.
/// </summary>
public static class ComparisonRunner
{
    /// <summary>
    /// Streams the matrix. Cancelling does not throw: the stream ends with a result holding the rows that finished
    /// (the cell that was running is left out) and <see cref="ComparisonResult.Interrupted"/> set.
    /// </summary>
    public static async IAsyncEnumerable<ComparisonUpdate> RunAsync(ComparisonRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (request.Models.Count == 0) throw new ReasonFailure(FailureKind.BadInput, "Give at least one model to compare.") { Setting = SettingNames.Model };
        var prompts = request.PromptSet.Prompts;
        var total = request.Models.Count * prompts.Count;
        var rows = new List<ComparisonRow>(total);
        var interrupted = false;
        var labels = ModelLabel.Distinct(request.Models, [.. request.Models.Select(m => ModelLabel.ForReference(m))]);

        foreach (var (modelPath, label) in request.Models.Zip(labels))
        {
            if (cancellationToken.IsCancellationRequested) { interrupted = true; break; }
            yield return new ComparisonUpdate(ComparisonUpdateKind.ModelLoading) { Model = label, Completed = rows.Count, Total = total };

            IReasonModel? engine = null;
            EngineOptions? asked = null;
            ComparisonFailure? failure = null;
            try
            {
                asked = EngineFor(modelPath, request, prompts.Count);
                engine = await ModelOpener.OpenAsync(modelPath, asked, request.KeepAlive, null, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                interrupted = true;
                break;
            }
            // The one classification the fronts use: any failure the user can act on becomes rows; defects propagate.
            catch (Exception e) when (ReasonFailure.KindOf(e) is { } kind && kind != FailureKind.Cancelled)
            {
                failure = new ComparisonFailure(e, WhileOpening: true);
            }

            if (engine is null)
            {
                yield return new ComparisonUpdate(ComparisonUpdateKind.ModelNotRun) { Model = label, Failure = failure, Completed = rows.Count, Total = total };
                foreach (var prompt in prompts)
                {
                    var row = new ComparisonRow { Model = label, PromptId = prompt.Id, Failure = failure };
                    rows.Add(row);
                    yield return new ComparisonUpdate(ComparisonUpdateKind.Row) { Model = label, PromptId = prompt.Id, Row = row, Completed = rows.Count, Total = total };
                }
                continue;
            }

            using (engine)
            {
                // No more at once than asked: a resident engine shared with other callers may hold more sequences.
                var parallel = engine is Hosting.ModelLease lease ? Math.Min(asked!.Parallel, lease.Engine.Options.Parallel) : 1;
                var stopped = new StrongBox<bool>();
                await foreach (var update in RunPromptsAsync(engine, label, parallel, request, rows, total, stopped, cancellationToken).ConfigureAwait(false))
                    yield return update;
                interrupted = stopped.Value;
            }
            if (interrupted) break;
        }

        var graded = prompts.Where(p => p.IsGraded).Select(p => p.Id).ToHashSet(StringComparer.Ordinal);
        var comparison = new ComparisonResult(request.PromptSet.Name, rows, Summarize(rows, graded))
        {
            Interrupted = interrupted ? new ComparisonInterruption(rows.Count, total) : null,
        };
        yield return new ComparisonUpdate(ComparisonUpdateKind.Completed) { Result = comparison, Completed = rows.Count, Total = total };
    }

    /// <summary>The engine options of one model: its parallel sequences given, or chosen from free memory and cores.</summary>
    private static EngineOptions EngineFor(string reference, ComparisonRequest request, int prompts)
    {
        if (RemoteModelReference.TryParse(reference, out _)) return request.Engine;
        if (request.Parallel is { } given)
        {
            ParallelSequences.EnsureValid(given);
            return request.Engine with { Parallel = given };
        }
        return request.Engine with { Parallel = ParallelSequences.ChooseFor(ModelResolver.ResolveLocal(reference), request.Engine, prompts) };
    }

    /// <summary>
    /// The prompts of one model, up to <paramref name="parallel"/> at once (a parallel engine batches them). Rows come out
    /// in the prompt set's order whatever order they finish in, so a parallel run reads like a sequential one. Cancelling
    /// ends the stream with the rows that finished and <paramref name="interrupted"/> set.
    /// </summary>
    private static async IAsyncEnumerable<ComparisonUpdate> RunPromptsAsync(IReasonModel engine, string label, int parallel, ComparisonRequest request,
        List<ComparisonRow> rows, int total, StrongBox<bool> interrupted, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var prompts = request.PromptSet.Prompts;
        var updates = Channel.CreateUnbounded<(int Index, ComparisonUpdate Update)>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var slots = new SemaphoreSlim(parallel);
        var running = Task.WhenAll(prompts.Select(async (prompt, index) =>
        {
            await slots.WaitAsync(stop.Token).ConfigureAwait(false);
            try
            {
                var row = await RunPromptAsync(engine, label, prompt, request, u => updates.Writer.TryWrite((index, u)), stop.Token).ConfigureAwait(false);
                updates.Writer.TryWrite((index, new ComparisonUpdate(ComparisonUpdateKind.Row) { Model = label, PromptId = prompt.Id, Row = row }));
            }
            finally
            {
                slots.Release();
            }
        }));
        // A prompt stopped by cancelling is not a failure: the stream just ends with what finished.
        _ = running.ContinueWith(t => updates.Writer.TryComplete(stop.IsCancellationRequested ? null : t.Exception?.InnerException), TaskScheduler.Default);

        var finished = new Dictionary<int, ComparisonRow>();
        var next = 0;
        var first = rows.Count;
        try
        {
            await foreach (var (index, update) in updates.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                if (update.Kind != ComparisonUpdateKind.Row)
                {
                    yield return update with { Completed = rows.Count, Total = total };
                    continue;
                }
                finished[index] = update.Row!;
                while (finished.Remove(next, out var row))
                {
                    // The cell that was running when the comparison was stopped did not finish: it is not a row.
                    if (row.FinishReason == FinishReason.Cancelled) { interrupted.Value = true; yield break; }
                    rows.Add(row);
                    yield return new ComparisonUpdate(ComparisonUpdateKind.Row) { Model = label, PromptId = prompts[next].Id, Row = row, Completed = rows.Count, Total = total };
                    next++;
                }
            }
            // Prompts that never started or finished because the run was cancelled have no row.
            if (rows.Count - first < prompts.Count) interrupted.Value = true;
        }
        finally
        {
            // Leaving early (cancelled, or the reader stopped): the other prompts stop too, before the model is let go.
            if (rows.Count - first < prompts.Count) stop.Cancel();
            try
            {
                await running.ConfigureAwait(false);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                // The prompts stopped because this run did.
            }
        }
    }

    /// <summary>One prompt on one model, graded; a remote stream that fails part-way becomes a row with the reason.</summary>
    private static async Task<ComparisonRow> RunPromptAsync(IReasonModel engine, string label, PromptSetItem prompt, ComparisonRequest request,
        Action<ComparisonUpdate> publish, CancellationToken ct)
    {
        publish(new ComparisonUpdate(ComparisonUpdateKind.PromptStarted) { Model = label, PromptId = prompt.Id });
        ReasonResult? result = null;
        await using (var stream = engine.StreamAsync(request.Sampling with { Prompt = prompt.Prompt }, ct).GetAsyncEnumerator(ct))
        {
            while (true)
            {
                // A remote endpoint can fail in the middle of a prompt (dropped stream, rate limit): that prompt
                // becomes a row with the reason and the comparison goes on.
                try
                {
                    if (!await stream.MoveNextAsync().ConfigureAwait(false)) break;
                }
                catch (RemoteModelException e)
                {
                    var failure = new ComparisonFailure(e, WhileOpening: false);
                    return new ComparisonRow { Model = label, PromptId = prompt.Id, Note = failure.Note(failure.Error.Message), Failure = failure };
                }
                var update = stream.Current;
                if (update.Kind == ReasonUpdateKind.Completed) result = update.Result;
                else publish(new ComparisonUpdate(ComparisonUpdateKind.Generation) { Model = label, PromptId = prompt.Id, Generation = update });
            }
        }
        return await CodeRowGrading.GradeAsync(ToRow(label, prompt, result!), prompt, request.CodeExecution, ct).ConfigureAwait(false);
    }

    /// <summary>Grades one result against its prompt (pure).</summary>
    public static ComparisonRow ToRow(string model, PromptSetItem prompt, ReasonResult result)
    {
        var grade = prompt.Grade(result.FinalAnswer, result.FinishReason, result.ReasoningComplete);
        return new ComparisonRow
        {
            Model = model,
            PromptId = prompt.Id,
            Correct = grade?.Correct,
            FinalAnswer = result.FinalAnswer,
            ThinkingTokens = result.Timings.ThinkingTokens,
            AnswerTokens = result.Timings.AnswerTokens,
            TokensPerSecond = result.Timings.TokensPerSecond,
            TimeToFirstAnswerTokenMs = result.Timings.TimeToFirstAnswerTokenMs,
            TotalMs = result.Timings.TotalMs,
            FinishReason = result.FinishReason,
            Note = grade?.Reason,
            Result = result,
        };
    }

    /// <summary>
    /// Per-model accuracy and means over the rows that ran (pure). Accuracy counts graded prompts only
    /// (<paramref name="gradedPromptIds"/>; all when null), a prompt the model failed on counting as wrong; it is
    /// null for a model with no graded prompt, and for a model that never ran, whose summary says why instead.
    /// </summary>
    public static IReadOnlyList<ComparisonSummary> Summarize(IReadOnlyList<ComparisonRow> rows, IReadOnlySet<string>? gradedPromptIds = null) =>
        rows.GroupBy(r => r.Model)
            .Select(g =>
            {
                var ran = g.Where(r => r.FinishReason is not null).ToList();
                if (ran.Count == 0 && g.FirstOrDefault(r => r.NotRun)?.Failure is { } failure)
                    return new ComparisonSummary(g.Key, null, null, null, null) { NotRunReason = failure.Note(failure.Error.Message), Failure = failure };
                // A prompt the model failed on counts as wrong when it had an expected answer.
                var answered = ran.Where(r => r.TimeToFirstAnswerTokenMs is not null).Select(r => r.TimeToFirstAnswerTokenMs!.Value).ToList();
                var graded = g.Where(r => r.Correct is not null || (r.FinishReason is null && (gradedPromptIds?.Contains(r.PromptId) ?? true))).ToList();
                return new ComparisonSummary(
                    g.Key,
                    graded.Count == 0 ? null : (double)graded.Count(r => r.Correct == true) / graded.Count,
                    ran.Count == 0 ? null : ran.Average(r => r.TokensPerSecond),
                    ran.Count == 0 ? null : ran.Average(r => r.ThinkingTokens),
                    ran.Count == 0 ? null : ran.Average(r => r.TotalMs))
                {
                    MeanTimeToFirstAnswerTokenMs = answered.Count == 0 ? null : answered.Average(),
                };
            })
            .ToList();
}
