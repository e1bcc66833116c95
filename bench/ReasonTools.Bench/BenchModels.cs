using ReasonTools.Core.Native;
using ReasonTools.Testing;

namespace ReasonTools.Bench;

/// <summary>Real-shape synthetic models (speed depends on shape, not on weight values), built once and cached.</summary>
internal static class BenchModels
{
    public static string Folder => Path.Combine(LlamaNativeLibrary.CacheRoot, "bench-models");

    /// <summary>The Q4_K_M file of a real shape; generated as F16 and quantized by llama.cpp on first use.</summary>
    public static string Q4KM(ModelShape shape, string tag)
    {
        Directory.CreateDirectory(Folder);
        var target = Path.Combine(Folder, $"qwen2-{tag}-shape-Q4_K_M.gguf");
        if (File.Exists(target)) return target;
        var f16 = Path.Combine(Folder, $"qwen2-{tag}-shape-F16.gguf.tmp");
        Console.WriteLine($"generating a {tag}-shaped F16 model ({RealShapeModels.FileLength(shape):N0} bytes) ...");
        RealShapeModels.Write(f16, shape);
        Console.WriteLine("quantizing to Q4_K_M with llama_model_quantize ...");
        GgufQuantizer.Quantize(f16, target + ".tmp", "Q4_K_M");
        File.Delete(f16);
        File.Move(target + ".tmp", target);
        return target;
    }
}
