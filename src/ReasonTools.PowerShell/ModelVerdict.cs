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
        };
    }
}
