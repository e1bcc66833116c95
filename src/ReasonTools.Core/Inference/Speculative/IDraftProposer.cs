namespace ReasonTools.Core.Inference.Speculative;

/// <summary>
/// Proposes the tokens that probably come next, for the target model to verify in one batch. One generation at a
/// time: <see cref="Begin"/> starts one, then rounds of <see cref="Propose"/> and <see cref="Commit"/>.
/// </summary>
internal interface IDraftProposer : IDisposable
{
    /// <summary>What results report as the draft: a model name, or "ngram".</summary>
    string Name { get; }

    /// <summary>Starts a generation: forget the previous one. Decoding stops when the int at <paramref name="abortFlag"/> is not 0.</summary>
    void Begin(IntPtr abortFlag);

    /// <summary>Takes in the tokens of <paramref name="history"/> it has not seen yet; false when decoding was aborted.</summary>
    bool Observe(IReadOnlyList<int> history);

    /// <summary>
    /// Proposes up to <paramref name="proposal"/>.Length tokens that follow <paramref name="history"/> (the prompt and
    /// every token generated so far); returns how many. With <paramref name="sampling"/> the tokens are drawn from
    /// the draft's distribution, and <paramref name="distributions"/> receives each one's (null for a draft that is
    /// certain); without, the draft proposes its most likely tokens. Returns 0 (or -1 when decoding was aborted)
    /// when it has nothing to propose.
    /// </summary>
    int Propose(IReadOnlyList<int> history, Span<int> proposal, SparseDistribution?[] distributions, DraftSampling? sampling);

    /// <summary>The target kept the first <paramref name="accepted"/> tokens of the last proposal.</summary>
    void Commit(int accepted);

    /// <summary>Decodes with <paramref name="threads"/> CPU threads from now on (the target's share of the cores).</summary>
    void SetThreads(int threads);
}

/// <summary>The request's sampling distribution and the random source a sampling draft draws from.</summary>
internal sealed record DraftSampling(TokenDistribution Distribution, Random Random);
