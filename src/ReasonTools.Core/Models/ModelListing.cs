using System.Globalization;
using System.Text;
using ReasonTools.Core.Hardware;

namespace ReasonTools.Core.Models;

/// <summary>
/// One found model as <c>reason models --json</c> and Get-ReasonModel show it: what it is, where, and whether this
/// machine can run it (<paramref name="CanRun"/> null when its metadata cannot be estimated).
/// </summary>
public sealed record ModelListingEntry(
    string Name,
    string Path,
    IReadOnlyList<string> Files,
    string Source,
    string? SourceName,
    string? Architecture,
    long Parameters,
    string Quantization,
    long? ContextLength,
    long SizeBytes,
    bool IsR1Distill,
    string? CatalogSize,
    bool? CanRun,
    Placement? Placement,
    long? RequiredBytes,
    double? EstimatedTokensPerSecond)
{
    /// <summary>The entry of one assessed model.</summary>
    public static ModelListingEntry From(LocalModelFit fit)
    {
        ArgumentNullException.ThrowIfNull(fit);
        var m = fit.Model;
        var e = fit.Estimate;
        return new ModelListingEntry(m.Name, m.Path, m.Files, JsonNameOf(m.Source), m.SourceName, m.Architecture, m.Parameters, m.Quantization,
            m.ContextLength, m.SizeBytes, m.IsR1Distill, m.Catalog?.Size, e?.Fits, e?.Placement, e?.RequiredBytes,
            e?.EstimatedTokensPerSecond);
    }

    private static string JsonNameOf<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        return char.ToLowerInvariant(name[0]) + name[1..];
    }
}

/// <summary>What <c>reason models</c> prints: the entries, the skipped entries' warnings, and the folders searched.</summary>
public sealed record ModelListing(IReadOnlyList<ModelListingEntry> Models, IReadOnlyList<string> Warnings, IReadOnlyList<string> Searched)
{
    /// <summary>The listing of <paramref name="located"/> judged for <paramref name="machine"/> (pure).</summary>
    public static ModelListing Create(LocatedModels located, MachineProfile machine, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(located);
        return new ModelListing(ModelResolver.Assess(located.Models, machine, options).Select(ModelListingEntry.From).ToList(),
            located.Warnings, located.SearchedFolders);
    }

    /// <summary>
    /// A readable table: name, quantization, size, whether it runs here, source, then the path. With no model, where
    /// it looked and <paramref name="suggestion"/> (a pull command) when given.
    /// </summary>
    public string ToText(string? suggestion = null)
    {
        var text = new StringBuilder();
        if (Models.Count == 0)
        {
            text.AppendLine("No GGUF models found.");
            text.AppendLine(Searched.Count == 0 ? "No model folder exists yet." : "Searched: " + string.Join(", ", Searched));
            if (suggestion is not null) text.AppendLine($"Download one that fits this machine with: {suggestion}");
            return text.ToString();
        }
        var nameWidth = Math.Max(4, Models.Max(m => m.Name.Length));
        var quantWidth = Math.Max(5, Models.Max(m => m.Quantization.Length));
        text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{"NAME".PadRight(nameWidth)}  {"QUANT".PadRight(quantWidth)}  {"SIZE",8}  {"RUNS HERE",-30}  SOURCE"));
        foreach (var m in Models)
        {
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"{m.Name.PadRight(nameWidth)}  {m.Quantization.PadRight(quantWidth)}  {MessageUnits.Gb(m.SizeBytes),8}  {RunsHere(m),-30}  {SourceWords(m)}"));
            text.AppendLine("    " + m.Path + (m.Files.Count > 1 ? $" (+{m.Files.Count - 1} more shard{(m.Files.Count > 2 ? "s" : "")})" : ""));
        }
        return text.ToString();
    }

    private static string RunsHere(ModelListingEntry m) => m.CanRun switch
    {
        null => "unknown (metadata incomplete)",
        false => $"no (needs {MessageUnits.Gb(m.RequiredBytes ?? 0)})",
        true => $"yes, {m.Placement?.Display()}, {MessageUnits.TokensPerSecond(m.EstimatedTokensPerSecond)}",
    };

    private static string SourceWords(ModelListingEntry m) => m.Source switch
    {
        "ollama" => $"Ollama {m.SourceName}",
        "huggingFace" => $"Hugging Face {m.SourceName}",
        "lmStudio" => m.SourceName is null ? "LM Studio" : $"LM Studio {m.SourceName}",
        "configured" => "configured folder",
        "default" => "ReasonTools folder",
        _ => m.Source,
    } + (m.IsR1Distill ? "" : " (not an R1 distill)");
}
