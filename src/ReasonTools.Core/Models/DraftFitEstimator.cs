namespace ReasonTools.Core.Models;

/// <summary>
/// A draft model beside a target (speculative decoding): whether both fit this machine at once, each with its
/// weights, KV cache of the context and buffers, and the speed expected with it.
/// </summary>
/// <param name="Model">The draft's name.</param>
/// <param name="Quantization">The draft's quantization.</param>
/// <param name="DraftRequiredBytes">What the draft alone needs: weights + KV cache + buffers.</param>
/// <param name="DraftWeightsBytes">The draft's weights.</param>
/// <param name="DraftKvCacheBytes">The draft's KV cache at the context size.</param>
/// <param name="RequiredBytes">What the target and the draft need together.</param>
/// <param name="AllowedBytes">What this machine allows them.</param>
/// <param name="Fits">True when both fit at once.</param>
/// <param name="PlainTokensPerSecond">The target's estimated speed alone.</param>
/// <param name="ExpectedTokensPerSecond">The target's estimated speed with the draft (null when it does not fit or a speed is unknown).</param>
/// <param name="AssumedAcceptance">Share of drafted tokens the estimate assumes the target keeps.</param>
/// <param name="DraftLength">Tokens drafted per round at which the estimate is best.</param>
public sealed record DraftFit(
    string Model,
    string Quantization,
    long DraftRequiredBytes,
    long DraftWeightsBytes,
    long DraftKvCacheBytes,
    long RequiredBytes,
    long AllowedBytes,
    bool Fits,
    double? PlainTokensPerSecond,
    double? ExpectedTokensPerSecond,
    double AssumedAcceptance,
    int DraftLength)
{
    /// <summary>Expected speed with the draft against the target alone (null when either is unknown).</summary>
    public double? Speedup => ExpectedTokensPerSecond is { } e && PlainTokensPerSecond is { } p && p > 0 ? e / p : null;
}

/// <summary>
/// Pure estimate of a target with a draft. Memory: the two fit when each fits alone and their needs together
/// (weights, KV caches and buffers of both) stay within what the machine allows. Speed: a round drafts k tokens,
/// one at a time at the draft's own speed, then the target verifies them in one batch; at acceptance a it yields
/// E(k) = 1 + a + … + a^k tokens. Generation is memory-bound, so verifying reads the target's weights once, like
/// one plain token; on a CPU the batch also costs compute, counted as <see cref="CpuVerifyShare"/> of a plain token
/// per drafted token. The best k up to <see cref="MaxDraftLength"/> gives the expected speed.
/// </summary>
public static class DraftFitEstimator
{
    /// <summary>Acceptance the estimate assumes: the family's small model agrees with its larger ones on most tokens of a reasoning chain.</summary>
    public const double AssumedAcceptance = 0.7;

    /// <summary>The longest round the estimate considers (the engine's default most tokens per round).</summary>
    public const int MaxDraftLength = 8;

    /// <summary>Extra cost of verifying one drafted token on a CPU, as a share of a plain token.</summary>
    public const double CpuVerifyShare = 0.15;

    /// <summary>The quantization of the family draft the estimates use.</summary>
    public const string DraftQuantization = "Q4_K_M";

    /// <summary>
    /// The catalog's draft for <paramref name="target"/>: its family's smallest model (same architecture, vocabularies
    /// differing only by padding) with at least <see cref="Inference.Speculative.DraftChooser.MinimumSizeRatio"/> times
    /// fewer parameters; null when there is none.
    /// </summary>
    public static CatalogModel? FamilyDraft(CatalogModel target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return ModelCatalog.All
            .Where(m => m != target && m.Shape.Architecture == target.Shape.Architecture
                        && Math.Abs(m.Shape.VocabSize - target.Shape.VocabSize) <= 256
                        && m.Parameters * Inference.Speculative.DraftChooser.MinimumSizeRatio <= target.Parameters)
            .MinBy(m => m.Parameters);
    }

    /// <summary>The target of <paramref name="target"/> (its fit estimate) with <paramref name="draft"/> beside it.</summary>
    public static DraftFit Estimate(FitEstimate target, ModelSpec draft, MachineProfile machine, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        var d = FitEstimator.Estimate(draft, machine, options);
        var required = target.RequiredBytes + d.RequiredBytes;
        var fits = target.Fits && d.Fits && required <= target.AllowedBytes;
        double? expected = null;
        var length = 1;
        if (fits && target.EstimatedTokensPerSecond is { } plain && plain > 0 && d.EstimatedTokensPerSecond is { } draftSpeed && draftSpeed > 0)
        {
            var verifyShare = target.Placement == Hardware.Placement.Cpu ? CpuVerifyShare : 0;
            for (var k = 1; k <= MaxDraftLength; k++)
                if (RoundSpeed(k, plain, draftSpeed, verifyShare) is var speed && speed > (expected ?? 0)) (length, expected) = (k, speed);
        }
        return new DraftFit(draft.Name, draft.Quantization, d.RequiredBytes, d.WeightsBytes, d.KvCacheBytes, required, target.AllowedBytes, fits,
            target.EstimatedTokensPerSecond, expected, AssumedAcceptance, length);
    }

    /// <summary>Tokens/s of rounds of <paramref name="k"/> drafted tokens at <see cref="AssumedAcceptance"/>.</summary>
    private static double RoundSpeed(int k, double plainTokensPerSecond, double draftTokensPerSecond, double verifyShare)
    {
        double expectedTokens = 1, power = 1;
        for (var i = 0; i < k; i++) expectedTokens += power *= AssumedAcceptance;
        var seconds = k / draftTokensPerSecond + (1 + k * verifyShare) / plainTokensPerSecond;
        return expectedTokens / seconds;
    }
}
