using System.Diagnostics;
using ReasonTools.Core.Native;

namespace ReasonTools.Core.Inference.Speculative;

/// <summary>
/// One generation's tokens with a draft: the draft proposes up to k tokens, the target decodes them with its own
/// last token in one batch, and the longest acceptable prefix plus one token of the target's own is kept; both
/// KV caches are rolled back past the first rejection. At temperature 0 a proposal is kept when it is the
/// target's argmax, so the text is exactly the target's greedy text. Otherwise a proposal x is kept with
/// probability min(1, p(x)/q(x)) and a rejection is replaced by a draw from the normalised residual max(0, p - q),
/// which leaves the target's distribution p unchanged (Leviathan et al.; Chen et al., 2023).
/// </summary>
internal sealed class SpeculativeSession : IDisposable
{
    /// <summary>Plain tokens measured at the start to know what speculation has to beat.</summary>
    internal const int PlainTokensMeasured = 3;

    private readonly LlamaContextHandle target;
    private readonly IDraftProposer draft;
    private readonly int vocabularySize, contextSize;
    private readonly TokenDistribution distribution;
    private readonly DraftSampling? sampling;
    private readonly Random random;
    private readonly DraftLengthController controller;
    private readonly LlamaBatchHandle batch;
    private readonly List<int> history;
    private readonly Queue<int> ready = new();
    private readonly int[] proposal;
    private readonly SparseDistribution?[] draftDistributions;
    private readonly long started = Stopwatch.GetTimestamp();
    // The cost of a plain token is measured when the length adapts to it or speculation may switch off.
    private readonly List<double>? plainMs;
    private int inTarget; // history tokens in the target's KV cache; the one after them is the pending token
    private bool draftCaughtUp;

    /// <summary>Starts after the prompt was decoded into <paramref name="target"/> (its last logits pending).</summary>
    public SpeculativeSession(LlamaContextHandle target, int vocabularySize, IDraftProposer draft, ReasonRequest request, uint seed,
        IReadOnlyList<int> promptTokens, int contextSize, SpeculationOptions options, IntPtr abortFlag)
    {
        this.target = target;
        this.draft = draft;
        this.vocabularySize = vocabularySize;
        this.contextSize = contextSize;
        distribution = new TokenDistribution(request);
        random = new Random(unchecked((int)seed));
        sampling = distribution.IsGreedy ? null : new DraftSampling(distribution, new Random(unchecked((int)(seed * 2654435761u))));
        controller = new DraftLengthController(options);
        plainMs = options.AdaptDraftLength || options.SwitchOffWhenSlower ? new List<double>(PlainTokensMeasured) : null;
        proposal = new int[options.MaxDraftTokens];
        draftDistributions = new SparseDistribution?[options.MaxDraftTokens];
        batch = new LlamaBatchHandle(options.MaxDraftTokens + 1);
        history = new List<int>(promptTokens);
        inTarget = promptTokens.Count;
        draft.Begin(abortFlag);
    }

    /// <summary>What results report as the draft.</summary>
    public string DraftName => draft.Name;
    /// <summary>Tokens the draft proposed and the target verified.</summary>
    public int DraftedTokens { get; private set; }
    /// <summary>Proposed tokens the target kept.</summary>
    public int AcceptedDraftTokens { get; private set; }
    /// <summary>
    /// True once speculation stopped paying and every token it decided was returned: the caller decodes the last one
    /// at <see cref="PendingPosition"/> and goes on plainly, with nothing of the session's left per token.
    /// </summary>
    public bool HandedBack => !controller.Active && ready.Count == 0;
    /// <summary>Where the last token returned goes in the target's KV cache (it is not decoded yet).</summary>
    public int PendingPosition => inTarget;
    /// <summary>Milliseconds since the session started (the generation after the prompt).</summary>
    public double ElapsedMs => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    /// <summary>The next token of the generation, or -1 when decoding was aborted.</summary>
    public int Next()
    {
        if (ready.Count == 0)
        {
            // The first token comes from the prompt's logits; then a few plain steps tell what a plain token costs.
            if (history.Count == inTarget) Emit(Pick(Llama.Logits(target, -1, vocabularySize)));
            else if (!(plainMs is { Count: < PlainTokensMeasured } || !controller.Active ? PlainStep() : SpeculativeRound())) return -1;
        }
        return ready.Dequeue();
    }

    /// <summary>Decodes the pending token alone and picks the next; false when aborted.</summary>
    private bool PlainStep()
    {
        var begun = Stopwatch.GetTimestamp();
        Span<int> one = [history[^1]];
        if (Llama.Decode(target, batch.Fill(one, inTarget, logitsForLast: true)) == DecodeStatus.Aborted) return false;
        inTarget++;
        Emit(Pick(Llama.Logits(target, -1, vocabularySize)));
        if (plainMs is { Count: < PlainTokensMeasured }) plainMs.Add(Stopwatch.GetElapsedTime(begun).TotalMilliseconds);
        return true;
    }

    /// <summary>One draft-and-verify round; queues the tokens it keeps. False when decoding was aborted.</summary>
    private bool SpeculativeRound()
    {
        // The draft reads the prompt once, outside the rounds' timing: that cost says nothing about later rounds.
        if (!draftCaughtUp && !(draftCaughtUp = draft.Observe(history))) return false;
        var begun = Stopwatch.GetTimestamp();
        // Room for the pending token and the proposal in the context.
        var length = Math.Min(controller.Length, contextSize - history.Count - 1);
        var drafted = length <= 0 ? 0 : draft.Propose(history, proposal.AsSpan(0, length), draftDistributions, sampling);
        if (drafted < 0) return false;
        if (drafted == 0) return PlainStep();
        var draftElapsed = Stopwatch.GetElapsedTime(begun).TotalMilliseconds;

        Span<int> tokens = stackalloc int[drafted + 1];
        tokens[0] = history[^1];
        proposal.AsSpan(0, drafted).CopyTo(tokens[1..]);
        if (Llama.Decode(target, batch.FillWithAllLogits(tokens, inTarget)) == DecodeStatus.Aborted) return false;
        var (accepted, own) = Verify(drafted);

        // Keep the pending token and the accepted prefix in the target's cache; the rest was rejected.
        var kept = inTarget + 1 + accepted;
        if (accepted < drafted) Llama.RemoveFrom(target, kept);
        inTarget = kept;
        draft.Commit(accepted);
        for (var i = 0; i < accepted; i++) Emit(proposal[i]);
        Emit(own);
        DraftedTokens += drafted;
        AcceptedDraftTokens += accepted;
        controller.Record(drafted, accepted, draftElapsed, Stopwatch.GetElapsedTime(begun).TotalMilliseconds - draftElapsed, PlainTokenMs());
        return true;
    }

    /// <summary>How many of the <paramref name="drafted"/> proposals the target keeps, and the token of its own that follows them.</summary>
    private (int Accepted, int Own) Verify(int drafted)
    {
        for (var accepted = 0; ; accepted++)
        {
            var logits = Llama.Logits(target, accepted, vocabularySize);
            if (accepted == drafted) return (accepted, Pick(logits));
            var proposed = proposal[accepted];
            if (sampling is null)
            {
                var own = TokenDistribution.ArgMax(logits);
                if (own != proposed) return (accepted, own);
                continue;
            }
            var p = distribution.From(logits);
            var q = draftDistributions[accepted] ?? SparseDistribution.Certain(proposed);
            if (random.NextDouble() >= Math.Min(1.0, p[proposed] / q[proposed]))
                return (accepted, p.Residual(q).Sample(random.NextDouble()));
        }
    }

    // The median of the plain steps measured: the first after the prompt may carry one-off costs.
    private double? PlainTokenMs() => plainMs is { Count: > 0 } ? plainMs.Order().ElementAt(plainMs.Count / 2) : null;

    private int Pick(ReadOnlySpan<float> logits) =>
        sampling is null ? TokenDistribution.ArgMax(logits) : distribution.From(logits).Sample(random.NextDouble());

    private void Emit(int token)
    {
        history.Add(token);
        ready.Enqueue(token);
    }

    public void Dispose() => batch.Dispose();
}
