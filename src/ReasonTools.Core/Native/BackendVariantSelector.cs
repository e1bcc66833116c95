namespace ReasonTools.Core.Native;

/// <summary>
/// A build of llama.cpp's libraries. Each is a complete set (libllama, libggml*, the CPU backends); the GPU ones add
/// their backend library (libggml-cuda, libggml-vulkan).
/// </summary>
public enum BackendVariant
{
    /// <summary>The platform's default build: CPU on Linux and Windows, CPU and Metal on Apple Silicon.</summary>
    Default,
    /// <summary>CUDA 13 (npm @node-llama-cpp/&lt;platform&gt;-cuda with its -ext companion).</summary>
    Cuda,
    /// <summary>Vulkan (npm @node-llama-cpp/&lt;platform&gt;-vulkan).</summary>
    Vulkan,
}

/// <summary>
/// What the resolver learned about this machine before loading llama.cpp: the facts the variant choice rests on.
/// Collected by <see cref="BackendEnvironmentProbe"/>; tests build it by hand.
/// </summary>
public sealed record BackendEnvironment
{
    /// <summary>The variants whose folder holds libllama, found beside the assemblies or in the download cache.</summary>
    public IReadOnlyCollection<BackendVariant> InstalledVariants { get; init; } = [BackendVariant.Default];
    /// <summary>The variant asked for through $REASONTOOLS_LLAMA_VARIANT; null chooses automatically.</summary>
    public BackendVariant? Requested { get; init; }
    /// <summary>NVIDIA GPUs NVML counts; null when NVML (the driver's management library) is absent.</summary>
    public int? NvidiaGpuCount { get; init; }
    /// <summary>The driver's CUDA library (libcuda.so.1, nvcuda.dll) loads.</summary>
    public bool CudaDriverLibraryFound { get; init; }
    /// <summary>The newest CUDA version the driver supports, as cuDriverGetVersion gives it (13000 = 13.0); null when unknown.</summary>
    public int? DriverCudaVersion { get; init; }
    /// <summary>The CUDA 13 runtime (libcudart.so.13, cudart64_13.dll) can be found by the loader or beside the CUDA build.</summary>
    public bool CudaRuntimeFound { get; init; }
    /// <summary>cuBLAS 13 (libcublas.so.13 with libcublasLt.so.13, cublas64_13.dll) can be found.</summary>
    public bool CublasFound { get; init; }
    /// <summary>The Vulkan loader (libvulkan.so.1, vulkan-1.dll) loads.</summary>
    public bool VulkanLoaderFound { get; init; }
}

/// <summary>The variant to load, and, when it is not what the machine could best use, one line saying why.</summary>
public sealed record BackendVariantChoice(BackendVariant Variant, string? Notice);

/// <summary>
/// Picks the llama.cpp build to load. Pure: facts in, choice out; it never throws for a machine's state, it falls
/// back to the default build and says why in <see cref="BackendVariantChoice.Notice"/>.
/// Order: CUDA when an NVIDIA GPU, a driver for CUDA 13 and the CUDA 13 runtime are all there; else Vulkan when its
/// build and loader are there; else the default build.
/// </summary>
public static class BackendVariantSelector
{
    /// <summary>CUDA 13.0 as cuDriverGetVersion reports it; the prebuilt CUDA build links libcudart.so.13.</summary>
    public const int RequiredDriverCudaVersion = 13000;

    /// <summary>
    /// Reads $REASONTOOLS_LLAMA_VARIANT: empty or auto → null (choose), cpu or default, cuda, vulkan (any case).
    /// Returns false for anything else, with <paramref name="requested"/> null.
    /// </summary>
    public static bool TryParseRequest(string? text, out BackendVariant? requested)
    {
        requested = null;
        switch (text?.Trim().ToLowerInvariant())
        {
            case null or "" or "auto": return true;
            case "cpu" or "default": requested = BackendVariant.Default; return true;
            case "cuda": requested = BackendVariant.Cuda; return true;
            case "vulkan": requested = BackendVariant.Vulkan; return true;
            default: return false;
        }
    }

    /// <summary>Chooses the variant for <paramref name="environment"/>.</summary>
    public static BackendVariantChoice Choose(BackendEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var installed = environment.InstalledVariants;

        if (environment.Requested is { } requested)
        {
            if (requested == BackendVariant.Default) return new(BackendVariant.Default, null);
            if (!installed.Contains(requested))
                return Fallback($"the {Label(requested)} build was asked for but is not installed (build with -p:LlamaGpuVariant={requested.ToString().ToLowerInvariant()})");
            var blocker = requested == BackendVariant.Cuda ? CudaBlocker(environment) : VulkanBlocker(environment);
            return blocker is null ? new(requested, null) : Fallback(blocker);
        }

        string? cudaBlocker = null;
        if (installed.Contains(BackendVariant.Cuda))
        {
            cudaBlocker = CudaBlocker(environment);
            if (cudaBlocker is null) return new(BackendVariant.Cuda, null);
        }
        if (installed.Contains(BackendVariant.Vulkan) && VulkanBlocker(environment) is null)
            return new(BackendVariant.Vulkan, cudaBlocker is null ? null : $"CUDA not used ({cudaBlocker}); using the Vulkan build.");
        if (cudaBlocker is not null) return Fallback(cudaBlocker);
        if (installed.Contains(BackendVariant.Vulkan)) return Fallback(VulkanBlocker(environment)!);
        if (environment.NvidiaGpuCount is > 0)
            return new(BackendVariant.Default,
                "An NVIDIA GPU is present but only the CPU build of llama.cpp is installed; build with -p:LlamaGpuVariant=cuda to use it.");
        return new(BackendVariant.Default, null);
    }

    /// <summary>Why the CUDA build cannot run here, or null when it can.</summary>
    private static string? CudaBlocker(BackendEnvironment e)
    {
        if (e.NvidiaGpuCount is null && !e.CudaDriverLibraryFound) return "no NVIDIA driver";
        if (e.NvidiaGpuCount == 0) return "no NVIDIA GPU";
        if (!e.CudaDriverLibraryFound) return "the NVIDIA driver's CUDA library (libcuda.so.1) is missing";
        if (e.DriverCudaVersion is { } version && version < RequiredDriverCudaVersion)
            return $"driver too old for CUDA 13 (it supports CUDA {version / 1000}.{version % 1000 / 10}; a 580 or newer driver is needed)";
        if (!e.CudaRuntimeFound && !e.CublasFound) return "CUDA 13 runtime not found (libcudart.so.13, libcublas.so.13)";
        if (!e.CudaRuntimeFound) return "CUDA 13 runtime not found (libcudart.so.13)";
        if (!e.CublasFound) return "CUDA 13 runtime not found (libcublas.so.13)";
        return null;
    }

    private static string? VulkanBlocker(BackendEnvironment e) =>
        e.VulkanLoaderFound ? null : "no Vulkan loader (libvulkan.so.1)";

    private static BackendVariantChoice Fallback(string why) =>
        new(BackendVariant.Default, $"GPU build not used ({why}); running llama.cpp on the CPU.");

    private static string Label(BackendVariant variant) => variant switch
    {
        BackendVariant.Cuda => "CUDA",
        BackendVariant.Vulkan => "Vulkan",
        _ => "default",
    };
}
