using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using ArmIntrinsics = System.Runtime.Intrinsics.Arm;

namespace ReasonTools.Core.Hardware;

/// <summary>CPU name, cores and the instruction-set features llama.cpp's CPU kernels select on.</summary>
public static class CpuProbe
{
    // /proc/cpuinfo flag -> the name llama.cpp prints in its system info line.
    private static readonly (string Flag, string Feature)[] X86Flags =
    [
        ("avx", "AVX"), ("avx2", "AVX2"), ("f16c", "F16C"), ("fma", "FMA"), ("avx_vnni", "AVX_VNNI"),
        ("avx512f", "AVX512"), ("avx512bw", "AVX512_BW"), ("avx512_vnni", "AVX512_VNNI"), ("avx512_bf16", "AVX512_BF16"),
        ("amx_tile", "AMX"), ("amx_int8", "AMX_INT8"), ("amx_bf16", "AMX_BF16"),
    ];

    private static readonly (string Flag, string Feature)[] ArmFlags =
    [
        ("asimd", "NEON"), ("asimddp", "DOTPROD"), ("i8mm", "MATMUL_INT8"), ("sve", "SVE"), ("sve2", "SVE2"), ("fphp", "FP16"),
    ];

    private static readonly string[] FeatureOrder = [.. X86Flags.Select(f => f.Feature), .. ArmFlags.Select(f => f.Feature)];

    /// <summary>Probes this machine: /proc/cpuinfo on Linux, runtime intrinsics and sysctl elsewhere.</summary>
    public static CpuInfo Probe(IHardwareFileSystem fileSystem, ICollection<string> notes)
    {
        var cpuinfo = fileSystem.ReadText("/proc/cpuinfo");
        if (cpuinfo is not null)
            return FromCpuInfo(cpuinfo, Environment.ProcessorCount);

        if (OperatingSystem.IsLinux())
            notes.Add("cpu: /proc/cpuinfo could not be read; features come from the .NET runtime and physical cores are assumed equal to logical cores");
        var name = OperatingSystem.IsMacOS()
            ? Sysctl.ReadString("machdep.cpu.brand_string") ?? "Apple CPU"
            : Environment.GetEnvironmentVariable("PROCESSOR_IDENTIFIER") ?? RuntimeInformation.ProcessArchitecture.ToString();
        var physical = OperatingSystem.IsMacOS() ? (int?)Sysctl.ReadInt64("hw.physicalcpu") : null;
        var logical = Environment.ProcessorCount;
        return new CpuInfo(name.Trim(), Math.Clamp(physical ?? logical, 1, logical), logical, RuntimeFeatures());
    }

    /// <summary>
    /// Parses /proc/cpuinfo. Physical cores are the distinct (physical id, core id) pairs; when the
    /// process may use fewer logical processors (affinity, cgroup CPU quota — <see cref="Environment.ProcessorCount"/>
    /// accounts for both) the physical count is capped to that.
    /// </summary>
    public static CpuInfo FromCpuInfo(string cpuinfo, int logicalCoresAvailable)
    {
        string? name = null, armImplementer = null, armPart = null;
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var cores = new HashSet<(string, string)>();
        int processors = 0;
        string physicalId = "0";
        foreach (var rawLine in cpuinfo.Split('\n'))
        {
            int colon = rawLine.IndexOf(':');
            if (colon < 0) continue;
            var key = rawLine[..colon].Trim();
            var value = rawLine[(colon + 1)..].Trim();
            switch (key)
            {
                case "processor": processors++; physicalId = "0"; break;
                case "model name" or "Model" or "Hardware" when name is null && value.Length > 0: name = value; break;
                case "CPU implementer": armImplementer ??= value; break;
                case "CPU part": armPart ??= value; break;
                case "physical id": physicalId = value; break;
                case "core id": cores.Add((physicalId, value)); break;
                case "flags" or "Features":
                    foreach (var f in value.Split(' ', StringSplitOptions.RemoveEmptyEntries)) flags.Add(f);
                    break;
            }
        }

        name ??= armImplementer is not null ? $"ARM CPU (implementer {armImplementer}, part {armPart ?? "?"})" : "unknown CPU";
        int logical = Math.Max(1, Math.Min(logicalCoresAvailable, Math.Max(processors, 1)));
        int physical = cores.Count > 0 ? cores.Count : processors;
        physical = Math.Clamp(physical, 1, logical);
        return new CpuInfo(name, physical, logical, FeaturesFromFlags(flags));
    }

    /// <summary>Maps cpuinfo flags (x86 "flags" or ARM "Features") to llama.cpp's feature names.</summary>
    public static IReadOnlyList<string> FeaturesFromFlags(IReadOnlySet<string> flags) =>
        X86Flags.Concat(ArmFlags).Where(f => flags.Contains(f.Flag)).Select(f => f.Feature).Distinct().ToList();

    /// <summary>Features the .NET runtime reports for the running CPU (used where /proc/cpuinfo is missing).</summary>
    public static IReadOnlyList<string> RuntimeFeatures()
    {
        var found = new HashSet<string>();
        void Add(bool supported, string feature) { if (supported) found.Add(feature); }
        Add(Avx.IsSupported, "AVX");
        Add(Avx2.IsSupported, "AVX2");
        Add(Fma.IsSupported, "FMA");
        // F16C has no .NET intrinsic class (and AVX-VNNI is a preview API on net8.0); every AVX2 CPU has F16C.
        Add(Avx2.IsSupported, "F16C");
        Add(Avx512F.IsSupported, "AVX512");
        Add(Avx512BW.IsSupported, "AVX512_BW");
        Add(ArmIntrinsics.AdvSimd.IsSupported, "NEON");
        Add(ArmIntrinsics.Dp.IsSupported, "DOTPROD");
        return FeatureOrder.Where(found.Contains).ToList();
    }
}
