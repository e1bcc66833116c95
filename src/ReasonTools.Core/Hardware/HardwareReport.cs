using System.Text.Json.Serialization;
using ReasonTools.Core;
using ReasonTools.Core.Models;

namespace ReasonTools.Core.Hardware;

/// <summary>Where a model's weights would live.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<Placement>))]
public enum Placement
{
    /// <summary>Every layer on the GPU.</summary>
    Gpu,
    /// <summary>Some layers on the GPU, the rest on the CPU.</summary>
    Partial,
    /// <summary>All on the CPU, in system memory.</summary>
    Cpu,
    /// <summary>Does not fit anywhere on this machine.</summary>
    None,
}

public sealed record CpuInfo(string Name, int PhysicalCores, int LogicalCores, IReadOnlyList<string> Features)
{
    /// <summary>"AMD EPYC 7763 (8 cores, 16 threads)", for a nested view.</summary>
    public override string ToString() => $"{Name} ({PhysicalCores} core{(PhysicalCores == 1 ? "" : "s")}, {LogicalCores} thread{(LogicalCores == 1 ? "" : "s")})";
}

/// <summary>System memory. <see cref="LimitBytes"/> is the cgroup or job limit, null when none applies.</summary>
public sealed record MemoryInfo(long TotalBytes, long AvailableBytes, long? LimitBytes)
{
    /// <summary>"31.2 GB, 20.1 GB available, limited to 16.0 GB", for a nested view.</summary>
    public override string ToString() =>
        $"{MessageUnits.Gb(TotalBytes)}, {MessageUnits.Gb(AvailableBytes)} available" + (LimitBytes is { } limit ? $", limited to {MessageUnits.Gb(limit)}" : "");
}

public sealed record GpuInfo(string Name, string Vendor, long TotalBytes, long FreeBytes, string Backend)
{
    /// <summary>"NVIDIA H200 (143.8 GB, 140.1 GB free, cuda)", for a nested view.</summary>
    public override string ToString() => $"{Name} ({MessageUnits.Gb(TotalBytes)}, {MessageUnits.Gb(FreeBytes)} free, {Backend})";
}

/// <summary>Whether and how one catalog model at one quantization runs on this machine.</summary>
public sealed record ModelFit(
    string Name,
    string Size,
    string Quantization,
    int ContextSize,
    long RequiredBytes,
    Placement Placement,
    int GpuLayers,
    bool Fits,
    double? EstimatedTokensPerSecond);

public sealed record Recommendation(
    string Name,
    string Quantization,
    int ContextSize,
    Placement Placement,
    double? EstimatedTokensPerSecond);

/// <summary>What this machine has and which models it can run (ARCHITECTURE.md: HardwareReport).</summary>
public sealed record HardwareReport
{
    public required CpuInfo Cpu { get; init; }
    public required MemoryInfo Memory { get; init; }
    public IReadOnlyList<GpuInfo> Gpus { get; init; } = [];
    public double? MemoryBandwidthGBps { get; init; }
    /// <summary>True when the bandwidth probe's repeated passes disagreed (other work was running): the figure, and the speed estimates from it, are rough.</summary>
    public bool MemoryBandwidthUnsteady { get; init; }
    public IReadOnlyList<ModelFit> Models { get; init; } = [];
    public Recommendation? Recommended { get; init; }
    /// <summary>Free space where models are stored; null when not probed.</summary>
    public DiskInfo? Disk { get; init; }
    /// <summary>Probes that could not run, each with the reason; the rest of the report still stands.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
    /// <summary>The slowest estimated speed counted as usable; a model that fits but runs slower is shown as slow.</summary>
    public double MinTokensPerSecond { get; init; } = ChoiceOptions.DefaultMinTokensPerSecond;
    /// <summary>The answer for the model asked about (<c>reason hardware --model</c>); null when none was asked.</summary>
    public ModelAnswer? Answer { get; init; }
}
