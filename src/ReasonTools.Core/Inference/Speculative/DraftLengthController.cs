namespace ReasonTools.Core.Inference.Speculative;

/// <summary>
/// Chooses how many tokens the next round drafts, and whether speculation still pays, from what the rounds
/// measured: how often a proposal is kept, what a drafted token costs, and what verifying costs beyond a plain
/// token. A round of length k is worth E(k) = 1 + a + a² + … + a^k tokens at acceptance a, and costs k drafted
/// tokens plus one verification; the length with the best tokens per millisecond wins, and speculation stops when
/// even that is slower than plain decoding. The costs are the medians of the recent rounds, and the first round's
/// times are left out: its verification is the target's first batch of several tokens since the prompt and carries
/// one-off costs (a new graph, cold caches), and a single slow round (a busy machine) must not decide either;
/// averaged into the first rounds, such a round made a draft that always agrees look unprofitable and switched it
/// off. Pure: it is told each round's counts and times.
/// </summary>
internal sealed class DraftLengthController(SpeculationOptions options)
{
    /// <summary>Rounds at the start whose times say nothing about later rounds; their acceptance still counts.</summary>
    internal const int WarmUpRounds = 1;

    /// <summary>Rounds whose times are measured before speculation may be judged and switched off.</summary>
    internal const int MeasuredRoundsBeforeVerdict = 4;

    /// <summary>Rounds, the warm-up included, before speculation may be switched off.</summary>
    internal const int RoundsBeforeVerdict = WarmUpRounds + MeasuredRoundsBeforeVerdict;

    /// <summary>
    /// An acceptance below which no machine gains: a round of one then yields 1.1 tokens, which even free verification
    /// and a draft token a tenth of a plain one only pay for.
    /// </summary>
    internal const double HopelessAcceptance = 0.1;

    /// <summary>Recent rounds whose costs the medians are taken over (the machine's load changes).</summary>
    internal const int RoundsRemembered = 9;

    // The acceptance starts as if one proposal had been kept and one rejected: a first unlucky round must not
    // convince it that a good draft is useless (with no prior, one rejection in the first round reads as 0 %).
    private double _kept = 1, _rejected = 1;
    // Per round: drafting per drafted token, and verifying beyond the plain token it also yields per verified token.
    private readonly Queue<(double PerDraftedMs, double VerifyMs, int Drafted)> _recent = new();
    private int _rounds, _roundsSeen, _guesses;
    private double _guessChance;

    /// <summary>Tokens the next round drafts.</summary>
    public int Length { get; private set; } = options.AdaptDraftLength ? Math.Max(1, options.MaxDraftTokens / 4) : options.MaxDraftTokens;

    /// <summary>False once speculation was found to cost more than it saves.</summary>
    public bool Active { get; private set; } = true;

    /// <summary>The estimated chance that the target keeps a proposal, given it kept the ones before it.</summary>
    public double Acceptance => _kept / (_kept + _rejected);

    /// <summary>
    /// Records the draft's guess at a token decoded plainly (while plain decoding is measured) by the
    /// <paramref name="chance"/> that the target would keep a draft token there (1 or 0 at temperature 0; when sampling,
    /// sum min(p, q), which tells more than whether this one draw was kept). It counts toward the acceptance as a
    /// round's proposals do. When the <see cref="SpeculativeSession.PlainTokensMeasured"/> guesses give a chance below
    /// <see cref="HopelessAcceptance"/>, speculation is switched off before its first round: at 0 % a round yields one
    /// token for a drafted token plus a verification of two, and the rounds a verdict on their times needs cost more
    /// than the 5 % a useless draft may.
    /// </summary>
    public void RecordGuess(double chance)
    {
        _kept += chance;
        _rejected += 1 - chance;
        _guessChance += chance;
        if (options.SwitchOffWhenSlower && ++_guesses == SpeculativeSession.PlainTokensMeasured && _guessChance / _guesses < HopelessAcceptance)
            Active = false;
    }

    /// <summary>
    /// Records a round that drafted <paramref name="draftedTokens"/> tokens in <paramref name="draftElapsedMs"/>, of which
    /// <paramref name="accepted"/> were kept after a verification of <paramref name="verifyElapsedMs"/>;
    /// <paramref name="plainTokenMs"/> is the measured cost of one plain token, or null when it was not measured
    /// (the length then only follows the acceptance, and speculation stays on).
    /// </summary>
    public void Record(int draftedTokens, int accepted, double draftElapsedMs, double verifyElapsedMs, double? plainTokenMs)
    {
        _kept += accepted;
        if (accepted < draftedTokens) _rejected++;
        if (++_roundsSeen > WarmUpRounds && draftedTokens > 0)
        {
            if (_recent.Count == RoundsRemembered) _recent.Dequeue();
            _recent.Enqueue((draftElapsedMs / draftedTokens, verifyElapsedMs, draftedTokens));
            _rounds++;
        }
        if (plainTokenMs is not { } plain || plain <= 0 || _rounds == 0)
        {
            if (options.AdaptDraftLength)
                // Everything accepted: try longer drafts; otherwise draft just past what was accepted this time.
                Length = accepted == draftedTokens ? Longer(Length) : Math.Max(1, accepted + 1);
            return;
        }

        var perDraftedMs = Median(_recent.Select(r => r.PerDraftedMs));
        // What a verification costs beyond the plain token it also produces, per token verified.
        var perVerifiedMs = Math.Max(0, Median(_recent.Select(r => (r.VerifyMs - plain) / r.Drafted)));
        var (best, speedup) = (options.MaxDraftTokens, Speedup(options.MaxDraftTokens, plain, perDraftedMs, perVerifiedMs));
        if (options.AdaptDraftLength)
            for (var k = 1; k < options.MaxDraftTokens; k++)
                if (Speedup(k, plain, perDraftedMs, perVerifiedMs) is var s && s > speedup) (best, speedup) = (k, s);
        // A round that kept everything drafts longer next time: the estimated acceptance trails a draft that is always
        // right (its prior rejection weighs on it until many proposals were kept), and short rounds, which keep few, would
        // hold it there; on a CPU the longer verification also costs less per token than the short ones it was measured on.
        if (options.AdaptDraftLength && accepted == draftedTokens) best = Math.Max(best, Longer(draftedTokens));
        Length = best;
        if (options.SwitchOffWhenSlower && _rounds >= MeasuredRoundsBeforeVerdict && speedup < 1) Active = false;
    }

    /// <summary>The length to try after a round that kept every proposal of <paramref name="length"/>.</summary>
    private int Longer(int length) => Math.Min(options.MaxDraftTokens, length + 2);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    /// <summary>Expected tokens per millisecond of a round of length <paramref name="k"/>, relative to plain decoding.</summary>
    internal double Speedup(int k, double plainMs, double perDraftedMs, double perVerifiedMs)
    {
        var a = Acceptance;
        double expected = 1, power = 1;
        for (var i = 0; i < k; i++) expected += power *= a;
        return expected * plainMs / (k * (perDraftedMs + perVerifiedMs) + plainMs);
    }
}
