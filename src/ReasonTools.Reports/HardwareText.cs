using System.Globalization;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;

namespace ReasonTools.Reports;

/// <summary>
/// The answer to "can this machine run it?" in words, the same in every front: the verdict first, then the reason
/// (what the model needs against what this machine allows, and where that allowance comes from), then what to try.
/// </summary>
public static class HardwareText
{
    /// <summary>
    /// One line, e.g. "No: DeepSeek-R1-Distill-Qwen-32B Q4_K_M needs 21.6 GB, more than the 18.8 GB this machine allows
    /// (90% of 21.5 GB of memory, minus a 537 MB reserve for the system). Try 14B Q4_K_M (about 6.02 tokens/s, download)."
    /// </summary>
    public static string Verdict(ModelAssessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var e = assessment.Estimate;
        var model = $"{e.Model.Name} {e.Model.Quantization}";
        var needs = ReportFormat.Bytes(e.RequiredBytes);
        var allows = $"{ReportFormat.Bytes(e.AllowedBytes)} this machine allows ({Allowance(assessment)})";
        return assessment.Verdict switch
        {
            FitVerdict.DoesNotFit => $"No: {model} needs {needs}, more than the {allows}.{Alternative(assessment)}",
            FitVerdict.Slow =>
                $"Yes, slowly: {model} fits {Where(e)} and needs {needs} of the {allows}, but runs at about {ReportFormat.TokensPerSecond(e.EstimatedTokensPerSecond)}, " +
                $"under the {assessment.MinTokensPerSecond.ToString("0.#", CultureInfo.InvariantCulture)} tokens/s a reasoning chain needs.{Draft(assessment.Draft)}{Alternative(assessment)}",
            _ => $"Yes: {model} fits {Where(e)} and needs {needs} of the {allows}; about {ReportFormat.TokensPerSecond(e.EstimatedTokensPerSecond)}.{Draft(assessment.Draft)}",
        };
    }

    /// <summary>
    /// The family draft beside a model that fits, e.g. " With the 1.5B Q4_K_M as a draft (speculative decoding), both fit
    /// (20.8 GB together); about 1.21 tokens/s expected (1.6× plain, if 70% of drafted tokens are kept)."; empty without one.
    /// </summary>
    public static string Draft(DraftFit? draft)
    {
        if (draft is null) return "";
        var name = $"the {ShortName(draft.Model)} {draft.Quantization}";
        if (!draft.Fits)
            return $" A draft for speculative decoding, {name}, does not fit beside it: the two need {ReportFormat.Bytes(draft.RequiredBytes)}, " +
                   $"more than the {ReportFormat.Bytes(draft.AllowedBytes)} allowed.";
        var fits = $" With {name} as a draft (speculative decoding), both fit ({ReportFormat.Bytes(draft.RequiredBytes)} together)";
        return draft.ExpectedTokensPerSecond is { } expected && draft.Speedup is { } speedup
            ? $"{fits}; about {ReportFormat.TokensPerSecond(expected)} expected ({speedup.ToString("0.0", CultureInfo.InvariantCulture)}× plain, " +
              $"if {ReportFormat.Percent(draft.AssumedAcceptance)} of drafted tokens are kept)."
            : $"{fits}; the speed with it is unknown.";
    }

    /// <summary>A short label of the verdict: "yes", "yes, slowly", "no".</summary>
    public static string VerdictLabel(FitVerdict verdict) => verdict switch
    {
        FitVerdict.Fits => "yes",
        FitVerdict.Slow => "yes, slowly",
        _ => "no",
    };

    /// <summary>True when a model fits but its estimated speed is below the report's minimum: shown as slow, apart from fast fits.</summary>
    public static bool IsSlow(ModelFit fit, double minTokensPerSecond) =>
        fit.Fits && fit.EstimatedTokensPerSecond is { } speed && speed < minTokensPerSecond;

    // "90% of 21.5 GB of memory, minus a 537 MB reserve for the system, plus 22.8 GB of GPU memory".
    private static string Allowance(ModelAssessment assessment)
    {
        var e = assessment.Estimate;
        var system = $"{ReportFormat.Percent(FitEstimator.SystemMemoryShare)} of {ReportFormat.Bytes(assessment.MemoryBudgetBytes)} of memory, " +
                     $"minus a {ReportFormat.Bytes(FitEstimator.SystemHeadroomBytes)} reserve for the system";
        return e.GpuAllowedBytes > 0 ? $"{system}, plus {ReportFormat.Bytes(e.GpuAllowedBytes)} of GPU memory" : system;
    }

    private static string Where(FitEstimate e) => e.Placement switch
    {
        Placement.Gpu => "all on the GPU",
        Placement.Partial => $"partly on the GPU ({e.GpuLayers} layers)",
        _ => "on the CPU",
    };

    private static string Alternative(ModelAssessment assessment) =>
        assessment.Alternative is { } a && a.Candidate.Spec != assessment.Estimate.Model
            ? $" Try {ShortName(a.Candidate)} {a.Candidate.Spec.Quantization} (about {ReportFormat.TokensPerSecond(a.Estimate.EstimatedTokensPerSecond)}{(a.NeedsDownload ? ", download" : "")})."
            : "";

    private static string ShortName(ModelCandidate candidate) =>
        (candidate.Catalog ?? ModelCatalog.Find(candidate.Spec.Name)?.Model)?.Size.ToUpperInvariant() ?? candidate.Spec.Name;

    private static string ShortName(string model) => ModelCatalog.Find(model)?.Model.Size.ToUpperInvariant() ?? model;
}
