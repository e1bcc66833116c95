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
/// comparisons per token (about half a microsecond at 256 on this project's machines, against the milliseconds
/// it takes to generate a token), independent of the chain's length; memory is two arrays of MaxPeriod + 1 integers.</para>
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

    /// <summary>Longest repeated span recognised, in tokens.</summary>
    public int MaxPeriod { get; }

    /// <summary>Whole repetitions a span of 2 or more tokens needs to count as a loop.</summary>
    public int MinRepeats { get; }

    /// <summary>Tokens a repeating region of a span of 2 or more tokens must cover.</summary>
    public int MinLoopTokens { get; }

    /// <summary>Times in a row one token must come to count as a loop.</summary>
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
        var head = (int)(_count % ring); // where this token goes; _recent[head - p] (wrapped) is p tokens back
        var known = (int)Math.Min(_count, MaxPeriod);
        var runs = _matchRun;
        var found = 0;
        for (var period = 1; period <= known; period++)
        {
            var back = head - period;
            if (back < 0) back += ring;
            var run = _recent[back] == tokenId ? runs[period] + 1 : 0;
            runs[period] = run;
            if (found == 0 && run > 0 && IsLoop(period, run + period)) found = period;
        }
        _recent[head] = tokenId;
        _count++;
        if (found == 0) return false;
        var length = runs[found] + found;
        Detected = new LoopInfo(found, length / found, (int)Math.Min(int.MaxValue, _count - length), length);
        return true;
    }

    private bool IsLoop(int period, int periodicLength) => period == 1
        ? periodicLength >= MinSingleTokenRun
        : periodicLength / period >= MinRepeats && periodicLength >= MinLoopTokens;
}
