namespace ReasonTools.Core.Models;

/// <summary>
/// The model would not fit in this machine's memory. The message gives the numbers and what to do instead;
/// the properties hold the same alternatives for callers that offer them differently.
/// </summary>
public sealed class ModelDoesNotFitException : ReasonFailure
{
    public ModelDoesNotFitException(FitEstimate estimate, FitEstimate? smallerQuantization, int? largestContext, ModelChoice? recommended)
        : this(estimate, smallerQuantization, largestContext, recommended, Steps(estimate, smallerQuantization, largestContext, recommended)) { }

    private ModelDoesNotFitException(FitEstimate estimate, FitEstimate? smaller, int? context, ModelChoice? recommended, IReadOnlyList<NextStep> steps)
        : base(FailureKind.DoesNotFit, w => Describe(w, estimate, steps))
    {
        Estimate = estimate;
        SmallerQuantization = smaller;
        LargestContext = context;
        Recommended = recommended;
        Model = estimate.Model.Name;
        Quantization = estimate.Model.Quantization;
        RequiredBytes = estimate.RequiredBytes;
        NextSteps = steps;
    }

    /// <summary>The refused estimate with every component in bytes.</summary>
    public FitEstimate Estimate { get; }
    /// <summary>The most faithful smaller quantization of the same catalog model that fits, if any.</summary>
    public FitEstimate? SmallerQuantization { get; }
    /// <summary>The largest context at which this file fits, if any smaller one does.</summary>
    public int? LargestContext { get; }
    /// <summary>The model this machine should run instead, if any fits.</summary>
    public ModelChoice? Recommended { get; }

    private static IReadOnlyList<NextStep> Steps(FitEstimate estimate, FitEstimate? smaller, int? context, ModelChoice? recommended)
    {
        var steps = new List<NextStep>();
        if (smaller is not null)
            steps.Add(new NextStep(NextStepKind.UseQuantization) { Model = smaller.Model.Name, Quantization = smaller.Model.Quantization, RequiredBytes = smaller.RequiredBytes });
        if (context is not null)
            steps.Add(new NextStep(NextStepKind.ChangeSetting) { Setting = SettingNames.ContextSize, Value = context.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        if (recommended is not null && recommended.Candidate.Spec.Name != estimate.Model.Name)
        {
            // Speed is unknown when the bandwidth was not measured (the engine's quick probe): say nothing rather than "?".
            var notes = new List<string>();
            if (recommended.Estimate.EstimatedTokensPerSecond is not null)
                notes.Add($"about {MessageUnits.TokensPerSecond(recommended.Estimate.EstimatedTokensPerSecond)}");
            if (recommended.NeedsDownload) notes.Add("to download");
            steps.Add(new NextStep(NextStepKind.UseModel)
            {
                Model = recommended.Candidate.Spec.Name,
                Quantization = recommended.Candidate.Spec.Quantization,
                Detail = notes.Count > 0 ? string.Join(", ", notes) : null,
            });
        }
        return steps;
    }

    private static string Describe(IFailureWording w, FitEstimate estimate, IReadOnlyList<NextStep> steps)
    {
        var tries = steps.Select(s => s.Kind switch
        {
            NextStepKind.UseQuantization => $"the {s.Quantization} file of the same model (needs {MessageUnits.Gb(s.RequiredBytes ?? 0)})",
            NextStepKind.ChangeSetting => $"a smaller context ({w.Setting(SettingNames.ContextSize, s.Value)})",
            _ => $"{s.Model} {s.Quantization}" + (s.Detail is null ? "" : $" ({s.Detail})"),
        }).ToList();
        return $"{estimate.Model.Name} {estimate.Model.Quantization} does not fit: it {estimate.Summary}." +
               (tries.Count > 0 ? " Try " + string.Join("; or ", tries) + "." : " No smaller option fits either.");
    }
}

/// <summary>What the engine calls before loading weights.</summary>
public static class FitGuard
{
    /// <summary>
    /// Returns the estimate when <paramref name="model"/> fits on <paramref name="machine"/>; otherwise throws
    /// <see cref="ModelDoesNotFitException"/> naming a smaller quantization of the same catalog model, the largest
    /// context that fits, and the recommended model among <paramref name="localCandidates"/> or the catalog.
    /// </summary>
    public static FitEstimate EnsureFits(ModelSpec model, MachineProfile machine, ChoiceOptions? options = null, IEnumerable<ModelCandidate>? localCandidates = null)
    {
        options ??= new ChoiceOptions();
        var estimate = FitEstimator.Estimate(model, machine, options.Fit);
        if (estimate.Fits) return estimate;

        FitEstimate? smaller = null;
        if (ModelCatalog.Find(model.Name)?.Model is { } catalog)
        {
            smaller = catalog.Files
                .Where(f => f.SizeBytes < model.FileSizeBytes)
                .Select(f => FitEstimator.Estimate(catalog.Spec(f), machine, options.Fit))
                .Where(e => e.Fits)
                .OrderByDescending(e => e.Model.FileSizeBytes)
                .FirstOrDefault();
        }
        var context = FitEstimator.LargestContextThatFits(model, machine, options.Fit, options.Fit.ContextSize - 1);
        var recommended = ModelChooser.Choose(localCandidates ?? [], machine, options);
        throw new ModelDoesNotFitException(estimate, smaller, context, recommended);
    }
}
