namespace ReasonTools.Core.Reasoning;

/// <summary>A runaway repetition: the last tokens are one span repeated.</summary>
/// <param name="Period">Length of the repeated span in tokens (the shortest one that repeats).</param>
/// <param name="Repeats">Whole repetitions of the span at the moment of detection.</param>
/// <param name="StartIndex">Index (0-based, in pushed tokens) of the first token of the repeating region.</param>
/// <param name="Length">Tokens the repeating region covers, up to and including the last pushed token.</param>
public sealed record LoopInfo(int Period, int Repeats, int StartIndex, int Length);

/// <summary>
/// Watches generated token ids for the runaway repetition greedy or low-temperature R1 decoding falls into.
/// </summary>
/// <remarks>
/// <para>For every period p up to <see cref="MaxPeriod"/> it keeps how many tokens in a row equalled the token p
/// before them; a run of m such tokens means the last m + p tokens are p-periodic. That costs MaxPeriod integer
/// comparisons per token (about a quarter of a microsecond at 256), independent of the chain's length.</para>
/// <para>Default thresholds: one token repeated <see cref="MinSingleTokenRun"/> = 32 times; or a span of 2 tokens or
/// more repeated at least <see cref="MinRepeats"/> = 3 whole times and covering at least
/// <see cref="MinLoopTokens"/> = 64 tokens. A 40-token sentence must so come three times in a row (120 tokens),
/// a 2-token "ha ha" 32 times. Ordinary repetition stays below: counting lists ("1, 2, 3") are not periodic,
/// a short word repeated a few times or a table rule "|---|---|" of a dozen tokens covers far fewer than 64 tokens,
/// and a chain that re-reads a formula twice has only two repeats.</para>
/// </remarks>
public sealed class LoopDetector
{
    private readonly int[] _recent;
    private readonly int[] _matchRun;
    private long _count;

    /// <param name="maxPeriod">Longest span (tokens) whose repetition is recognised.</param>
    /// <param name="minRepeats">Whole repetitions of a span of 2 or more tokens that make a loop.</param>
    /// <param name="minLoopTokens">Tokens a repeating region must cover (spans of 2 or more tokens).</param>
    /// <param name="minSingleTokenRun">Times one token must come in a row.</param>
    public LoopDetector(int maxPeriod = 256, int minRepeats = 3, int minLoopTokens = 64, int minSingleTokenRun = 32)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPeriod, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(minRepeats, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(minLoopTokens, 2);
        ArgumentOutOfRangeException.ThrowIfLessThan(minSingleTokenRun, 2);
        MaxPeriod = maxPeriod;
        MinRepeats = minRepeats;
        MinLoopTokens = minLoopTokens;
        MinSingleTokenRun = minSingleTokenRun;
        _recent = new int[maxPeriod + 1];
        _matchRun = new int[maxPeriod + 1];
    }

    public int MaxPeriod { get; }
    public int MinRepeats { get; }
    public int MinLoopTokens { get; }
    public int MinSingleTokenRun { get; }

    /// <summary>Tokens pushed so far.</summary>
    public long TokenCount => _count;

    /// <summary>The first loop found; null while none. Once set it stays set.</summary>
    public LoopInfo? Detected { get; private set; }

    /// <summary>Adds the next generated token; returns true when the output is (or already was) looping.</summary>
    public bool Push(int tokenId)
    {
        if (Detected is not null) return true;
        var ring = _recent.Length;
        var index = _count;
        LoopInfo? found = null;
        for (var period = 1; period <= MaxPeriod; period++)
        {
            if (period > index)
            {
                _matchRun[period] = 0;
                continue;
            }
            var earlier = _recent[(int)((index - period) % ring)];
            var run = earlier == tokenId ? Math.Min(_matchRun[period] + 1, int.MaxValue - MaxPeriod - 1) : 0;
            _matchRun[period] = run;
            if (found is null && run > 0 && IsLoop(period, run + period))
            {
                var length = run + period;
                found = new LoopInfo(period, length / period, (int)Math.Min(int.MaxValue, index + 1 - length), length);
            }
        }
        _recent[(int)(index % ring)] = tokenId;
        _count++;
        Detected = found;
        return found is not null;
    }

    private bool IsLoop(int period, int periodicLength) => period == 1
        ? periodicLength >= MinSingleTokenRun
        : periodicLength / period >= MinRepeats && periodicLength >= MinLoopTokens;
}
