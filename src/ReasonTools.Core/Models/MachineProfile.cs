using ReasonTools.Core.Hardware;

namespace ReasonTools.Core.Models;

/// <summary>
/// One GPU the estimator may place layers on. <paramref name="BandwidthGBps"/> is the peak memory bandwidth
/// (null when unknown); <paramref name="UnifiedMemory"/> marks GPUs that share system memory (Apple), whose
/// layers therefore also count against the system budget.
/// </summary>
public sealed record GpuBudget(string Name, long FreeBytes, long TotalBytes, double? BandwidthGBps = null, bool UnifiedMemory = false);

/// <summary>
/// What the fit estimator needs to know about a machine. <paramref name="MemoryBudgetBytes"/> is the system
/// memory the model may use at most: the smaller of physical memory and the cgroup/job limit.
/// <paramref name="AvailableBytes"/> is what is free right now (a warning when lower than needed, not a refusal).
/// </summary>
public sealed record MachineProfile(
    long MemoryBudgetBytes,
    long AvailableBytes,
    double? CpuBandwidthGBps,
    IReadOnlyList<GpuBudget> Gpus)
{
    /// <summary>A machine without GPUs.</summary>
    public static MachineProfile CpuOnly(long memoryBytes, double? bandwidthGBps) => new(memoryBytes, memoryBytes, bandwidthGBps, []);

    /// <summary>
    /// The profile of a report. Every listed GPU counts as usable and its bandwidth as unknown; the probe's own
    /// profile (<see cref="HardwareProbeResult.Profile"/>) knows which GPUs llama.cpp can use and their bandwidth.
    /// </summary>
    public static MachineProfile FromReport(HardwareReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return new MachineProfile(
            EffectiveMemory(report.Memory),
            report.Memory.AvailableBytes,
            report.MemoryBandwidthGBps,
            report.Gpus.Select(g => new GpuBudget(g.Name, g.FreeBytes, g.TotalBytes, UnifiedMemory: g.Vendor == "Apple")).ToList());
    }

    /// <summary>Physical memory, or the cgroup/job limit when that is lower.</summary>
    public static long EffectiveMemory(MemoryInfo memory) =>
        memory.LimitBytes is { } limit && (limit < memory.TotalBytes || memory.TotalBytes <= 0) ? limit : memory.TotalBytes;
}
