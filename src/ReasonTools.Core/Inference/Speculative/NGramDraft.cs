namespace ReasonTools.Core.Inference.Speculative;

/// <summary>
/// Prompt-lookup drafting with no second model: when the last few tokens occurred before (in the prompt or in the
/// chain so far, which reasoning chains often repeat), propose what followed them then. Longer matches win; the
/// latest occurrence of a match is used.
/// </summary>
internal sealed class NGramDraft : IDraftProposer
{
    /// <summary>Longest and shortest suffix looked up.</summary>
    internal const int MaxNGram = 4, MinNGram = 2;

    public string Name => DraftChoice.NGramName;

    public void Begin(IntPtr abortFlag) { }

    // The lookup reads the history itself when proposing.
    public bool Observe(IReadOnlyList<int> history) => true;

    public int Propose(IReadOnlyList<int> history, Span<int> proposal, SparseDistribution?[] distributions, DraftSampling? sampling)
    {
        var start = FindContinuation(history);
        if (start < 0) return 0;
        var n = Math.Min(proposal.Length, history.Count - start);
        for (var i = 0; i < n; i++)
        {
            proposal[i] = history[start + i];
            distributions[i] = null;
        }
        return n;
    }

    public void Commit(int accepted) { }

    public void SetThreads(int threads) { }

    /// <summary>Where the tokens that followed the latest earlier occurrence of the longest matching suffix start; -1 when none.</summary>
    internal static int FindContinuation(IReadOnlyList<int> history)
    {
        for (var n = Math.Min(MaxNGram, history.Count - 1); n >= MinNGram; n--)
        {
            var suffix = history.Count - n;
            for (var at = suffix - 1; at >= 0; at--)
            {
                var match = true;
                for (var j = 0; j < n && match; j++) match = history[at + j] == history[suffix + j];
                if (match && at + n < history.Count) return at + n;
            }
        }
        return -1;
    }

    public void Dispose() { }
}
