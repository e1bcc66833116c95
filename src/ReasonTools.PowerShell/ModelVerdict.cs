using ReasonTools.Core.Hardware;
using ReasonTools.Reports;

namespace ReasonTools.PowerShell;

/// <summary>"Can this machine run it?" for one catalog model: the answer, and the numbers behind it.</summary>
public sealed record ModelVerdict
{
    /// <summary>The catalog model's full name.</summary>
    public required string Model { get; init; }
    public required string Quantization { get; init; }
    public required int ContextSize { get; init; }
    /// <summary>Fits, Slow (fits, below MinTokensPerSecond) or DoesNotFit: the answer the Verdict sentence words.</summary>
    public required FitVerdict Fit { get; init; }
    /// <summary>True when the model fits in this machine's memory (GPU, system, or both).</summary>
    public required bool CanRun { get; init; }
    /// <summary>True when it fits and the estimated speed reaches the minimum a reasoning model is usable at.</summary>
    public required bool Recommended { get; init; }
    public required Placement Placement { get; init; }
    public required int GpuLayers { get; init; }
    /// <summary>Memory the model needs: weights, KV cache and buffers, in GB (10^9 bytes).</summary>
    public required double RequiredGB { get; init; }
    /// <summary>Memory this machine allows the model, in GB (10^9 bytes).</summary>
    public required double AllowedGB { get; init; }
    public required double? EstimatedTokensPerSecond { get; init; }
    public required double MinTokensPerSecond { get; init; }
    /// <summary>The answer in one sentence, with an alternative when the model does not fit or is slow.</summary>
    public required string Verdict { get; init; }
    /// <summary>What to run instead (name and quantization), when the model does not fit or is slow.</summary>
    public string? Alternative { get; init; }
    /// <summary>How the estimate was reached, step by step.</summary>
    public IReadOnlyList<string> Reasoning { get; init; } = [];
    /// <summary>The family's small model as a draft for speculative decoding (name and quantization); null when the family has none small enough.</summary>
    public string? DraftModel { get; init; }
    /// <summary>True when the draft fits beside the model: the weights, KV caches and buffers of both.</summary>
    public bool? DraftFits { get; init; }
    /// <summary>Memory the model and the draft need together, in GB (10^9 bytes).</summary>
    public double? DraftRequiredGB { get; init; }
    /// <summary>The estimated tokens per second with the draft, at the assumed acceptance (DraftAssumedAcceptance).</summary>
    public double? DraftTokensPerSecond { get; init; }
    /// <summary>Share of drafted tokens the draft estimate assumes are kept, 0 to 1.</summary>
    public double? DraftAssumedAcceptance { get; init; }

    /// <summary>The verdict for an assessment from the hardware probe (pure).</summary>
    public static ModelVerdict From(ModelAssessment assessment)
    {
        var e = assessment.Estimate;
        return new ModelVerdict
        {
            Model = e.Model.Name,
            Quantization = e.Model.Quantization,
            ContextSize = e.ContextSize,
            Fit = assessment.Verdict,
            CanRun = e.Fits,
            Recommended = assessment.Verdict == FitVerdict.Fits,
            Placement = e.Placement,
            GpuLayers = e.GpuLayers,
            RequiredGB = Math.Round(e.RequiredBytes / 1e9, 2),
            AllowedGB = Math.Round(e.AllowedBytes / 1e9, 2),
            EstimatedTokensPerSecond = e.EstimatedTokensPerSecond is { } s ? Math.Round(s, 1) : null,
            MinTokensPerSecond = assessment.MinTokensPerSecond,
            Verdict = HardwareText.Verdict(assessment),
            Alternative = assessment.Alternative is { } a && a.Candidate.Spec != e.Model
                ? $"{a.Candidate.Spec.Name} {a.Candidate.Spec.Quantization}" : null,
            Reasoning = e.Reasoning,
            DraftModel = assessment.Draft is { } d ? $"{d.Model} {d.Quantization}" : null,
            DraftFits = assessment.Draft?.Fits,
            DraftRequiredGB = assessment.Draft is { } r ? Math.Round(r.RequiredBytes / 1e9, 2) : null,
            DraftTokensPerSecond = assessment.Draft?.ExpectedTokensPerSecond is { } t ? Math.Round(t, 1) : null,
            DraftAssumedAcceptance = assessment.Draft?.AssumedAcceptance,
        };
    }
}
