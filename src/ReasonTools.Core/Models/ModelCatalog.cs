using System.Globalization;

namespace ReasonTools.Core.Models;

/// <summary>Scores DeepSeek published for a model (DeepSeek-R1 README, "Distilled Model Evaluation").</summary>
public sealed record PublishedScores(double Aime2024Pass1, double Math500Pass1, double GpqaDiamondPass1, double LiveCodeBenchPass1, int CodeforcesRating);

/// <summary>
/// One downloadable GGUF of a catalog model: Hugging Face repository, file names in download order
/// (several when the file is split into shards) and the total size.
/// </summary>
public sealed record CatalogFile(string Quantization, long SizeBytes, string Repository, IReadOnlyList<string> FileNames)
{
    /// <summary>The Hugging Face download address of each file.</summary>
    public IEnumerable<Uri> DownloadUris => FileNames.Select(f => new Uri($"https://huggingface.co/{Repository}/resolve/main/{f}"));
}

/// <summary>A model of the DeepSeek-R1-Distill family with its shape, files, Ollama tag and published scores.</summary>
public sealed record CatalogModel(
    string Name,
    string Size,
    string BaseModel,
    ModelShape Shape,
    long Parameters,
    int MaxContext,
    string OllamaTag,
    IReadOnlyList<CatalogFile> Files,
    PublishedScores Scores)
{
    /// <summary>The file of one quantization, or null when none is published.</summary>
    public CatalogFile? File(string quantization) =>
        Files.FirstOrDefault(f => string.Equals(f.Quantization, quantization, StringComparison.OrdinalIgnoreCase));

    /// <summary>The estimator's view of one quantization's file.</summary>
    public ModelSpec Spec(CatalogFile file) => new(Name, file.Quantization, Shape, file.SizeBytes);
}

/// <summary>A catalog model and, when the query named one, the quantization.</summary>
public sealed record CatalogSelection(CatalogModel Model, string? Quantization);

/// <summary>The query named no catalog model.</summary>
public sealed class UnknownModelException(string query)
    : ReasonFailure(FailureKind.ModelNotFound, $"'{query}' is not a known model. Use a size ({string.Join(", ", ModelCatalog.All.Select(m => m.Size))}), " +
                        $"a full name such as {ModelCatalog.All[1].Name}, an Ollama tag such as {ModelCatalog.All[1].OllamaTag}, or a path to a .gguf file.")
{
    /// <summary>What the user asked for.</summary>
    public string Query { get; } = query;
}

/// <summary>
/// The DeepSeek-R1-Distill family. Figures come from /work/shared/reference/r1-distill-catalog.md, which
/// gathered them from the models' config.json files (shapes), the Hugging Face GGUF repositories (sizes as
/// Hugging Face shows them, GB = 10^9 bytes, so ±0.5 % from rounding) and the DeepSeek-R1 README (scores).
/// </summary>
public static class ModelCatalog
{
    /// <summary>The quantizations the catalog lists, smallest first.</summary>
    public static IReadOnlyList<string> Quantizations { get; } = ["Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0", "F16"];

    /// <summary>The Ollama tag prefix; bare size tags (deepseek-r1:7b) are Q4_K_M.</summary>
    public const string OllamaLibrary = "deepseek-r1";

    private const int MaxContext = 131072; // config.json max_position_embeddings, all six models

    private static long Gb(double gigabytes) => (long)Math.Round(gigabytes * 1e9);

    private static IReadOnlyList<CatalogFile> Files(string repository, string stem, (string Quantization, double Gb, int Shards)[] sizes, string f16Spelling) =>
        sizes.Select(s =>
        {
            var label = s.Quantization == "F16" ? f16Spelling : s.Quantization;
            IReadOnlyList<string> names = s.Shards <= 1
                ? [$"{stem}-{label}.gguf"]
                : Enumerable.Range(1, s.Shards).Select(i => $"{stem}-{label}-{i:00000}-of-{s.Shards:00000}.gguf").ToList();
            return new CatalogFile(s.Quantization, Gb(s.Gb), repository, names);
        }).ToList();

    /// <summary>All six distilled models, smallest first.</summary>
    public static IReadOnlyList<CatalogModel> All { get; } =
    [
        new("DeepSeek-R1-Distill-Qwen-1.5B", "1.5b", "Qwen2.5-Math-1.5B",
            // config.json: 28 layers, hidden 1536, 12 heads, 2 KV heads, head dim 128, FFN 8960, vocab 151936, untied.
            new ModelShape("qwen2", 28, 1536, 12, 2, 128, 8960, 151936),
            1_780_000_000, MaxContext, "deepseek-r1:1.5b",
            // unsloth/DeepSeek-R1-Distill-Qwen-1.5B-GGUF file sizes as shown on Hugging Face.
            Files("unsloth/DeepSeek-R1-Distill-Qwen-1.5B-GGUF", "DeepSeek-R1-Distill-Qwen-1.5B",
                [("Q4_K_M", 1.12, 1), ("Q5_K_M", 1.29, 1), ("Q6_K", 1.46, 1), ("Q8_0", 1.89, 1), ("F16", 3.56, 1)], "F16"),
            new PublishedScores(28.9, 83.9, 33.8, 16.9, 954)),
        new("DeepSeek-R1-Distill-Qwen-7B", "7b", "Qwen2.5-Math-7B",
            // config.json: 28 layers, hidden 3584, 28 heads, 4 KV heads, head dim 128, FFN 18944, vocab 152064.
            new ModelShape("qwen2", 28, 3584, 28, 4, 128, 18944, 152064),
            7_620_000_000, MaxContext, "deepseek-r1:7b",
            // unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF.
            Files("unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF", "DeepSeek-R1-Distill-Qwen-7B",
                [("Q4_K_M", 4.68, 1), ("Q5_K_M", 5.44, 1), ("Q6_K", 6.25, 1), ("Q8_0", 8.10, 1), ("F16", 15.2, 1)], "F16"),
            new PublishedScores(55.5, 92.8, 49.1, 37.6, 1189)),
        new("DeepSeek-R1-Distill-Llama-8B", "8b", "Llama-3.1-8B",
            // config.json: 32 layers, hidden 4096, 32 heads, 8 KV heads, head dim 128, FFN 14336, vocab 128256.
            new ModelShape("llama", 32, 4096, 32, 8, 128, 14336, 128256),
            8_030_000_000, MaxContext,
            // Ollama has since pointed the bare deepseek-r1:8b tag at DeepSeek-R1-0528-Qwen3-8B; the Llama distill
            // is deepseek-r1:8b-llama-distill-q4_K_M. A found file's GGUF metadata, not its tag, says which it is.
            "deepseek-r1:8b",
            // unsloth/DeepSeek-R1-Distill-Llama-8B-GGUF.
            Files("unsloth/DeepSeek-R1-Distill-Llama-8B-GGUF", "DeepSeek-R1-Distill-Llama-8B",
                [("Q4_K_M", 4.92, 1), ("Q5_K_M", 5.73, 1), ("Q6_K", 6.60, 1), ("Q8_0", 8.54, 1), ("F16", 16.1, 1)], "F16"),
            new PublishedScores(50.4, 89.1, 49.0, 39.6, 1205)),
        new("DeepSeek-R1-Distill-Qwen-14B", "14b", "Qwen2.5-14B",
            // config.json: 48 layers, hidden 5120, 40 heads, 8 KV heads, head dim 128, FFN 13824, vocab 152064.
            new ModelShape("qwen2", 48, 5120, 40, 8, 128, 13824, 152064),
            14_770_000_000, MaxContext, "deepseek-r1:14b",
            // bartowski/DeepSeek-R1-Distill-Qwen-14B-GGUF (bartowski spells F16 "f16").
            Files("bartowski/DeepSeek-R1-Distill-Qwen-14B-GGUF", "DeepSeek-R1-Distill-Qwen-14B",
                [("Q4_K_M", 8.99, 1), ("Q5_K_M", 10.5, 1), ("Q6_K", 12.1, 1), ("Q8_0", 15.7, 1), ("F16", 29.5, 1)], "f16"),
            new PublishedScores(69.7, 93.9, 59.1, 53.1, 1481)),
        new("DeepSeek-R1-Distill-Qwen-32B", "32b", "Qwen2.5-32B",
            // config.json: 64 layers, hidden 5120, 40 heads, 8 KV heads, head dim 128, FFN 27648, vocab 152064.
            new ModelShape("qwen2", 64, 5120, 40, 8, 128, 27648, 152064),
            32_760_000_000, MaxContext, "deepseek-r1:32b",
            // unsloth/DeepSeek-R1-Distill-Qwen-32B-GGUF; F16 is published in two shards.
            Files("unsloth/DeepSeek-R1-Distill-Qwen-32B-GGUF", "DeepSeek-R1-Distill-Qwen-32B",
                [("Q4_K_M", 19.9, 1), ("Q5_K_M", 23.3, 1), ("Q6_K", 26.9, 1), ("Q8_0", 34.8, 1), ("F16", 65.5, 2)], "F16"),
            new PublishedScores(72.6, 94.3, 62.1, 57.2, 1691)),
        new("DeepSeek-R1-Distill-Llama-70B", "70b", "Llama-3.3-70B-Instruct",
            // config.json: 80 layers, hidden 8192, 64 heads, 8 KV heads, head dim 128, FFN 28672, vocab 128256.
            new ModelShape("llama", 80, 8192, 64, 8, 128, 28672, 128256),
            70_600_000_000, MaxContext, "deepseek-r1:70b",
            // lmstudio-community/DeepSeek-R1-Distill-Llama-70B-GGUF: Q6_K and Q8_0 are split; no F16 is published there.
            Files("lmstudio-community/DeepSeek-R1-Distill-Llama-70B-GGUF", "DeepSeek-R1-Distill-Llama-70B",
                [("Q4_K_M", 42.5, 1), ("Q5_K_M", 49.9, 1), ("Q6_K", 57.9, 2), ("Q8_0", 74.9, 2)], "F16"),
            new PublishedScores(70.0, 94.5, 65.2, 57.5, 1633)),
    ];

    /// <summary>Finds a model by size ("1.5b", "7B"), full name ("DeepSeek-R1-Distill-Qwen-7B", with or without
    /// "-GGUF" or a quantization suffix) or Ollama tag ("deepseek-r1:7b", "deepseek-r1:7b-qwen-distill-q8_0"); any of the
    /// names without a quantization may be followed by one: "32b-q8_0", "7b:Q8_0", "Qwen-7B Q6_K".</summary>
    public static CatalogSelection? Find(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = query.Trim();
        if (FindName(text) is { } selection) return selection;
        // A name plus a quantization after the last separator that leaves a name: "32b-q8_0" is "32b" + "q8_0", not "32b-q8" + "0".
        var cut = text.LastIndexOfAny(QuantizationSeparators);
        while (cut > 0)
        {
            if (NormalizeQuantization(text[(cut + 1)..]) is { } quantization && FindName(text[..cut]) is { Quantization: null } head)
                return head with { Quantization = quantization };
            cut = text.LastIndexOfAny(QuantizationSeparators, cut - 1);
        }
        return null;
    }

    private static readonly char[] QuantizationSeparators = ['-', ':', ' ', '_'];

    private static CatalogSelection? FindName(string text)
    {
        if (text.Length == 0) return null;

        if (text.StartsWith(OllamaLibrary + ":", StringComparison.OrdinalIgnoreCase))
            return FromOllamaTag(text[(OllamaLibrary.Length + 1)..]);

        if (text.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase)) text = Path.GetFileNameWithoutExtension(text);
        if (text.EndsWith("-GGUF", StringComparison.OrdinalIgnoreCase)) text = text[..^5];
        var slash = text.LastIndexOf('/');
        if (slash >= 0) text = text[(slash + 1)..];

        foreach (var model in All)
        {
            if (text.Equals(model.Size, StringComparison.OrdinalIgnoreCase) || text.Equals(model.Name, StringComparison.OrdinalIgnoreCase))
                return new CatalogSelection(model, null);
            if (text.StartsWith(model.Name + "-", StringComparison.OrdinalIgnoreCase))
            {
                var quantization = NormalizeQuantization(text[(model.Name.Length + 1)..]);
                if (quantization is not null) return new CatalogSelection(model, quantization);
            }
        }
        // Short names users type: "Qwen-7B", "R1-Distill-Llama-70B".
        const string Family = "DeepSeek-R1-Distill-";
        return All.Where(m => text.Equals(m.Name[Family.Length..], StringComparison.OrdinalIgnoreCase)
                              || text.Equals(m.Name["DeepSeek-".Length..], StringComparison.OrdinalIgnoreCase))
            .Select(m => new CatalogSelection(m, null)).FirstOrDefault();
    }

    /// <summary>Like <see cref="Find"/>, but an unknown query throws <see cref="UnknownModelException"/>.</summary>
    public static CatalogSelection Get(string query) => Find(query) ?? throw new UnknownModelException(query);

    // "7b", "7b-qwen-distill-q8_0", "70b-llama-distill-fp16", "latest" is not a distill (it is the 0528 Qwen3-8B).
    private static CatalogSelection? FromOllamaTag(string tag)
    {
        var parts = tag.Split('-');
        var model = All.FirstOrDefault(m => m.Size.Equals(parts[0], StringComparison.OrdinalIgnoreCase));
        if (model is null) return null;
        if (parts.Length == 1) return new CatalogSelection(model, "Q4_K_M");
        if (parts.Length < 3 || !parts[2].Equals("distill", StringComparison.OrdinalIgnoreCase)
            || !model.Name.Contains("-" + parts[1] + "-", StringComparison.OrdinalIgnoreCase)) return null;
        if (parts.Length == 3) return new CatalogSelection(model, "Q4_K_M");
        var quantization = NormalizeQuantization(string.Join('-', parts[3..]));
        return quantization is null ? null : new CatalogSelection(model, quantization);
    }

    /// <summary>A quantization label in the catalog's spelling ("q4_k_m" → "Q4_K_M", "fp16"/"f16" → "F16"); null when not one of <see cref="Quantizations"/>.</summary>
    public static string? NormalizeQuantization(string text)
    {
        var upper = text.Trim().ToUpperInvariant();
        if (upper == "FP16") upper = "F16";
        return Quantizations.FirstOrDefault(q => q == upper);
    }

    /// <summary>Rank of a quantization by fidelity (higher is closer to the original weights); unknown labels rank by their bit count.</summary>
    public static int QualityRank(string quantization)
    {
        var index = Quantizations.ToList().IndexOf(NormalizeQuantization(quantization) ?? "");
        if (index >= 0) return index * 10 + 10;
        // Other GGUF types: unquantized ones with F16, the rest ("Q3_K_M", "IQ4_XS", "Q2_K") below Q4_K_M by their bit digit.
        if (quantization.Contains("F16", StringComparison.OrdinalIgnoreCase) || quantization.Contains("F32", StringComparison.OrdinalIgnoreCase)) return 50;
        var digit = quantization.FirstOrDefault(char.IsAsciiDigit);
        return digit == default ? 0 : int.Parse(digit.ToString(), CultureInfo.InvariantCulture);
    }
}
