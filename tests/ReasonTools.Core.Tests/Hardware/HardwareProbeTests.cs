using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;

namespace ReasonTools.Core.Tests.Hardware;

public class HardwareProbeTests
{
    private const long GiB = 1024L * 1024 * 1024;

    private static FakeHardwareFileSystem SmallMachine() => new FakeHardwareFileSystem()
        .Add("/proc/cpuinfo", "processor\t: 0\nmodel name\t: Test CPU\nphysical id\t: 0\ncore id\t: 0\nflags\t: avx avx2\n")
        .Add("/proc/meminfo", $"MemTotal: {24 * 1024 * 1024} kB\nMemAvailable: {20 * 1024 * 1024} kB\n")
        .Add("/proc/self/cgroup", "0::/job\n")
        .Add("/sys/fs/cgroup/job/memory.max", (12 * GiB).ToString());

    private static HardwareProbeOptions Options(IHardwareFileSystem fs) =>
        new() { FileSystem = fs, MeasureBandwidth = false, ProbeNvml = false };

    [Fact]
    public async Task Report_has_a_verdict_for_every_catalog_model_and_quantization()
    {
        var result = await HardwareProbe.CollectDetailedAsync(Options(SmallMachine()));
        var report = result.Report;
        Assert.Equal("Test CPU", report.Cpu.Name);
        Assert.Equal(12 * GiB, report.Memory.LimitBytes);
        Assert.Equal(12 * GiB, result.Profile.MemoryBudgetBytes);
        Assert.Empty(report.Gpus);
        Assert.Equal(ModelCatalog.All.Sum(m => m.Files.Count), report.Models.Count);
        Assert.All(report.Models, m => Assert.Equal(4096, m.ContextSize));
        Assert.False(report.Models.Single(m => m.Size == "70b" && m.Quantization == "Q4_K_M").Fits);
        Assert.True(report.Models.Single(m => m.Size == "1.5b" && m.Quantization == "Q4_K_M").Fits);
        Assert.Contains(report.Notes, n => n.StartsWith("bandwidth:", StringComparison.Ordinal));
        Assert.NotNull(report.Recommended);
        Assert.Equal(["cpu", "memory", "gpu"], result.Timings.Select(t => t.Probe));
    }

    [Fact]
    public async Task A_failing_probe_leaves_a_note_and_the_rest_of_the_report()
    {
        var report = await HardwareProbe.CollectAsync(Options(new ThrowingFileSystem()) with { BackendDevices = new FailingDevices() });
        Assert.Contains(report.Notes, n => n.StartsWith("cpu: probe failed", StringComparison.Ordinal));
        Assert.Contains(report.Notes, n => n.StartsWith("memory: probe failed", StringComparison.Ordinal) || n.StartsWith("memory:", StringComparison.Ordinal));
        Assert.Contains(report.Notes, n => n.Contains("llama.cpp's device list", StringComparison.Ordinal) || n.StartsWith("gpu: probe failed", StringComparison.Ordinal));
        Assert.Equal(Environment.ProcessorCount, report.Cpu.LogicalCores);
        Assert.All(report.Models, m => Assert.False(m.Fits));
        Assert.Null(report.Recommended);
    }

    [Fact]
    public async Task Llama_cpp_devices_decide_which_gpus_hold_layers()
    {
        var fs = SmallMachine()
            .Add("/sys/class/drm/card0/device/vendor", "0x1002")
            .Add("/sys/class/drm/card0/device/product_name", "Radeon RX 7900 XTX")
            .Add("/sys/class/drm/card0/device/mem_info_vram_total", (24 * GiB).ToString())
            .Add("/sys/class/drm/card0/device/mem_info_vram_used", "0");
        var cpuOnlyBuild = await HardwareProbe.CollectDetailedAsync(Options(fs) with { BackendDevices = new Devices([new("CPU", "Test CPU", BackendDeviceType.Cpu, 0, 0)]) });
        Assert.Single(cpuOnlyBuild.Report.Gpus);
        Assert.Empty(cpuOnlyBuild.Profile.Gpus);
        Assert.Contains(cpuOnlyBuild.Report.Notes, n => n.Contains("not among llama.cpp's devices", StringComparison.Ordinal));

        var vulkanBuild = await HardwareProbe.CollectDetailedAsync(Options(fs) with
        {
            BackendDevices = new Devices([new("Vulkan0", "AMD Radeon RX 7900 XTX (RADV NAVI31)", BackendDeviceType.Gpu, 23 * GiB, 24 * GiB)]),
        });
        var gpu = Assert.Single(vulkanBuild.Report.Gpus);
        Assert.Equal("Vulkan0", gpu.Backend);
        Assert.Single(vulkanBuild.Profile.Gpus);
        Assert.Equal(Placement.Gpu, vulkanBuild.Report.Models.Single(m => m.Size == "14b" && m.Quantization == "Q8_0").Placement);
    }

    [Fact]
    public async Task This_machine_reports_its_own_cores_and_meminfo_total()
    {
        if (!OperatingSystem.IsLinux()) return;
        var report = await HardwareProbe.CollectAsync(new HardwareProbeOptions { MeasureBandwidth = false });
        Assert.Equal(Environment.ProcessorCount, report.Cpu.LogicalCores);
        var total = MemoryProbe.MeminfoField(File.ReadAllText("/proc/meminfo"), "MemTotal");
        Assert.Equal(total, report.Memory.TotalBytes);
    }

    [Fact]
    public void Disk_probe_measures_a_folder_not_yet_created_at_its_parent()
    {
        var notes = new List<string>();
        var folder = Path.Combine(Path.GetTempPath(), "reasontools-no-such-folder", "models");
        var disk = DiskProbe.Probe(folder, notes);
        Assert.NotNull(disk);
        Assert.Equal(folder, disk.Path);
        Assert.True(disk.TotalBytes > 0 && disk.FreeBytes <= disk.TotalBytes);
        Assert.Empty(notes);
    }

    [Fact]
    public void Bandwidth_probe_reads_its_buffer_and_reports_a_positive_rate()
    {
        var measurement = MemoryBandwidthProbe.Measure(threads: 2, bufferBytes: 8 * 1024 * 1024, readTime: TimeSpan.FromMilliseconds(5));
        Assert.True(measurement.GBps > 0);
        Assert.Equal(2, measurement.Threads);
        Assert.Equal(8 * 1024 * 1024, measurement.BufferBytes);
    }

    [Fact]
    public void Bandwidth_buffer_is_large_but_bounded_by_available_memory()
    {
        Assert.Equal(256L * 1024 * 1024, MemoryBandwidthProbe.ChooseBufferBytes(2, 24 * GiB));
        Assert.Equal(1024L * 1024 * 1024, MemoryBandwidthProbe.ChooseBufferBytes(16, 24 * GiB));
        Assert.Equal(1024L * 1024 * 1024, MemoryBandwidthProbe.ChooseBufferBytes(64, 512 * GiB));
        Assert.Equal(64L * 1024 * 1024, MemoryBandwidthProbe.ChooseBufferBytes(2, 512L * 1024 * 1024));
        Assert.Throws<ArgumentOutOfRangeException>(() => MemoryBandwidthProbe.Measure(0, 1024, TimeSpan.Zero));
    }

    private sealed class Devices(IReadOnlyList<BackendDevice> devices) : IBackendDeviceSource
    {
        public IReadOnlyList<BackendDevice> GetDevices() => devices;
    }

    private sealed class FailingDevices : IBackendDeviceSource
    {
        public IReadOnlyList<BackendDevice> GetDevices() => throw new InvalidOperationException("ggml not loaded");
    }
}
