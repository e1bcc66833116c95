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

    private readonly LlamaContextHandle _target;
    private readonly IDraftProposer _draft;
    private readonly int _vocabularySize, _contextSize;
    private readonly TokenDistribution _distribution;
    private readonly DraftSampling? _sampling;
    private readonly Random _random;
    private readonly DraftLengthController _controller;
    private readonly LlamaBatchHandle _batch;
    private readonly List<int> _history;
    private readonly Queue<int> _ready = new();
    private readonly int[] _proposal;
    private readonly SparseDistribution?[] _draftDistributions;
    private readonly long _started = Stopwatch.GetTimestamp();
    // The cost of a plain token is measured when the length adapts to it or speculation may switch off.
    private readonly List<double>? _plainMs;
    private int _inTarget; // history tokens in the target's KV cache; the one after them is the pending token
    private bool _draftCaughtUp;

    /// <summary>Starts after the prompt was decoded into <paramref name="target"/> (its last logits pending).</summary>
    public SpeculativeSession(LlamaContextHandle target, int vocabularySize, IDraftProposer draft, ReasonRequest request, uint seed,
        IReadOnlyList<int> promptTokens, int contextSize, SpeculationOptions options, IntPtr abortFlag)
    {
        _target = target;
        _draft = draft;
        _vocabularySize = vocabularySize;
        _contextSize = contextSize;
        _distribution = new TokenDistribution(request);
        _random = new Random(unchecked((int)seed));
        _sampling = _distribution.IsGreedy ? null : new DraftSampling(_distribution, new Random(unchecked((int)(seed * 2654435761u))));
        _controller = new DraftLengthController(options);
        _plainMs = options.AdaptDraftLength || options.SwitchOffWhenSlower ? new List<double>(PlainTokensMeasured) : null;
        _proposal = new int[options.MaxDraftTokens];
        _draftDistributions = new SparseDistribution?[options.MaxDraftTokens];
        _batch = new LlamaBatchHandle(options.MaxDraftTokens + 1);
        _history = new List<int>(promptTokens);
        _inTarget = promptTokens.Count;
        draft.Begin(abortFlag);
    }

    /// <summary>What results report as the draft.</summary>
    public string DraftName => _draft.Name;
    /// <summary>Tokens the draft proposed and the target verified.</summary>
    public int DraftedTokens { get; private set; }
    /// <summary>Proposed tokens the target kept.</summary>
    public int AcceptedDraftTokens { get; private set; }
    /// <summary>
    /// True once speculation stopped paying and every token it decided was returned: the caller decodes the last one
    /// at <see cref="PendingPosition"/> and goes on plainly, with nothing of the session's left per token.
    /// </summary>
    public bool HandedBack => !_controller.Active && _ready.Count == 0;
    /// <summary>Where the last token returned goes in the target's KV cache (it is not decoded yet).</summary>
    public int PendingPosition => _inTarget;
    /// <summary>Milliseconds since the session started (the generation after the prompt).</summary>
    public double ElapsedMs => Stopwatch.GetElapsedTime(_started).TotalMilliseconds;

    /// <summary>The next token of the generation, or -1 when decoding was aborted.</summary>
    public int Next()
    {
        if (_ready.Count == 0)
        {
            // The first token comes from the prompt's logits; then a few plain steps tell what a plain token costs
            // (and, guessed by the draft, whether it agrees at all).
            if (_history.Count == _inTarget) Emit(Pick(Llama.Logits(_target, -1, _vocabularySize)));
            else if (!(_plainMs is { Count: < PlainTokensMeasured } || !_controller.Active ? PlainStep() : SpeculativeRound())) return -1;
        }
        return _ready.Dequeue();
    }

    /// <summary>Decodes the pending token alone and picks the next; false when aborted.</summary>
    private bool PlainStep()
    {
        var measured = _plainMs is { Count: < PlainTokensMeasured };
        // While plain tokens are measured the draft guesses each one: evidence of its agreement that costs one drafted
        // token instead of a verification of several.
        var guessed = measured && _controller.Active ? _draft.Propose(_history, _proposal.AsSpan(0, 1), _draftDistributions, _sampling) : 0;
        if (guessed < 0) return false;
        var begun = Stopwatch.GetTimestamp();
        Span<int> one = [_history[^1]];
        if (Llama.Decode(_target, _batch.Fill(one, _inTarget, logitsForLast: true)) == DecodeStatus.Aborted) return false;
        _inTarget++;
        var logits = Llama.Logits(_target, -1, _vocabularySize);
        int token;
        if (guessed > 0)
        {
            // Judged as a round judges its first proposal, so a kept guess is the target's own choice (or draw).
            (var kept, token, var chance) = Judge(logits, 0, withChance: true);
            _draft.Commit(kept ? 1 : 0);
            DraftedTokens++;
            if (kept) AcceptedDraftTokens++;
            _controller.RecordGuess(chance);
        }
        else token = Pick(logits);
        if (measured) _plainMs!.Add(Stopwatch.GetElapsedTime(begun).TotalMilliseconds);
        Emit(token);
        return true;
    }

    /// <summary>One draft-and-verify round; queues the tokens it keeps. False when decoding was aborted.</summary>
    private bool SpeculativeRound()
    {
        // The draft reads the prompt once, outside the rounds' timing: that cost says nothing about later rounds.
        if (!_draftCaughtUp && !(_draftCaughtUp = _draft.Observe(_history))) return false;
        var begun = Stopwatch.GetTimestamp();
        // Room for the pending token and the proposal in the context.
        var length = Math.Min(_controller.Length, _contextSize - _history.Count - 1);
        var drafted = length <= 0 ? 0 : _draft.Propose(_history, _proposal.AsSpan(0, length), _draftDistributions, _sampling);
        if (drafted < 0) return false;
        if (drafted == 0) return PlainStep();
        var draftElapsed = Stopwatch.GetElapsedTime(begun).TotalMilliseconds;

        Span<int> tokens = stackalloc int[drafted + 1];
        tokens[0] = _history[^1];
        _proposal.AsSpan(0, drafted).CopyTo(tokens[1..]);
        if (Llama.Decode(_target, _batch.FillWithAllLogits(tokens, _inTarget)) == DecodeStatus.Aborted) return false;
        var (accepted, own) = Verify(drafted);

        // Keep the pending token and the accepted prefix in the target's cache; the rest was rejected.
        var kept = _inTarget + 1 + accepted;
        if (accepted < drafted) Llama.RemoveFrom(_target, kept);
        _inTarget = kept;
        _draft.Commit(accepted);
        for (var i = 0; i < accepted; i++) Emit(_proposal[i]);
        Emit(own);
        DraftedTokens += drafted;
        AcceptedDraftTokens += accepted;
        _controller.Record(drafted, accepted, draftElapsed, Stopwatch.GetElapsedTime(begun).TotalMilliseconds - draftElapsed, PlainTokenMs());
        return true;
    }

    /// <summary>How many of the <paramref name="drafted"/> proposals the target keeps, and the token of its own that follows them.</summary>
    private (int Accepted, int Own) Verify(int drafted)
    {
        for (var accepted = 0; ; accepted++)
        {
            var logits = Llama.Logits(_target, accepted, _vocabularySize);
            if (accepted == drafted) return (accepted, Pick(logits));
            var (kept, own, _) = Judge(logits, accepted);
            if (!kept) return (accepted, own);
        }
    }

    /// <summary>
    /// Whether the target, at <paramref name="logits"/>, keeps proposal <paramref name="at"/>; the token that stands there
    /// either way; and, <paramref name="withChance"/>, the chance it had of being kept (at temperature 0, 1 or 0), which
    /// only guesses need: the rounds' verifications leave it out.
    /// </summary>
    private (bool Kept, int Token, double Chance) Judge(ReadOnlySpan<float> logits, int at, bool withChance = false)
    {
        var proposed = _proposal[at];
        if (_sampling is null)
        {
            var own = TokenDistribution.ArgMax(logits);
            return own == proposed ? (true, own, 1) : (false, own, 0);
        }
        var p = _distribution.From(logits);
        var q = _draftDistributions[at] ?? SparseDistribution.Certain(proposed);
        var chance = withChance ? p.Overlap(q) : 0;
        return _random.NextDouble() < Math.Min(1.0, p[proposed] / q[proposed])
            ? (true, proposed, chance)
            : (false, p.Residual(q).Sample(_random.NextDouble()), chance);
    }

    // The median of the plain steps measured: the first after the prompt may carry one-off costs.
    private double? PlainTokenMs() => _plainMs is { Count: > 0 } ? _plainMs.Order().ElementAt(_plainMs.Count / 2) : null;

    private int Pick(ReadOnlySpan<float> logits) =>
        _sampling is null ? TokenDistribution.ArgMax(logits) : _distribution.From(logits).Sample(_random.NextDouble());

    private void Emit(int token)
    {
        _history.Add(token);
        _ready.Enqueue(token);
    }

    public void Dispose() => _batch.Dispose();
}
