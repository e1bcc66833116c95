using ReasonTools.Core.Native;

namespace ReasonTools.Core.Tests.Native;

public class BackendVariantSelectorTests
{
    /// <summary>A Linux machine with an NVIDIA GPU, a CUDA 13 driver and runtime, and the CUDA build installed.</summary>
    private static readonly BackendEnvironment CudaReady = new()
    {
        InstalledVariants = [BackendVariant.Default, BackendVariant.Cuda],
        NvidiaGpuCount = 1,
        CudaDriverLibraryFound = true,
        DriverCudaVersion = 13000,
        CudaRuntimeFound = true,
        CublasFound = true,
    };

    [Fact]
    public void Cuda_is_chosen_silently_when_gpu_driver_and_runtime_are_present()
    {
        Assert.Equal(new BackendVariantChoice(BackendVariant.Cuda, null), BackendVariantSelector.Choose(CudaReady));
        Assert.Equal(BackendVariant.Cuda, BackendVariantSelector.Choose(CudaReady with { DriverCudaVersion = 13020 }).Variant);
    }

    [Fact]
    public void No_driver_falls_back_to_the_cpu_and_says_so()
    {
        var choice = BackendVariantSelector.Choose(CudaReady with { NvidiaGpuCount = null, CudaDriverLibraryFound = false, DriverCudaVersion = null });
        Assert.Equal(BackendVariant.Default, choice.Variant);
        Assert.Equal("GPU build not used (no NVIDIA driver); running llama.cpp on the CPU.", choice.Notice);
    }

    [Fact]
    public void A_driver_without_a_gpu_falls_back()
    {
        var choice = BackendVariantSelector.Choose(CudaReady with { NvidiaGpuCount = 0 });
        Assert.Equal(BackendVariant.Default, choice.Variant);
        Assert.Contains("no NVIDIA GPU", choice.Notice);
    }

    [Fact]
    public void Without_nvml_the_driver_library_alone_is_enough_to_try_cuda()
    {
        // Some containers mount libcuda but not NVML; if ggml then finds no device, the resolver says so after loading.
        Assert.Equal(BackendVariant.Cuda, BackendVariantSelector.Choose(CudaReady with { NvidiaGpuCount = null }).Variant);
    }

    [Fact]
    public void A_container_without_libcuda_falls_back()
    {
        var choice = BackendVariantSelector.Choose(CudaReady with { CudaDriverLibraryFound = false, DriverCudaVersion = null });
        Assert.Equal(BackendVariant.Default, choice.Variant);
        Assert.Contains("libcuda.so.1", choice.Notice);
    }

    [Theory]
    [InlineData(12040, "CUDA 12.4")]
    [InlineData(12090, "CUDA 12.9")]
    [InlineData(11080, "CUDA 11.8")]
    public void A_driver_too_old_for_cuda_13_falls_back_naming_what_it_supports(int driverVersion, string supports)
    {
        var choice = BackendVariantSelector.Choose(CudaReady with { DriverCudaVersion = driverVersion });
        Assert.Equal(BackendVariant.Default, choice.Variant);
        Assert.Contains("driver too old for CUDA 13", choice.Notice);
        Assert.Contains(supports, choice.Notice);
    }

    [Fact]
    public void An_unknown_driver_version_does_not_block_cuda()
    {
        // Old libcuda without cuDriverGetVersion is rare; the runtime check and ggml's own load still guard it.
        Assert.Equal(BackendVariant.Cuda, BackendVariantSelector.Choose(CudaReady with { DriverCudaVersion = null }).Variant);
    }

    [Theory]
    [InlineData(false, true, "CUDA 13 runtime not found (libcudart.so.13)")]
    [InlineData(true, false, "CUDA 13 runtime not found (libcublas.so.13)")]
    [InlineData(false, false, "CUDA 13 runtime not found (libcudart.so.13, libcublas.so.13)")]
    public void A_missing_cuda_runtime_falls_back_naming_the_library(bool cudart, bool cublas, string why)
    {
        var choice = BackendVariantSelector.Choose(CudaReady with { CudaRuntimeFound = cudart, CublasFound = cublas });
        Assert.Equal(BackendVariant.Default, choice.Variant);
        Assert.Equal($"GPU build not used ({why}); running llama.cpp on the CPU.", choice.Notice);
    }

    [Fact]
    public void Without_the_cuda_build_installed_the_default_build_is_used_and_the_gpu_is_pointed_out()
    {
        var choice = BackendVariantSelector.Choose(CudaReady with { InstalledVariants = [BackendVariant.Default] });
        Assert.Equal(BackendVariant.Default, choice.Variant);
        Assert.Contains("-p:LlamaGpuVariant=cuda", choice.Notice);
    }

    [Fact]
    public void A_plain_cpu_machine_gets_the_default_build_and_no_notice()
    {
        Assert.Equal(new BackendVariantChoice(BackendVariant.Default, null), BackendVariantSelector.Choose(new BackendEnvironment()));
    }

    [Fact]
    public void Vulkan_takes_over_when_cuda_cannot_run_and_says_why()
    {
        var environment = CudaReady with
        {
            InstalledVariants = [BackendVariant.Default, BackendVariant.Cuda, BackendVariant.Vulkan],
            CudaRuntimeFound = false,
            VulkanLoaderFound = true,
        };
        var choice = BackendVariantSelector.Choose(environment);
        Assert.Equal(BackendVariant.Vulkan, choice.Variant);
        Assert.Equal("CUDA not used (CUDA 13 runtime not found (libcudart.so.13)); using the Vulkan build.", choice.Notice);
    }

    [Fact]
    public void Cuda_is_preferred_over_vulkan()
    {
        var choice = BackendVariantSelector.Choose(CudaReady with
        {
            InstalledVariants = [BackendVariant.Default, BackendVariant.Cuda, BackendVariant.Vulkan],
            VulkanLoaderFound = true,
        });
        Assert.Equal(BackendVariant.Cuda, choice.Variant);
    }

    [Fact]
    public void Vulkan_alone_needs_its_loader()
    {
        var installed = new BackendEnvironment { InstalledVariants = [BackendVariant.Default, BackendVariant.Vulkan] };
        Assert.Equal(new BackendVariantChoice(BackendVariant.Vulkan, null), BackendVariantSelector.Choose(installed with { VulkanLoaderFound = true }));
        var missing = BackendVariantSelector.Choose(installed);
        Assert.Equal(BackendVariant.Default, missing.Variant);
        Assert.Contains("no Vulkan loader", missing.Notice);
    }

    [Fact]
    public void Asking_for_the_cpu_wins_over_a_ready_gpu()
    {
        Assert.Equal(new BackendVariantChoice(BackendVariant.Default, null), BackendVariantSelector.Choose(CudaReady with { Requested = BackendVariant.Default }));
    }

    [Fact]
    public void Asking_for_a_build_that_is_not_installed_falls_back_with_the_build_switch()
    {
        var choice = BackendVariantSelector.Choose(CudaReady with { Requested = BackendVariant.Vulkan, VulkanLoaderFound = true });
        Assert.Equal(BackendVariant.Default, choice.Variant);
        Assert.Contains("the Vulkan build was asked for but is not installed (build with -p:LlamaGpuVariant=vulkan)", choice.Notice);
    }

    [Fact]
    public void Asking_for_cuda_still_checks_the_runtime()
    {
        var choice = BackendVariantSelector.Choose(CudaReady with { Requested = BackendVariant.Cuda, DriverCudaVersion = 12040 });
        Assert.Equal(BackendVariant.Default, choice.Variant);
        Assert.Contains("driver too old", choice.Notice);
        Assert.Equal(BackendVariant.Cuda, BackendVariantSelector.Choose(CudaReady with { Requested = BackendVariant.Cuda }).Variant);
    }

    [Fact]
    public void Every_combination_of_facts_gives_a_choice_and_a_fallback_always_says_why()
    {
        bool[] tf = [false, true];
        foreach (var cuda in tf)
        foreach (var vulkan in tf)
        foreach (int? gpus in new int?[] { null, 0, 2 })
        foreach (var libcuda in tf)
        foreach (int? version in new int?[] { null, 12040, 13000 })
        foreach (var cudart in tf)
        foreach (var cublas in tf)
        foreach (var loader in tf)
        foreach (BackendVariant? requested in new BackendVariant?[] { null, BackendVariant.Default, BackendVariant.Cuda, BackendVariant.Vulkan })
        {
            var installed = new List<BackendVariant> { BackendVariant.Default };
            if (cuda) installed.Add(BackendVariant.Cuda);
            if (vulkan) installed.Add(BackendVariant.Vulkan);
            var environment = new BackendEnvironment
            {
                InstalledVariants = installed, NvidiaGpuCount = gpus, CudaDriverLibraryFound = libcuda, DriverCudaVersion = version,
                CudaRuntimeFound = cudart, CublasFound = cublas, VulkanLoaderFound = loader, Requested = requested,
            };
            var choice = BackendVariantSelector.Choose(environment);
            Assert.Contains(choice.Variant, installed);
            if (choice.Variant == BackendVariant.Cuda)
                Assert.True((gpus is > 0 || gpus is null) && libcuda && version != 12040 && cudart && cublas, $"CUDA chosen without its prerequisites: {environment}");
            if (choice.Variant == BackendVariant.Vulkan) Assert.True(loader);
            bool gpuBuildPassedOver = choice.Variant == BackendVariant.Default && requested != BackendVariant.Default && (cuda || vulkan || requested is not null);
            if (gpuBuildPassedOver) Assert.False(string.IsNullOrWhiteSpace(choice.Notice), $"silent fallback for {environment}");
        }
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData(" auto ", null)]
    [InlineData("cpu", BackendVariant.Default)]
    [InlineData("CUDA", BackendVariant.Cuda)]
    [InlineData("vulkan", BackendVariant.Vulkan)]
    public void The_variant_variable_is_read(string? text, BackendVariant? expected)
    {
        Assert.True(BackendVariantSelector.TryParseRequest(text, out var requested));
        Assert.Equal(expected, requested);
    }

    [Theory]
    [InlineData("rocm")]
    [InlineData("gpu")]
    public void An_unknown_variant_is_not_understood(string text)
    {
        Assert.False(BackendVariantSelector.TryParseRequest(text, out var requested));
        Assert.Null(requested);
    }

    [Theory]
    [InlineData("linux-x64", "linux-x64")]
    [InlineData("win-x64", "win-x64")]
    [InlineData("osx-arm64", "mac-arm64-metal")]
    [InlineData("osx-x64", "mac-x64")]
    public void Each_platform_maps_to_its_npm_package(string rid, string package)
    {
        Assert.Equal(package, LlamaNativeLibrary.NpmPackage(rid));
    }
}
