namespace ReasonTools.Core.Native;

/// <summary>Quantizes GGUF models with llama.cpp's own quantizer (llama_model_quantize).</summary>
public static class GgufQuantizer
{
    private static readonly Dictionary<string, LlamaFileType> Types = new(StringComparer.OrdinalIgnoreCase)
    {
        ["F16"] = LlamaFileType.MostlyF16,
        ["Q8_0"] = LlamaFileType.MostlyQ8_0,
        ["Q6_K"] = LlamaFileType.MostlyQ6_K,
        ["Q5_K_M"] = LlamaFileType.MostlyQ5_K_M,
        ["Q4_K_M"] = LlamaFileType.MostlyQ4_K_M,
    };

    /// <summary>The quantizations this method accepts.</summary>
    public static IReadOnlyCollection<string> Supported => Types.Keys;

    /// <summary>Writes <paramref name="output"/> as <paramref name="quantization"/> (e.g. "Q4_K_M") from an F16/F32 <paramref name="input"/>.</summary>
    public static void Quantize(string input, string output, string quantization, int threads = 0)
    {
        if (!Types.TryGetValue(quantization, out var type))
            throw new ArgumentException($"Unsupported quantization '{quantization}'; use one of {string.Join(", ", Types.Keys)}.", nameof(quantization));
        if (!File.Exists(input)) throw new FileNotFoundException($"Model file not found: {input}", input);
        LlamaNativeLibrary.EnsureLoaded();
        var parameters = Llama.QuantizeDefaultParams();
        parameters.FileType = (int)type;
        parameters.NThread = threads;
        Llama.Quantize(input, output, parameters);
    }
}
