using ReasonTools.Core.Gguf;
using ReasonTools.Core.Models;

namespace ReasonTools.Core.Inference.Speculative;

/// <summary>A model that may draft for a target, and what the two need together.</summary>
public sealed record DraftCandidate(LocalModel Model, GgufFile File);

/// <summary>
/// Picks the draft <c>auto</c> means (pure): the smallest candidate with the target's vocabulary whose target is at
/// least <see cref="MinimumSizeRatio"/> times larger, when both fit this machine together (the fit estimate of
/// each, so the draft's weights and KV cache count).
/// </summary>
public static class DraftChooser
{
    /// <summary>How many times more parameters the target must have than its draft for drafting to pay.</summary>
    public const double MinimumSizeRatio = 4;

    /// <summary>The chosen draft, or null; <paramref name="why"/> says why none was chosen.</summary>
    public static DraftCandidate? Choose(GgufFile target, string targetPath, IEnumerable<DraftCandidate> candidates, MachineProfile machine,
        FitOptions fit, out string why)
    {
        var targetSpec = GgufModelSpec.From(target, target.Name ?? Path.GetFileNameWithoutExtension(targetPath));
        why = "no local model is at least 4× smaller with the same vocabulary";
        foreach (var candidate in candidates.OrderBy(c => c.Model.Parameters))
        {
            if (SamePath(candidate.Model.Path, targetPath)) continue;
            if (candidate.Model.Parameters * MinimumSizeRatio > target.ParameterCount) continue;
            if (DraftVocabulary.Mismatch(target, candidate.File) is not null) continue;
            if (candidate.Model.Spec is not { } draftSpec) continue;
            if (!FitsTogether(targetSpec, draftSpec, machine, fit))
            {
                why = $"{candidate.Model.Name} would draft, but the two do not fit this machine together";
                continue;
            }
            why = "";
            return candidate;
        }
        return null;
    }

    /// <summary>Whether the target and the draft, each with a KV cache of the context, fit the machine at once.</summary>
    public static bool FitsTogether(ModelSpec target, ModelSpec draft, MachineProfile machine, FitOptions fit) =>
        DraftFitEstimator.Estimate(FitEstimator.Estimate(target, machine, fit), draft, machine, fit).Fits;

    private static bool SamePath(string a, string b) =>
        string.Equals(Path.GetFullPath(a), Path.GetFullPath(b), OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
}
