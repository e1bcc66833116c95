using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace ReasonTools.Core.Hardware;

/// <summary>
/// A GPU found by a probe, with what the estimator needs beyond the report's <see cref="GpuInfo"/>:
/// its PCI bus id (to match llama.cpp's devices), peak memory bandwidth when known, and whether its
/// memory is the system's (Apple).
/// </summary>
public sealed record DetectedGpu(
    GpuInfo Info,
    string? PciBusId = null,
    double? BandwidthGBps = null,
    bool UnifiedMemory = false,
    bool UsableByLlama = true);

/// <summary>NVIDIA (NVML), AMD (sysfs) and Apple GPUs, merged with the devices llama.cpp reports.</summary>
public static class GpuProbe
{
    /// <summary>
    /// Apple's Metal recommendedMaxWorkingSetSize, which llama.cpp reports as the GPU's memory, is about
    /// two thirds of RAM on machines up to 36 GiB and three quarters above (observed on M1–M3: 16 GiB → 10.7 GiB,
    /// 64 GiB → 48 GiB, 128 GiB → 96 GiB). The ggml Metal device gives the exact figure when a source is supplied.
    /// </summary>
    public static long AppleRecommendedWorkingSet(long memoryBytes) =>
        memoryBytes <= 36L * 1024 * 1024 * 1024 ? memoryBytes * 2 / 3 : memoryBytes * 3 / 4;

    /// <summary>NVIDIA GPUs through NVML; an absent library means no NVIDIA GPU (no note).</summary>
    public static IReadOnlyList<DetectedGpu> ProbeNvidia(ICollection<string> notes) => Nvml.Probe(notes);

    /// <summary>AMD GPUs from /sys/class/drm/card*/device (vendor 0x1002, mem_info_vram_total/used).</summary>
    public static IReadOnlyList<DetectedGpu> ProbeAmdSysfs(IHardwareFileSystem fs, ICollection<string> notes)
    {
        var gpus = new List<DetectedGpu>();
        foreach (var card in fs.ListDirectory("/sys/class/drm").Where(IsCardDirectory).Order(StringComparer.Ordinal))
        {
            var device = $"/sys/class/drm/{card}/device";
            if (fs.ReadText(device + "/vendor")?.Trim() != "0x1002") continue;
            var total = ParseBytes(fs.ReadText(device + "/mem_info_vram_total"));
            var used = ParseBytes(fs.ReadText(device + "/mem_info_vram_used"));
            if (total is null)
            {
                notes.Add($"gpu: AMD device {card} has no readable mem_info_vram_total (amdgpu driver not loaded?)");
                continue;
            }
            var name = fs.ReadText(device + "/product_name")?.Trim();
            if (string.IsNullOrEmpty(name)) name = $"AMD GPU (device {fs.ReadText(device + "/device")?.Trim() ?? "?"})";
            var pci = fs.ReadText(device + "/uevent")?.Split('\n')
                .FirstOrDefault(l => l.StartsWith("PCI_SLOT_NAME=", StringComparison.Ordinal))?["PCI_SLOT_NAME=".Length..].Trim();
            gpus.Add(new DetectedGpu(new GpuInfo(name, "AMD", total.Value, Math.Max(0, total.Value - (used ?? 0)), "sysfs"), pci?.ToLowerInvariant()));
        }
        return gpus;
    }

    /// <summary>An Apple silicon GPU: unified memory, sized by <see cref="AppleRecommendedWorkingSet"/>.</summary>
    public static DetectedGpu AppleGpu(string chipName, long memoryBytes)
    {
        var workingSet = AppleRecommendedWorkingSet(memoryBytes);
        return new DetectedGpu(new GpuInfo(chipName, "Apple", workingSet, workingSet, "metal"), UnifiedMemory: true);
    }

    /// <summary>
    /// Merges probed GPUs with llama.cpp's devices so none is listed twice. A probed GPU and a ggml GPU device
    /// are the same when their PCI bus ids are equal; without ids, when one's name contains the other's
    /// (ggml descriptions carry the marketing name: "NVIDIA H100 80GB HBM3") and totals agree within 10 %;
    /// Apple's unified GPU matches the single Metal device. Matched GPUs keep the probe's name and vendor and
    /// take llama.cpp's device name as <see cref="GpuInfo.Backend"/> and its free/total memory.
    /// When llama.cpp's devices are known, a probed GPU it does not see is listed but marked unusable
    /// (a CPU-only build cannot offload to it); ggml GPUs no probe found are added as they are.
    /// </summary>
    public static IReadOnlyList<DetectedGpu> Merge(IReadOnlyList<DetectedGpu> probed, IReadOnlyList<BackendDevice>? backendDevices)
    {
        if (backendDevices is null) return probed;
        var devices = backendDevices.Where(d => d.Type is BackendDeviceType.Gpu or BackendDeviceType.IGpu).ToList();
        var result = new List<DetectedGpu>();
        var used = new HashSet<BackendDevice>(ReferenceEqualityComparer.Instance);
        foreach (var gpu in probed)
        {
            var match = devices.FirstOrDefault(d => !used.Contains(d) && gpu.PciBusId is not null && d.DeviceId is not null
                                                    && NormalizePci(d.DeviceId) == NormalizePci(gpu.PciBusId))
                        ?? devices.FirstOrDefault(d => !used.Contains(d) && (d.DeviceId is null || gpu.PciBusId is null) && NamesMatch(gpu, d));
            if (match is null)
            {
                result.Add(gpu with { UsableByLlama = false });
                continue;
            }
            used.Add(match);
            result.Add(gpu with
            {
                Info = gpu.Info with
                {
                    Backend = match.Name,
                    TotalBytes = match.TotalBytes > 0 ? match.TotalBytes : gpu.Info.TotalBytes,
                    FreeBytes = match.TotalBytes > 0 ? match.FreeBytes : gpu.Info.FreeBytes,
                },
                UsableByLlama = true,
            });
        }
        foreach (var device in devices.Where(d => !used.Contains(d)))
        {
            result.Add(new DetectedGpu(
                new GpuInfo(device.Description.Length > 0 ? device.Description : device.Name, VendorFromName(device.Description + " " + device.Name),
                    device.TotalBytes, device.FreeBytes, device.Name),
                device.DeviceId, UnifiedMemory: device.Type == BackendDeviceType.IGpu || device.Name.StartsWith("Metal", StringComparison.OrdinalIgnoreCase)));
        }
        return result;
    }

    private static bool NamesMatch(DetectedGpu gpu, BackendDevice device)
    {
        if (gpu.UnifiedMemory && device.Name.StartsWith("Metal", StringComparison.OrdinalIgnoreCase)) return true;
        var a = Normalize(gpu.Info.Name);
        var b = Normalize(device.Description);
        bool nameMatch = a.Length > 0 && b.Length > 0 && (a.Contains(b, StringComparison.Ordinal) || b.Contains(a, StringComparison.Ordinal));
        bool sizeMatch = gpu.Info.TotalBytes <= 0 || device.TotalBytes <= 0
                         || Math.Abs(gpu.Info.TotalBytes - device.TotalBytes) <= 0.1 * Math.Max(gpu.Info.TotalBytes, device.TotalBytes);
        return nameMatch && sizeMatch;
    }

    private static string Normalize(string name) =>
        new(name.ToLowerInvariant().Where(char.IsLetterOrDigit).ToArray());

    // NVML writes "00000000:01:00.0" (32-bit domain), ggml and sysfs "0000:01:00.0".
    internal static string NormalizePci(string id)
    {
        var parts = id.Trim().ToLowerInvariant().Split(':');
        if (parts.Length == 3 && parts[0].Length > 4) parts[0] = parts[0][^4..];
        return string.Join(':', parts);
    }

    private static string VendorFromName(string text) =>
        text.Contains("nvidia", StringComparison.OrdinalIgnoreCase) || text.Contains("CUDA", StringComparison.Ordinal) ? "NVIDIA"
        : text.Contains("amd", StringComparison.OrdinalIgnoreCase) || text.Contains("radeon", StringComparison.OrdinalIgnoreCase) || text.Contains("ROCm", StringComparison.Ordinal) ? "AMD"
        : text.Contains("apple", StringComparison.OrdinalIgnoreCase) || text.Contains("Metal", StringComparison.Ordinal) ? "Apple"
        : text.Contains("intel", StringComparison.OrdinalIgnoreCase) ? "Intel"
        : "unknown";

    private static bool IsCardDirectory(string name) =>
        name.Length > 4 && name.StartsWith("card", StringComparison.Ordinal) && name[4..].All(char.IsAsciiDigit);

    private static long? ParseBytes(string? text) =>
        long.TryParse(text?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>NVML through function pointers, so a machine without the NVIDIA driver needs nothing.</summary>
    private static unsafe class Nvml
    {
        [StructLayout(LayoutKind.Sequential)]
        private struct Memory { public ulong Total, Free, Used; }

        // nvmlPciInfo_t (v3): busIdLegacy[16], domain, bus, device, pciDeviceId, pciSubSystemId, busId[32].
        [StructLayout(LayoutKind.Sequential)]
        private struct PciInfo
        {
            public fixed byte BusIdLegacy[16];
            public uint Domain, Bus, Device, PciDeviceId, PciSubSystemId;
            public fixed byte BusId[32];
        }

        private const int ClockMem = 2; // NVML_CLOCK_MEM

        public static IReadOnlyList<DetectedGpu> Probe(ICollection<string> notes)
        {
            var libraryName = OperatingSystem.IsWindows() ? "nvml.dll" : OperatingSystem.IsLinux() ? "libnvidia-ml.so.1" : null;
            if (libraryName is null || !NativeLibrary.TryLoad(libraryName, out var library)) return [];
            try
            {
                var init = (delegate* unmanaged<int>)Export(library, "nvmlInit_v2");
                var shutdown = (delegate* unmanaged<int>)Export(library, "nvmlShutdown");
                var getCount = (delegate* unmanaged<uint*, int>)Export(library, "nvmlDeviceGetCount_v2");
                var getHandle = (delegate* unmanaged<uint, nint*, int>)Export(library, "nvmlDeviceGetHandleByIndex_v2");
                var getName = (delegate* unmanaged<nint, byte*, uint, int>)Export(library, "nvmlDeviceGetName");
                var getMemory = (delegate* unmanaged<nint, Memory*, int>)Export(library, "nvmlDeviceGetMemoryInfo");
                NativeLibrary.TryGetExport(library, "nvmlDeviceGetPciInfo_v3", out var pciExport);
                NativeLibrary.TryGetExport(library, "nvmlDeviceGetMaxClockInfo", out var clockExport);
                NativeLibrary.TryGetExport(library, "nvmlDeviceGetMemoryBusWidth", out var busWidthExport);
                var getPci = (delegate* unmanaged<nint, PciInfo*, int>)pciExport;
                var getClock = (delegate* unmanaged<nint, int, uint*, int>)clockExport;
                var getBusWidth = (delegate* unmanaged<nint, uint*, int>)busWidthExport;

                int rc = init();
                if (rc != 0)
                {
                    notes.Add($"gpu: NVML is installed but nvmlInit failed (code {rc}); NVIDIA GPUs not probed");
                    return [];
                }
                try
                {
                    uint count;
                    if ((rc = getCount(&count)) != 0)
                    {
                        notes.Add($"gpu: nvmlDeviceGetCount failed (code {rc})");
                        return [];
                    }
                    var gpus = new List<DetectedGpu>();
                    var nameBuffer = stackalloc byte[96];
                    for (uint i = 0; i < count; i++)
                    {
                        nint handle;
                        Memory memory;
                        if (getHandle(i, &handle) != 0 || getMemory(handle, &memory) != 0)
                        {
                            notes.Add($"gpu: NVML could not read device {i}");
                            continue;
                        }
                        var name = getName(handle, nameBuffer, 96) == 0 ? Utf8(nameBuffer, 96) : $"NVIDIA GPU {i}";
                        string? pci = null;
                        PciInfo pciInfo;
                        if (getPci != null && getPci(handle, &pciInfo) == 0) pci = NormalizePci(Utf8(pciInfo.BusId, 32));
                        // Peak bandwidth = memory clock (MHz) x 2 (double data rate) x bus width (bits) / 8.
                        double? bandwidth = null;
                        uint clockMhz, busBits;
                        if (getClock != null && getBusWidth != null && getClock(handle, ClockMem, &clockMhz) == 0 && getBusWidth(handle, &busBits) == 0 && clockMhz > 0 && busBits > 0)
                            bandwidth = clockMhz * 1e6 * 2 * busBits / 8 / 1e9;
                        gpus.Add(new DetectedGpu(new GpuInfo(name, "NVIDIA", (long)memory.Total, (long)memory.Free, "nvml"), pci, bandwidth));
                    }
                    return gpus;
                }
                finally
                {
                    shutdown();
                }
            }
            catch (EntryPointNotFoundException e)
            {
                notes.Add($"gpu: NVML lacks a needed function ({e.Message}); NVIDIA GPUs not probed");
                return [];
            }
            finally
            {
                NativeLibrary.Free(library);
            }
        }

        private static nint Export(nint library, string name) =>
            NativeLibrary.TryGetExport(library, name, out var address) ? address : throw new EntryPointNotFoundException(name);

        private static string Utf8(byte* buffer, int capacity)
        {
            int length = 0;
            while (length < capacity && buffer[length] != 0) length++;
            return Encoding.UTF8.GetString(buffer, length).Trim();
        }
    }
}
