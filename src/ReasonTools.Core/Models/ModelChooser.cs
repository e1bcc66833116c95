using ReasonTools.Core.Hardware;

namespace ReasonTools.Core.Models;

/// <summary>A model file that could be run: found locally (<paramref name="Path"/> set) or downloadable from the catalog.</summary>
public sealed record ModelCandidate(ModelSpec Spec, string? Path = null, CatalogModel? Catalog = null)
{
    /// <summary>A catalog file not yet downloaded.</summary>
    public static ModelCandidate FromCatalog(CatalogModel model, CatalogFile file) => new(model.Spec(file), null, model);

    /// <summary>Every catalog model × quantization, as download candidates.</summary>
    public static IReadOnlyList<ModelCandidate> AllFromCatalog() =>
        ModelCatalog.All.SelectMany(m => m.Files.Select(f => FromCatalog(m, f))).ToList();

    /// <summary>The catalog size label ("7b") when known, else the parameter count in billions ("7.6b").</summary>
    public string SizeLabel => Catalog?.Size ?? ModelCatalog.Find(Spec.Name)?.Model.Size
        ?? (Spec.Shape.EstimateParameters() / 1e9).ToString("0.#", System.Globalization.CultureInfo.InvariantCulture) + "b";
}

/// <summary>Settings of the automatic choice.</summary>
public sealed record ChoiceOptions
{
    /// <summary>Context and estimator settings.</summary>
    public FitOptions Fit { get; init; } = new();
    /// <summary>Below this estimated speed (tokens/s) a reasoning model is too slow to be worth choosing.</summary>
    public const double DefaultMinTokensPerSecond = 5;

    /// <summary>The slowest estimated generation speed worth choosing.</summary>
    public double MinTokensPerSecond { get; init; } = DefaultMinTokensPerSecond;
}

/// <summary>The chosen model with its estimate; <see cref="NeedsDownload"/> when it is not on this machine yet.</summary>
public sealed record ModelChoice(ModelCandidate Candidate, FitEstimate Estimate, bool NeedsDownload, string Reason)
{
    /// <summary>The report's recommendation.</summary>
    public Recommendation ToRecommendation() =>
        new(Candidate.Spec.Name, Candidate.Spec.Quantization, Estimate.ContextSize, Estimate.Placement, Estimate.EstimatedTokensPerSecond);
}

/// <summary>
/// Pure automatic choice: the largest model (by parameters), then the most faithful quantization, that fits and
/// reaches the minimum speed. An unknown speed (no bandwidth figure) counts as reaching it. F16 is never preferred
/// over a Q8_0 of the same model that also qualifies: the answers are the same within noise at twice the memory
/// and half the speed. When nothing reaches the speed, the fastest model that fits is chosen.
/// </summary>
public static class ModelChooser
{
    /// <summary>
    /// Chooses among the <paramref name="local"/> files when one of them fits and is fast enough; otherwise the catalog
    /// file to download; otherwise the fastest local or catalog file that fits at all. Null when nothing fits.
    /// </summary>
    public static ModelChoice? Choose(IEnumerable<ModelCandidate> local, MachineProfile machine, ChoiceOptions? options = null)
    {
        options ??= new ChoiceOptions();
        var localList = local.ToList();
        var fromLocal = Best(localList, machine, options, needsDownload: false);
        if (fromLocal is { Fast: true }) return fromLocal.Value.Choice;
        var fromCatalog = Best(ModelCandidate.AllFromCatalog(), machine, options, needsDownload: true);
        if (fromCatalog is { Fast: true })
        {
            var reason = localList.Count == 0
                ? "No model was found on this machine. " + fromCatalog.Value.Choice.Reason
                : (localList.Count == 1 ? "The one local model file does not fit or falls below" : $"None of the {localList.Count} local model files fits and reaches")
                  + $" {options.MinTokensPerSecond:0.#} tokens/s. " + fromCatalog.Value.Choice.Reason;
            return fromCatalog.Value.Choice with { Reason = reason };
        }
        return fromLocal?.Choice ?? fromCatalog?.Choice;
    }

    /// <summary>The best of <paramref name="candidates"/> by the rule above, or null when none fits.</summary>
    public static ModelChoice? ChooseAmong(IEnumerable<ModelCandidate> candidates, MachineProfile machine, ChoiceOptions? options = null, bool needsDownload = false) =>
        Best(candidates.ToList(), machine, options ?? new ChoiceOptions(), needsDownload)?.Choice;

    private static (ModelChoice Choice, bool Fast)? Best(IReadOnlyList<ModelCandidate> candidates, MachineProfile machine, ChoiceOptions options, bool needsDownload)
    {
        var fitting = candidates
            .Select(c => (Candidate: c, Estimate: FitEstimator.Estimate(c.Spec, machine, options.Fit)))
            .Where(x => x.Estimate.Fits)
            .ToList();
        if (fitting.Count == 0) return null;

        bool FastEnough(FitEstimate e) => e.EstimatedTokensPerSecond is null || e.EstimatedTokensPerSecond >= options.MinTokensPerSecond;
        var fast = fitting.Where(x => FastEnough(x.Estimate)).ToList();
        if (fast.Count > 0)
        {
            var best = fast
                .OrderByDescending(x => x.Candidate.Spec.Shape.EstimateParameters())
                .ThenByDescending(x => PreferenceRank(x.Candidate, fast.Select(f => f.Candidate)))
                .ThenByDescending(x => x.Estimate.EstimatedTokensPerSecond ?? 0)
                .First();
            var speed = best.Estimate.EstimatedTokensPerSecond is null ? "speed unknown" : "about " + MessageUnits.TokensPerSecond(best.Estimate.EstimatedTokensPerSecond);
            return (new ModelChoice(best.Candidate, best.Estimate, needsDownload,
                $"{best.Candidate.Spec.Name} {best.Candidate.Spec.Quantization} is the largest model that fits ({PlacementWords(best.Estimate)}) " +
                $"and reaches {options.MinTokensPerSecond:0.#} tokens/s ({speed})."), true);
        }
        var fastest = fitting.OrderByDescending(x => x.Estimate.EstimatedTokensPerSecond).First();
        return (new ModelChoice(fastest.Candidate, fastest.Estimate, needsDownload,
            $"No model reaches {options.MinTokensPerSecond:0.#} tokens/s here; {fastest.Candidate.Spec.Name} {fastest.Candidate.Spec.Quantization} " +
            $"is the fastest that fits (about {MessageUnits.TokensPerSecond(fastest.Estimate.EstimatedTokensPerSecond)})."), false);
    }

    // F16 ranks below Q8_0 when a Q8_0 of the same model qualifies too.
    private static int PreferenceRank(ModelCandidate candidate, IEnumerable<ModelCandidate> qualifying)
    {
        int rank = ModelCatalog.QualityRank(candidate.Spec.Quantization);
        bool isF16 = ModelCatalog.NormalizeQuantization(candidate.Spec.Quantization) == "F16";
        return isF16 && qualifying.Any(q => q.Spec.Name == candidate.Spec.Name && ModelCatalog.NormalizeQuantization(q.Spec.Quantization) == "Q8_0")
            ? ModelCatalog.QualityRank("Q8_0") - 1
            : rank;
    }

    internal static string PlacementWords(FitEstimate estimate) => estimate.Placement switch
    {
        Placement.Gpu => "all on the GPU",
        Placement.Partial => $"{estimate.GpuLayers} of {estimate.Model.Shape.Layers} layers on the GPU",
        Placement.Cpu => "on the CPU",
        _ => "does not fit",
    };
}
