namespace ReasonTools.Core.Inference.Speculative;

/// <summary>
/// Chooses how many tokens the next round drafts and whether speculation still pays. Pure: it is told what each
/// round drafted, accepted and cost, and what a plain token costs.
/// </summary>
internal sealed class DraftLengthController(SpeculationOptions options)
{
    /// <summary>Rounds measured before speculation may be judged and switched off.</summary>
    internal const int RoundsBeforeVerdict = 4;

    private double speculativeMs;
    private int speculativeTokens, rounds;

    /// <summary>Tokens the next round drafts.</summary>
    public int Length { get; private set; } = options.AdaptDraftLength ? Math.Max(1, options.MaxDraftTokens / 2) : options.MaxDraftTokens;

    /// <summary>False once speculation was found to cost more than it saves.</summary>
    public bool Active { get; private set; } = true;

    /// <summary>
    /// Records a round that drafted <paramref name="drafted"/> tokens, of which <paramref name="accepted"/> were kept
    /// (so it produced accepted + 1 tokens) in <paramref name="elapsedMs"/>; <paramref name="plainTokenMs"/> is the
    /// measured cost of one plain token, or null when speculation is never to be switched off.
    /// </summary>
    public void Record(int drafted, int accepted, double elapsedMs, double? plainTokenMs)
    {
        if (options.AdaptDraftLength)
            // Everything accepted: try longer drafts; otherwise draft just past what was accepted this time.
            Length = accepted == drafted ? Math.Min(options.MaxDraftTokens, Length + 2) : Math.Max(1, accepted + 1);
        speculativeMs += elapsedMs;
        speculativeTokens += accepted + 1;
        rounds++;
        if (plainTokenMs is { } plain && rounds >= RoundsBeforeVerdict && speculativeMs / speculativeTokens > plain)
            Active = false;
    }
}
