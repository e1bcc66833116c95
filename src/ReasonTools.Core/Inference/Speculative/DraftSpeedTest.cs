namespace ReasonTools.Core.Inference.Speculative;

/// <summary>Generation speed with and without the engine's draft, measured in the same rounds.</summary>
/// <param name="Model">The model measured.</param>
/// <param name="Draft">Its draft (a model's name, or "ngram").</param>
/// <param name="Threads">CPU threads used.</param>
/// <param name="GeneratedTokens">Tokens generated per run (tg N).</param>
/// <param name="PlainTokensPerSecond">Plain decoding, wall clock from the first token to the last, best round.</param>
/// <param name="DraftTokensPerSecond">With the draft, measured the same way, best round.</param>
/// <param name="DraftedTokens">Tokens the draft proposed over the measured rounds.</param>
/// <param name="AcceptedDraftTokens">Proposed tokens the model kept over the measured rounds.</param>
/// <param name="Repetitions">Measured rounds of each.</param>
public sealed record DraftSpeedTestResult(
    string Model,
    string Draft,
    int Threads,
    int GeneratedTokens,
    double PlainTokensPerSecond,
    double DraftTokensPerSecond,
    int DraftedTokens,
    int AcceptedDraftTokens,
    int Repetitions)
{
    /// <summary>Share of proposed tokens that were kept, 0..1.</summary>
    public double AcceptanceRate => DraftedTokens > 0 ? (double)AcceptedDraftTokens / DraftedTokens : 0;

    /// <summary>How many times faster the draft made generation.</summary>
    public double Speedup => PlainTokensPerSecond > 0 ? DraftTokensPerSecond / PlainTokensPerSecond : 0;
}

/// <summary>
/// <c>reason bench --draft</c>: tg N plain and with the draft, alternating round by round after one warm-up of each,
/// so a busy machine slows both alike; the best round of each is compared, as the benchmark harness does.
/// </summary>
public static class DraftSpeedTest
{
    public static async Task<DraftSpeedTestResult> RunAsync(ReasonEngine engine, int generatedTokens = 128, int repetitions = 3,
        CancellationToken cancellationToken = default)
    {
        var draft = engine.DraftModel ?? throw new InvalidOperationException("No draft is attached to the model.");
        // Greedy, as llama-speculative is compared at: the acceptance then depends on the models alone, not on draws.
        var tg = new ReasonRequest { Prompt = "Count.", MaxTokens = generatedTokens, DetectLoops = false, ForceThinking = false, Seed = 1, Temperature = 0 };
        var plain = tg with { Speculate = false };
        await engine.RunAsync(plain, cancellationToken).ConfigureAwait(false);
        await engine.RunAsync(tg, cancellationToken).ConfigureAwait(false);
        double bestPlain = 0, bestDraft = 0;
        int drafted = 0, accepted = 0;
        for (var i = 0; i < repetitions; i++)
        {
            bestPlain = Math.Max(bestPlain, WallClockRate((await engine.RunAsync(plain, cancellationToken).ConfigureAwait(false)).Timings));
            var t = (await engine.RunAsync(tg, cancellationToken).ConfigureAwait(false)).Timings;
            bestDraft = Math.Max(bestDraft, WallClockRate(t));
            drafted += t.DraftedTokens ?? 0;
            accepted += t.AcceptedDraftTokens ?? 0;
        }
        return new DraftSpeedTestResult(engine.Model.Name, draft, engine.Options.EffectiveThreads, generatedTokens, bestPlain, bestDraft, drafted, accepted, repetitions);
    }

    // From the first token to the end: what a user waits for, drafting and sampling included.
    private static double WallClockRate(ReasonTimings t) =>
        t.GeneratedTokens > 1 && t.TimeToFirstTokenMs is { } first ? (t.GeneratedTokens - 1) * 1000.0 / (t.TotalMs - first) : 0;
}
