using System.Runtime.InteropServices;

namespace ReasonTools.Core.Native;

/// <summary>
/// Collects the <see cref="BackendEnvironment"/> facts on the real machine: NVML's GPU count, the driver's CUDA
/// version (cuDriverGetVersion, which needs no cuInit), and whether the CUDA 13 runtime, cuBLAS and the Vulkan loader
/// can be loaded. Every library is opened through function pointers and closed again, so a machine without them
/// needs nothing, and a failure only means "not found".
/// </summary>
public static unsafe class BackendEnvironmentProbe
{
    /// <summary>
    /// Probes the machine. <paramref name="variantFolders"/> maps each installed variant to its folder; the CUDA
    /// folder is also searched for the runtime (the build's RUNPATH is $ORIGIN). GPU libraries are only probed
    /// for variants that are installed.
    /// </summary>
    public static BackendEnvironment Collect(IReadOnlyDictionary<BackendVariant, string> variantFolders, BackendVariant? requested)
    {
        ArgumentNullException.ThrowIfNull(variantFolders);
        var environment = new BackendEnvironment
        {
            InstalledVariants = variantFolders.Keys.Append(BackendVariant.Default).Distinct().ToList(),
            Requested = requested,
            NvidiaGpuCount = NvidiaGpuCount(),
        };
        if (variantFolders.TryGetValue(BackendVariant.Cuda, out var cudaFolder))
        {
            var (driverFound, driverVersion) = DriverCudaVersion();
            environment = environment with
            {
                CudaDriverLibraryFound = driverFound,
                DriverCudaVersion = driverVersion,
                CudaRuntimeFound = CanLoad(cudaFolder, OperatingSystem.IsWindows() ? "cudart64_13.dll" : "libcudart.so.13"),
                CublasFound = CanLoad(cudaFolder, OperatingSystem.IsWindows() ? "cublas64_13.dll" : "libcublas.so.13"),
            };
        }
        if (variantFolders.ContainsKey(BackendVariant.Vulkan))
            environment = environment with
            {
                VulkanLoaderFound = CanLoad(null, OperatingSystem.IsWindows() ? "vulkan-1.dll" : OperatingSystem.IsMacOS() ? "libvulkan.1.dylib" : "libvulkan.so.1"),
            };
        return environment;
    }

    private static bool CanLoad(string? besideFolder, string name)
    {
        foreach (var candidate in besideFolder is null ? [name] : new[] { Path.Combine(besideFolder, name), name })
        {
            if (!NativeLibrary.TryLoad(candidate, out var handle)) continue;
            NativeLibrary.Free(handle);
            return true;
        }
        return false;
    }

    /// <summary>NVML's device count; null when NVML is absent or does not start (no NVIDIA driver).</summary>
    private static int? NvidiaGpuCount()
    {
        var name = OperatingSystem.IsWindows() ? "nvml.dll" : OperatingSystem.IsLinux() ? "libnvidia-ml.so.1" : null;
        if (name is null || !NativeLibrary.TryLoad(name, out var library)) return null;
        try
        {
            if (!NativeLibrary.TryGetExport(library, "nvmlInit_v2", out var init)
                || !NativeLibrary.TryGetExport(library, "nvmlShutdown", out var shutdown)
                || !NativeLibrary.TryGetExport(library, "nvmlDeviceGetCount_v2", out var getCount))
                return null;
            if (((delegate* unmanaged<int>)init)() != 0) return null;
            try
            {
                uint count;
                return ((delegate* unmanaged<uint*, int>)getCount)(&count) == 0 ? (int)count : 0;
            }
            finally
            {
                ((delegate* unmanaged<int>)shutdown)();
            }
        }
        finally
        {
            NativeLibrary.Free(library);
        }
    }

    /// <summary>Whether the driver's CUDA library loads, and the newest CUDA version it supports.</summary>
    private static (bool Found, int? Version) DriverCudaVersion()
    {
        var name = OperatingSystem.IsWindows() ? "nvcuda.dll" : OperatingSystem.IsLinux() ? "libcuda.so.1" : null;
        if (name is null || !NativeLibrary.TryLoad(name, out var library)) return (false, null);
        try
        {
            if (!NativeLibrary.TryGetExport(library, "cuDriverGetVersion", out var getVersion)) return (true, null);
            int version;
            return ((delegate* unmanaged<int*, int>)getVersion)(&version) == 0 ? (true, version) : (true, null);
        }
        finally
        {
            NativeLibrary.Free(library);
        }
    }
}
