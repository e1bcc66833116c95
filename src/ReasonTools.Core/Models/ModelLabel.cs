namespace ReasonTools.Core.Models;

/// <summary>
/// How comparisons name a model in every front: a catalog model by its short name and quantization
/// ("R1-Qwen-1.5B Q4_K_M"), any other file by its file name without ".gguf", a remote model by its label.
/// </summary>
public static class ModelLabel
{
    private const string Family = "DeepSeek-";

    /// <summary>The label of a model found on this machine.</summary>
    public static string Of(LocalModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        return model.Catalog is { } catalog
            ? $"{ShortName(catalog)} {ModelCatalog.NormalizeQuantization(model.Quantization) ?? model.Quantization}"
            : FileLabel(model.Path);
    }

    /// <summary>The label of a catalog model that is not on this machine, with the quantization when one was asked for.</summary>
    public static string Of(CatalogSelection selection)
    {
        ArgumentNullException.ThrowIfNull(selection);
        return selection.Quantization is null ? ShortName(selection.Model) : $"{ShortName(selection.Model)} {selection.Quantization}";
    }

    /// <summary>"R1-Qwen-1.5B" for DeepSeek-R1-Distill-Qwen-1.5B: the family prefix and "Distill" add nothing in a column.</summary>
    public static string ShortName(CatalogModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var name = model.Name.StartsWith(Family, StringComparison.Ordinal) ? model.Name[Family.Length..] : model.Name;
        return name.Replace("-Distill-", "-", StringComparison.Ordinal);
    }

    /// <summary>
    /// The label for what a user passed as a model: a remote reference by its label; a local one by the model it resolves
    /// to (<paramref name="resolveLocal"/>, <see cref="ModelResolver.ResolveLocal"/> by default); a reference that resolves
    /// to nothing by the catalog model it names, else by its file name. Never throws for a reference that cannot be opened:
    /// opening it fails later and says why.
    /// </summary>
    public static string ForReference(string reference, Func<string, string>? resolveLocal = null)
    {
        ArgumentNullException.ThrowIfNull(reference);
        try
        {
            if (Remote.RemoteModelReference.TryParse(reference, out var remote)) return remote!.Label;
        }
        catch (Remote.RemoteModelException)
        {
            return reference;
        }
        string path;
        try
        {
            path = (resolveLocal ?? (r => ModelResolver.ResolveLocal(r)))(reference);
        }
        catch (ReasonFailure)
        {
            return ModelCatalog.Find(reference) is { } selection && !LooksLikeFile(reference) ? Of(selection) : FileLabel(reference);
        }
        try
        {
            return Of(ModelLocator.Inspect(path));
        }
        catch (Exception e) when (e is ReasonFailure or IOException or UnauthorizedAccessException)
        {
            return FileLabel(path);
        }
    }

    /// <summary>Labels for the models of one comparison, made distinct: two copies of one catalog model are told apart by file name.</summary>
    public static IReadOnlyList<string> Distinct(IReadOnlyList<string> references, IReadOnlyList<string> labels)
    {
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(labels);
        var result = labels.ToArray();
        foreach (var group in Enumerable.Range(0, labels.Count).GroupBy(i => labels[i], StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            foreach (var i in group)
            {
                var file = FileLabel(references[i]);
                result[i] = file == labels[i] ? labels[i] : $"{labels[i]} ({file})";
            }
            // The same file given twice still needs two columns.
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var i in group)
            {
                var n = seen[result[i]] = seen.GetValueOrDefault(result[i]) + 1;
                if (n > 1) result[i] = $"{result[i]} #{n}";
            }
        }
        return result;
    }

    private static bool LooksLikeFile(string reference) =>
        reference.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) || reference.Contains('/') || reference.Contains('\\');

    private static string FileLabel(string path)
    {
        var name = Path.GetFileName(path.TrimEnd('/', '\\'));
        if (name.Length == 0) return path;
        return name.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) ? name[..^".gguf".Length] : name;
    }
}
