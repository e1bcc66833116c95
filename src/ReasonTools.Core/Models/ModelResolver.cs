using ReasonTools.Core.Hardware;

namespace ReasonTools.Core.Models;

/// <summary>A name matched several different local models; <see cref="Candidates"/> lists them.</summary>
public sealed class AmbiguousModelException(string reference, IReadOnlyList<LocalModel> candidates)
    : ReasonFailure(FailureKind.BadInput, $"'{reference}' matches {candidates.Count} local models; name one of them (by path or with its quantization):" +
                        string.Concat(candidates.Select(c => $"{Environment.NewLine}  {ModelResolver.Describe(c)}")))
{
    /// <summary>What the user asked for.</summary>
    public string Reference { get; } = reference;
    /// <summary>One model of each matching name and quantization.</summary>
    public IReadOnlyList<LocalModel> Candidates { get; } = candidates;
}

/// <summary>A catalog model (in the asked quantization) is not on this machine; the message says how to download it.</summary>
public sealed class ModelNotDownloadedException : ReasonFailure
{
    public ModelNotDownloadedException(string reference, CatalogModel model, string? quantization, IReadOnlyList<LocalModel> otherQuantizations)
        : base(FailureKind.ModelNotFound, w =>
            $"{model.Name}{(quantization is null ? "" : " " + quantization)} is not on this machine. Download it with: {w.Download(model.Size, ModelResolver.DownloadQuantization(quantization))}" +
            (otherQuantizations.Count == 0 ? "" : $" (found locally: {string.Join(", ", otherQuantizations.Select(o => o.Quantization).Distinct())})."))
    {
        Reference = reference;
        Model = model;
        base.Model = model.Name;
        base.Quantization = quantization;
        Setting = SettingNames.Model;
        NextSteps = [new NextStep(NextStepKind.Download) { Model = model.Size, Quantization = ModelResolver.DownloadQuantization(quantization) }, new NextStep(NextStepKind.GiveModelPath)];
    }

    /// <summary>What the user asked for.</summary>
    public string Reference { get; }
    /// <summary>The catalog model the reference named (<see cref="ReasonFailure.Model"/> holds its name).</summary>
    public new CatalogModel Model { get; }
}

/// <summary>No R1-distill model on this machine fits it; the message names the download that would, if one does.</summary>
public sealed class NoRunnableModelException : ReasonFailure
{
    public NoRunnableModelException(int candidatesFound, ModelChoice? download)
        : base(FailureKind.ModelNotFound, w => Describe(w, candidatesFound, download))
    {
        Setting = SettingNames.Model;
        NextSteps = download?.Candidate.Catalog is { } model
            ? [new NextStep(NextStepKind.Download) { Model = model.Size, Quantization = ModelResolver.DownloadQuantization(download.Candidate.Spec.Quantization) }, new NextStep(NextStepKind.GiveModelPath)]
            : [new NextStep(NextStepKind.GiveModelPath)];
    }

    private static string Describe(IFailureWording w, int candidatesFound, ModelChoice? download)
    {
        var found = candidatesFound == 0 ? "No DeepSeek-R1-Distill model was found on this machine" : $"None of the {candidatesFound} R1-distill model(s) found fits this machine";
        return download?.Candidate.Catalog is { } model
            ? $"{found}. Download one that fits with: {w.Download(model.Size, ModelResolver.DownloadQuantization(download.Candidate.Spec.Quantization))}, or pass {w.Setting(SettingNames.Model)} with a GGUF path."
            : $"{found}, and no catalog model fits either; pass {w.Setting(SettingNames.Model)} with a smaller GGUF file.";
    }
}

/// <summary>A model file named by path does not exist.</summary>
public sealed class ModelFileNotFoundException(string path, string message, Exception? inner = null) : ReasonFailure(FailureKind.ModelNotFound, message, inner)
{
    /// <summary>The full path that was looked for.</summary>
    public string Path { get; } = path;
}

/// <summary>A local model with the fit estimate for this machine (null when its metadata cannot be estimated).</summary>
public sealed record LocalModelFit(LocalModel Model, FitEstimate? Estimate);

/// <summary>
/// Turns a model reference into a local file: a path, a catalog size ("1.5b", "7B"), a full name with or without a
/// quantization ("DeepSeek-R1-Distill-Qwen-7B", "DeepSeek-R1-Distill-Qwen-7B-Q8_0", "7b-q8_0"), an Ollama tag
/// ("deepseek-r1:7b", "deepseek-r1:32b-qwen-distill-q4_K_M"), or the name of any found file. Copies of the same model
/// and quantization in several places resolve to the first found (configured folders, ReasonTools' folder, Hugging
/// Face, LM Studio, Ollama); different models or quantizations are an <see cref="AmbiguousModelException"/>.
/// </summary>
public static class ModelResolver
{
    /// <summary>
    /// The path llama.cpp should open for <paramref name="reference"/>. An existing file is returned as given without
    /// searching. Throws <see cref="ModelNotDownloadedException"/> (a catalog model that is not here),
    /// <see cref="AmbiguousModelException"/>, <see cref="UnknownModelException"/>, or <see cref="ModelFileNotFoundException"/>
    /// for a path that does not exist.
    /// </summary>
    public static string ResolveLocal(string reference, ModelEnvironment? environment = null)
    {
        if (string.IsNullOrWhiteSpace(reference)) throw NoModelGiven();
        if (File.Exists(reference)) return reference;
        if (LooksLikePath(reference)) throw new ModelFileNotFoundException(Path.GetFullPath(reference), $"Model file not found: {Path.GetFullPath(reference)}");
        try
        {
            return Resolve(reference, ModelLocator.Locate(environment).Models).Path;
        }
        catch (UnknownModelException) when (reference.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
        {
            throw new ModelFileNotFoundException(Path.GetFullPath(reference), $"Model file not found: {Path.GetFullPath(reference)}, and no model found on this machine has that file name.");
        }
    }

    /// <summary>The model among <paramref name="models"/> that <paramref name="reference"/> names (pure; same rules and errors as <see cref="ResolveLocal"/>).</summary>
    public static LocalModel Resolve(string reference, IReadOnlyList<LocalModel> models)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(models);
        var text = reference.Trim();

        // An Ollama tag found in Ollama's store names exactly that manifest, whatever the model is.
        var tag = text.Contains(':', StringComparison.Ordinal) ? text : text + ":latest";
        if (models.FirstOrDefault(m => m.Source == ModelSource.Ollama && string.Equals(m.SourceName, tag, StringComparison.OrdinalIgnoreCase)) is { } tagged)
            return tagged;

        var selection = ModelCatalog.Find(text);
        List<LocalModel> matches;
        if (selection is not null)
        {
            matches = models.Where(m => m.Catalog == selection.Model && (selection.Quantization is null || m.HasQuantization(selection.Quantization))).ToList();
            if (matches.Count == 0)
                throw new ModelNotDownloadedException(reference, selection.Model, selection.Quantization, models.Where(m => m.Catalog == selection.Model).ToList());
        }
        else
        {
            matches = models.Where(m => NamedBy(m, text)).ToList();
            if (matches.Count == 0) throw new UnknownModelException(reference);
        }

        var distinct = matches.GroupBy(m => (m.Name.ToUpperInvariant(), (ModelCatalog.NormalizeQuantization(m.Quantization) ?? m.Quantization).ToUpperInvariant()))
            .Select(g => g.First()).ToList();
        return distinct.Count == 1 ? distinct[0] : throw new AmbiguousModelException(reference, distinct);
    }

    /// <summary>
    /// The best R1-distill model found on this machine for <paramref name="machine"/>: the largest that fits and reaches
    /// the minimum speed, else the fastest that fits (<see cref="ModelChooser"/>). Throws <see cref="NoRunnableModelException"/>
    /// naming the download that would fit when none does.
    /// </summary>
    public static ModelChoice ChooseBestLocal(IEnumerable<LocalModel> models, MachineProfile machine, ChoiceOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(machine);
        var candidates = models.Where(m => m.IsR1Distill).Select(m => m.ToCandidate()).OfType<ModelCandidate>().ToList();
        if (ModelChooser.ChooseAmong(candidates, machine, options) is { } choice) return choice;
        throw new NoRunnableModelException(candidates.Count, ModelChooser.Choose([], machine, options));
    }

    /// <summary><see cref="ChooseBestLocal(IEnumerable{LocalModel}, MachineProfile, ChoiceOptions?)"/> over what <see cref="ModelLocator.Locate"/> finds.</summary>
    public static ModelChoice ChooseBestLocal(MachineProfile machine, ModelEnvironment? environment = null, ChoiceOptions? options = null) =>
        ChooseBestLocal(ModelLocator.Locate(environment).Models, machine, options);

    /// <summary>
    /// Probes this machine (bandwidth included: speed decides the choice) and chooses the best local
    /// model for <paramref name="contextSize"/>: what <c>reason run</c> and <c>Invoke-Reason</c> use when no model is given.
    /// </summary>
    public static async Task<ModelChoice> ChooseBestLocalAsync(int contextSize, CancellationToken cancellationToken = default)
    {
        var probe = await HardwareProbe.CollectDetailedAsync(new HardwareProbeOptions { ContextSize = contextSize }, cancellationToken).ConfigureAwait(false);
        return ChooseBestLocal(probe.Profile, options: probe.ChoiceOptions);
    }

    /// <summary>Each model with its fit estimate on <paramref name="machine"/> (pure).</summary>
    public static IReadOnlyList<LocalModelFit> Assess(IEnumerable<LocalModel> models, MachineProfile machine, FitOptions? options = null) =>
        models.Select(m => new LocalModelFit(m, m.Spec is null ? null : FitEstimator.Estimate(m.Spec, machine, options ?? new FitOptions()))).ToList();

    /// <summary>The quantization a download must name: null for the default (Q4_K_M), otherwise the catalog's spelling.</summary>
    public static string? DownloadQuantization(string? quantization) =>
        quantization is null || ModelCatalog.NormalizeQuantization(quantization) == ModelDownloader.DefaultQuantization
            ? null
            : ModelCatalog.NormalizeQuantization(quantization) ?? quantization;

    /// <summary>The failure for an empty model reference.</summary>
    public static ReasonFailure NoModelGiven() =>
        new(FailureKind.BadInput, "No model given: pass a GGUF path, a size such as 7b, a model name or an Ollama tag.") { Setting = SettingNames.Model };

    /// <summary>One line naming a model for messages: name, quantization, where and from which source.</summary>
    public static string Describe(LocalModel model) =>
        $"{model.Name} {model.Quantization} ({SourceWords(model)}): {model.Path}";

    /// <summary>The source as users know it: "Ollama deepseek-r1:7b", "Hugging Face cache org/repo".</summary>
    public static string SourceWords(LocalModel model) => model.Source switch
    {
        ModelSource.Ollama => $"Ollama {model.SourceName}",
        ModelSource.HuggingFace => $"Hugging Face cache {model.SourceName}",
        ModelSource.LmStudio => model.SourceName is null ? "LM Studio" : $"LM Studio {model.SourceName}",
        ModelSource.Configured => "configured folder",
        ModelSource.Default => "ReasonTools models folder",
        _ => "path",
    };

    private static bool NamedBy(LocalModel model, string text) =>
        string.Equals(model.Name, text, StringComparison.OrdinalIgnoreCase)
        || string.Equals(model.SourceName, text, StringComparison.OrdinalIgnoreCase)
        || string.Equals(ModelNaming.FileStem(model.Path), ModelNaming.FileStem(text), StringComparison.OrdinalIgnoreCase);

    private static bool LooksLikePath(string reference) =>
        reference.Contains('/', StringComparison.Ordinal) && (reference.StartsWith('.') || reference.StartsWith('/') || reference.StartsWith('~')
                                                              || reference.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase))
        || reference.Contains('\\', StringComparison.Ordinal)
        || (reference.Length > 2 && reference[1] == ':' && char.IsAsciiLetter(reference[0]));
}
