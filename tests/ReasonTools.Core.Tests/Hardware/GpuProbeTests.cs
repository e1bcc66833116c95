using ReasonTools.Core.Hardware;

namespace ReasonTools.Core.Tests.Hardware;

public class GpuProbeTests
{
    private const long GiB = 1024L * 1024 * 1024;

    private static FakeHardwareFileSystem Drm() => new FakeHardwareFileSystem()
        .Add("/sys/class/drm/card0/device/vendor", "0x1002\n")
        .Add("/sys/class/drm/card0/device/device", "0x744c\n")
        .Add("/sys/class/drm/card0/device/product_name", "Radeon RX 7900 XTX\n")
        .Add("/sys/class/drm/card0/device/mem_info_vram_total", (24 * GiB).ToString())
        .Add("/sys/class/drm/card0/device/mem_info_vram_used", (2 * GiB).ToString())
        .Add("/sys/class/drm/card0/device/uevent", "DRIVER=amdgpu\nPCI_SLOT_NAME=0000:03:00.0\n")
        .Add("/sys/class/drm/card0-DP-1/status", "connected\n")
        .Add("/sys/class/drm/card1/device/vendor", "0x8086\n")
        .Add("/sys/class/drm/card1/device/mem_info_vram_total", (1 * GiB).ToString());

    [Fact]
    public void Amd_cards_are_read_from_sysfs_and_other_vendors_and_connectors_skipped()
    {
        var notes = new List<string>();
        var gpus = GpuProbe.ProbeAmdSysfs(Drm(), notes);
        var gpu = Assert.Single(gpus);
        Assert.Equal(new GpuInfo("Radeon RX 7900 XTX", "AMD", 24 * GiB, 22 * GiB, "sysfs"), gpu.Info);
        Assert.Equal("0000:03:00.0", gpu.PciBusId);
        Assert.Empty(notes);
    }

    [Fact]
    public void Amd_card_without_vram_figures_leaves_a_note()
    {
        var fs = new FakeHardwareFileSystem().Add("/sys/class/drm/card2/device/vendor", "0x1002");
        var notes = new List<string>();
        Assert.Empty(GpuProbe.ProbeAmdSysfs(fs, notes));
        Assert.Contains(notes, n => n.Contains("card2", StringComparison.Ordinal));
    }

    [Fact]
    public void Amd_card_without_product_name_is_named_by_device_id()
    {
        var fs = new FakeHardwareFileSystem()
            .Add("/sys/class/drm/card0/device/vendor", "0x1002")
            .Add("/sys/class/drm/card0/device/device", "0x73bf")
            .Add("/sys/class/drm/card0/device/mem_info_vram_total", (16 * GiB).ToString());
        var gpu = Assert.Single(GpuProbe.ProbeAmdSysfs(fs, []));
        Assert.Equal("AMD GPU (device 0x73bf)", gpu.Info.Name);
        Assert.Equal(16 * GiB, gpu.Info.FreeBytes);
    }

    private static DetectedGpu Nvidia(string name, long total, string? pci) =>
        new(new GpuInfo(name, "NVIDIA", total, total - GiB, "nvml"), pci, 3350);

    [Fact]
    public void Merge_matches_by_pci_bus_id_across_nvml_and_ggml_spellings()
    {
        var probed = new[] { Nvidia("NVIDIA H100 80GB HBM3", 80 * GiB, "0000:01:00.0"), Nvidia("NVIDIA H100 80GB HBM3", 80 * GiB, "0000:02:00.0") };
        var devices = new[]
        {
            new BackendDevice("CPU", "AMD EPYC", BackendDeviceType.Cpu, 0, 0),
            new BackendDevice("CUDA1", "NVIDIA H100 80GB HBM3", BackendDeviceType.Gpu, 70 * GiB, 80 * GiB, "0000:02:00.0"),
            new BackendDevice("CUDA0", "NVIDIA H100 80GB HBM3", BackendDeviceType.Gpu, 75 * GiB, 80 * GiB, "0000:01:00.0"),
        };
        var merged = GpuProbe.Merge(probed, devices);
        Assert.Equal(2, merged.Count);
        Assert.Equal(("CUDA0", 75 * GiB), (merged[0].Info.Backend, merged[0].Info.FreeBytes));
        Assert.Equal(("CUDA1", 70 * GiB), (merged[1].Info.Backend, merged[1].Info.FreeBytes));
        Assert.All(merged, g => Assert.True(g.UsableByLlama));
        Assert.Equal(3350, merged[0].BandwidthGBps);
    }

    [Fact]
    public void Nvml_domain_of_eight_digits_matches_ggml_four()
    {
        Assert.Equal("0000:01:00.0", GpuProbe.NormalizePci("00000000:01:00.0"));
        Assert.Equal("0000:c1:00.0", GpuProbe.NormalizePci("0000:C1:00.0"));
    }

    [Fact]
    public void Merge_without_ids_matches_by_name_and_size_once_per_device()
    {
        var probed = new[] { Nvidia("NVIDIA GeForce RTX 4090", 24 * GiB, null), Nvidia("NVIDIA GeForce RTX 4090", 24 * GiB, null) };
        var devices = new[]
        {
            new BackendDevice("Vulkan0", "NVIDIA GeForce RTX 4090", BackendDeviceType.Gpu, 23 * GiB, 24 * GiB),
            new BackendDevice("Vulkan1", "NVIDIA GeForce RTX 4090", BackendDeviceType.Gpu, 22 * GiB, 24 * GiB),
        };
        var merged = GpuProbe.Merge(probed, devices);
        Assert.Equal(["Vulkan0", "Vulkan1"], merged.Select(g => g.Info.Backend));
    }

    [Fact]
    public void Merge_marks_a_gpu_llama_cpp_does_not_see_and_adds_devices_no_probe_found()
    {
        var probed = new[] { Nvidia("NVIDIA GeForce RTX 3060", 12 * GiB, "0000:01:00.0") };
        var devices = new[]
        {
            new BackendDevice("CPU", "AMD EPYC", BackendDeviceType.Cpu, 0, 0),
            new BackendDevice("Vulkan0", "Intel(R) Arc(tm) A770 Graphics (DG2)", BackendDeviceType.Gpu, 15 * GiB, 16 * GiB, "0000:05:00.0"),
        };
        var merged = GpuProbe.Merge(probed, devices);
        Assert.Equal(2, merged.Count);
        Assert.False(merged[0].UsableByLlama);
        Assert.Equal("nvml", merged[0].Info.Backend);
        Assert.Equal(("Intel", "Vulkan0", true), (merged[1].Info.Vendor, merged[1].Info.Backend, merged[1].UsableByLlama));
    }

    [Fact]
    public void Without_a_device_source_the_probed_gpus_stand()
    {
        var probed = new[] { Nvidia("NVIDIA L4", 24 * GiB, null) };
        Assert.Same(probed, GpuProbe.Merge(probed, null));
    }

    [Fact]
    public void Apple_gpu_takes_two_thirds_of_small_and_three_quarters_of_large_memory()
    {
        Assert.Equal(16 * GiB * 2 / 3, GpuProbe.AppleRecommendedWorkingSet(16 * GiB));
        Assert.Equal(48 * GiB, GpuProbe.AppleRecommendedWorkingSet(64 * GiB));
        var apple = GpuProbe.AppleGpu("Apple M2 Max", 64 * GiB);
        Assert.True(apple.UnifiedMemory);
        Assert.Equal(("Apple", "metal", 48 * GiB), (apple.Info.Vendor, apple.Info.Backend, apple.Info.TotalBytes));
        // The Metal device matches the probed Apple GPU whatever its description says.
        var merged = GpuProbe.Merge([apple], [new BackendDevice("Metal", "Apple M2 Max", BackendDeviceType.Gpu, 50 * GiB, 51 * GiB)]);
        Assert.Equal(("Metal", 51 * GiB), (Assert.Single(merged).Info.Backend, merged[0].Info.TotalBytes));
    }
}
