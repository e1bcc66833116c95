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
    internal const int PlainTokensMeasured = 2;

    private readonly LlamaContextHandle target;
    private readonly IDraftProposer draft;
    private readonly int vocabularySize, contextSize;
    private readonly TokenDistribution distribution;
    private readonly DraftSampling? sampling;
    private readonly Random random;
    private readonly SpeculationOptions options;
    private readonly DraftLengthController controller;
    private readonly LlamaBatchHandle batch;
    private readonly List<int> history;
    private readonly Queue<int> ready = new();
    private readonly int[] proposal;
    private readonly SparseDistribution?[] draftDistributions;
    private readonly long started = Stopwatch.GetTimestamp();
    private int inTarget; // history tokens in the target's KV cache; the one after them is the pending token
    private double plainMs;
    private int plainTokens;

    /// <summary>Starts after the prompt was decoded into <paramref name="target"/> (its last logits pending).</summary>
    public SpeculativeSession(LlamaContextHandle target, int vocabularySize, IDraftProposer draft, ReasonRequest request, uint seed,
        IReadOnlyList<int> promptTokens, int contextSize, SpeculationOptions options, IntPtr abortFlag)
    {
        this.target = target;
        this.draft = draft;
        this.vocabularySize = vocabularySize;
        this.contextSize = contextSize;
        this.options = options;
        distribution = new TokenDistribution(request);
        random = new Random(unchecked((int)seed));
        sampling = distribution.IsGreedy ? null : new DraftSampling(distribution, new Random(unchecked((int)(seed * 2654435761u))));
        controller = new DraftLengthController(options);
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
    /// <summary>True once speculation stopped paying and the rest was decoded plainly.</summary>
    public bool SwitchedOff => !controller.Active;
    /// <summary>Milliseconds since the session started (the generation after the prompt).</summary>
    public double ElapsedMs => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    /// <summary>The next token of the generation, or -1 when decoding was aborted.</summary>
    public int Next()
    {
        if (ready.Count == 0)
        {
            var measuring = options.SwitchOffWhenSlower && plainTokens < PlainTokensMeasured;
            // The first token comes from the prompt's logits; then plain steps while measuring or switched off.
            if (history.Count == inTarget) Emit(Pick(Llama.Logits(target, -1, vocabularySize)));
            else if (!(!controller.Active || measuring ? PlainStep(measuring) : SpeculativeRound())) return -1;
        }
        return ready.Dequeue();
    }

    /// <summary>Decodes the pending token alone and picks the next; false when aborted.</summary>
    private bool PlainStep(bool measuring)
    {
        var begun = Stopwatch.GetTimestamp();
        Span<int> one = [history[^1]];
        if (Llama.Decode(target, batch.Fill(one, inTarget, logitsForLast: true)) == DecodeStatus.Aborted) return false;
        inTarget++;
        Emit(Pick(Llama.Logits(target, -1, vocabularySize)));
        if (measuring)
        {
            plainMs += Stopwatch.GetElapsedTime(begun).TotalMilliseconds;
            plainTokens++;
        }
        return true;
    }

    /// <summary>One draft-and-verify round; queues the tokens it keeps. False when decoding was aborted.</summary>
    private bool SpeculativeRound()
    {
        var begun = Stopwatch.GetTimestamp();
        // Room for the pending token and the proposal in the context.
        var length = Math.Min(controller.Length, contextSize - history.Count - 1);
        var drafted = length <= 0 ? 0 : draft.Propose(history, proposal.AsSpan(0, length), draftDistributions, sampling);
        if (drafted < 0) return false;
        if (drafted == 0) return PlainStep(measuring: false);

        Span<int> tokens = stackalloc int[drafted + 1];
        tokens[0] = history[^1];
        proposal.AsSpan(0, drafted).CopyTo(tokens[1..]);
        if (Llama.Decode(target, batch.FillWithAllLogits(tokens, inTarget)) == DecodeStatus.Aborted) return false;

        var accepted = 0;
        int own;
        while (true)
        {
            var logits = Llama.Logits(target, accepted, vocabularySize);
            if (accepted == drafted)
            {
                own = Pick(logits);
                break;
            }
            var proposed = proposal[accepted];
            if (sampling is null)
            {
                own = TokenDistribution.ArgMax(logits);
                if (own != proposed) break;
            }
            else
            {
                var p = distribution.From(logits);
                var q = draftDistributions[accepted] ?? SparseDistribution.Certain(proposed);
                if (random.NextDouble() >= Math.Min(1.0, p[proposed] / q[proposed]))
                {
                    own = p.Residual(q).Sample(random.NextDouble());
                    break;
                }
            }
            accepted++;
        }

        // Keep the pending token and the accepted prefix in the target's cache; the rest was rejected.
        var kept = inTarget + 1 + accepted;
        if (accepted < drafted) Llama.RemoveFrom(target, kept);
        inTarget = kept;
        draft.Commit(accepted);
        for (var i = 0; i < accepted; i++) Emit(proposal[i]);
        Emit(own);
        DraftedTokens += drafted;
        AcceptedDraftTokens += accepted;
        controller.Record(drafted, accepted, Stopwatch.GetElapsedTime(begun).TotalMilliseconds,
            options.SwitchOffWhenSlower ? plainMs / Math.Max(1, plainTokens) : null);
        return true;
    }

    private int Pick(ReadOnlySpan<float> logits) =>
        sampling is null ? TokenDistribution.ArgMax(logits) : distribution.From(logits).Sample(random.NextDouble());

    private void Emit(int token)
    {
        history.Add(token);
        ready.Enqueue(token);
    }

    public void Dispose() => batch.Dispose();
}
