using ReasonTools.Core.Models;

namespace ReasonTools.Core.Hardware;

/// <summary>
/// The answer to "can this machine run it?" as <c>reason hardware --json --model</c> carries it in the report
/// (<see cref="HardwareReport.Answer"/>): the verdict, the figures behind it, what to run instead, and the draft.
/// </summary>
/// <param name="Model">The catalog model's full name.</param>
/// <param name="Quantization">The quantization judged.</param>
/// <param name="ContextSize">The context size the estimate assumes.</param>
/// <param name="Verdict">Fits, slow (fits, below <paramref name="MinTokensPerSecond"/>) or does not fit.</param>
/// <param name="Placement">Where it would run.</param>
/// <param name="GpuLayers">Layers on the GPU, counted as llama.cpp's --gpu-layers does.</param>
/// <param name="RequiredBytes">Weights, KV cache and buffers.</param>
/// <param name="AllowedBytes">What this machine allows.</param>
/// <param name="EstimatedTokensPerSecond">Estimated generation speed; null when unknown.</param>
/// <param name="MinTokensPerSecond">The slowest speed counted as usable.</param>
/// <param name="Alternative">What to run instead (name and quantization) when it does not fit or is slow.</param>
/// <param name="Draft">The family's small model as a draft beside it; null when the family has none.</param>
/// <param name="Reasoning">How the estimate was reached, step by step.</param>
public sealed record ModelAnswer(
    string Model,
    string Quantization,
    int ContextSize,
    FitVerdict Verdict,
    Placement Placement,
    int GpuLayers,
    long RequiredBytes,
    long AllowedBytes,
    double? EstimatedTokensPerSecond,
    double MinTokensPerSecond,
    string? Alternative,
    DraftFit? Draft,
    IReadOnlyList<string> Reasoning)
{
    /// <summary>The answer of an assessment (pure).</summary>
    public static ModelAnswer From(ModelAssessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var e = assessment.Estimate;
        return new ModelAnswer(e.Model.Name, e.Model.Quantization, e.ContextSize, assessment.Verdict, e.Placement, e.GpuLayers, e.RequiredBytes,
            e.AllowedBytes, e.EstimatedTokensPerSecond, assessment.MinTokensPerSecond,
            assessment.Alternative is { } a && a.Candidate.Spec != e.Model ? $"{a.Candidate.Spec.Name} {a.Candidate.Spec.Quantization}" : null,
            assessment.Draft, e.Reasoning);
    }
}
