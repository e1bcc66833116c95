using System.Text.Json.Serialization;
using System.Diagnostics;
using System.Runtime.InteropServices;
using ReasonTools.Core.Models;

namespace ReasonTools.Core.Hardware;

/// <summary>What <see cref="HardwareProbe"/> probes and assumes.</summary>
public sealed record HardwareProbeOptions
{
    /// <summary>Folder where models are (or will be) stored, for the free-space probe; null skips it.</summary>
    public string? ModelDirectory { get; init; }
    /// <summary>Context size of the per-model verdicts.</summary>
    public int ContextSize { get; init; } = Inference.ReasonDefaults.ContextSize;
    /// <summary>The slowest speed the recommendation accepts.</summary>
    public double MinTokensPerSecond { get; init; } = ChoiceOptions.DefaultMinTokensPerSecond;
    /// <summary>Model files found on this machine; the recommendation prefers them to a download.</summary>
    public IReadOnlyList<ModelCandidate> LocalModels { get; init; } = [];
    /// <summary>llama.cpp's devices; when set, only GPUs llama.cpp sees count for placement.</summary>
    public IBackendDeviceSource? BackendDevices { get; init; }
    /// <summary>Where /proc and /sys are read.</summary>
    public IHardwareFileSystem FileSystem { get; init; } = HardwareFileSystem.Real;
    /// <summary>Run the memory-bandwidth probe (about a quarter of a second).</summary>
    public bool MeasureBandwidth { get; init; } = true;
    /// <summary>How long the bandwidth probe reads, after its buffer is written once.</summary>
    public TimeSpan BandwidthReadTime { get; init; } = TimeSpan.FromMilliseconds(150);
    /// <summary>Probe NVIDIA GPUs through NVML (tests turn it off to stay independent of the machine).</summary>
    public bool ProbeNvml { get; init; } = true;
}

/// <summary>How long one probe took.</summary>
public sealed record ProbeTiming(string Probe, TimeSpan Elapsed);

/// <summary>The answer to "can this machine run it?".</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<FitVerdict>))]
public enum FitVerdict
{
    /// <summary>It fits and reaches the minimum speed (or its speed is unknown).</summary>
    Fits,
    /// <summary>It fits but runs below the minimum speed.</summary>
    Slow,
    /// <summary>Nothing on this machine can hold it.</summary>
    DoesNotFit,
}

/// <summary>A catalog model's verdict with an alternative when it does not fit or is slow.</summary>
public sealed record ModelAssessment(FitEstimate Estimate, ModelChoice? Alternative, double MinTokensPerSecond)
{
    /// <summary>The system memory budget the allowance comes from (the smaller of total memory and a cgroup/job limit).</summary>
    public long MemoryBudgetBytes { get; init; }

    /// <summary>The family's small model as a draft beside this one (speculative decoding); null when the family has none small enough.</summary>
    public DraftFit? Draft { get; init; }

    /// <summary>Fits, slow (below <see cref="MinTokensPerSecond"/>) or does not fit.</summary>
    public FitVerdict Verdict => !Estimate.Fits ? FitVerdict.DoesNotFit
        : Estimate.EstimatedTokensPerSecond is { } speed && speed < MinTokensPerSecond ? FitVerdict.Slow
        : FitVerdict.Fits;
}

/// <summary>Everything a hardware probe found: the report plus the detail behind it.</summary>
public sealed record HardwareProbeResult(
    HardwareReport Report,
    MachineProfile Profile,
    IReadOnlyList<DetectedGpu> Gpus,
    BandwidthMeasurement? Bandwidth,
    IReadOnlyList<FitEstimate> Estimates,
    ModelChoice? Choice,
    ChoiceOptions ChoiceOptions,
    IReadOnlyList<ProbeTiming> Timings)
{
    /// <summary>
    /// "Can this machine run <paramref name="query"/>?" for a catalog size, name or Ollama tag (quantization from
    /// the query, else <paramref name="quantization"/>, else Q4_K_M). Throws <see cref="UnknownModelException"/>.
    /// </summary>
    public ModelAssessment Assess(string query, string? quantization = null, IEnumerable<ModelCandidate>? localModels = null) =>
        HardwareProbe.Assess(query, quantization, Profile, ChoiceOptions, localModels ?? []);
}

/// <summary>Collects the <see cref="HardwareReport"/>: each probe is fast and may fail alone, leaving a note.</summary>
public static class HardwareProbe
{
    /// <summary>Probes this machine and judges every catalog model at <see cref="HardwareProbeOptions.ContextSize"/>.</summary>
    public static async Task<HardwareReport> CollectAsync(HardwareProbeOptions? options = null, CancellationToken cancellationToken = default) =>
        (await CollectDetailedAsync(options, cancellationToken).ConfigureAwait(false)).Report;

    /// <summary>Like <see cref="CollectAsync"/>, with the estimates, the machine profile and each probe's time.</summary>
    public static async Task<HardwareProbeResult> CollectDetailedAsync(HardwareProbeOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new HardwareProbeOptions();
        var notes = new List<string>();
        var timings = new List<ProbeTiming>();
        var fs = options.FileSystem;

        T Timed<T>(string name, T fallback, Func<T> probe)
        {
            long start = Stopwatch.GetTimestamp();
            try
            {
                return probe();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                notes.Add($"{name}: probe failed: {e.Message}");
                return fallback;
            }
            finally
            {
                timings.Add(new ProbeTiming(name, Stopwatch.GetElapsedTime(start)));
            }
        }

        int logical = Environment.ProcessorCount;
        var cpu = Timed("cpu", new CpuInfo("unknown CPU", logical, logical, []), () => CpuProbe.Probe(fs, notes));
        var memory = Timed("memory", new MemoryInfo(0, 0, null), () => MemoryProbe.Probe(fs, notes));
        var gpus = Timed<IReadOnlyList<DetectedGpu>>("gpu", [], () => ProbeGpus(options, memory, cpu, notes));
        var disk = options.ModelDirectory is null ? null : Timed<DiskInfo?>("disk", null, () => DiskProbe.Probe(options.ModelDirectory, notes));
        cancellationToken.ThrowIfCancellationRequested();

        BandwidthMeasurement? bandwidth = null;
        if (options.MeasureBandwidth)
        {
            int threads = Math.Max(1, cpu.PhysicalCores);
            long buffer = MemoryBandwidthProbe.ChooseBufferBytes(threads, memory.AvailableBytes);
            long start = Stopwatch.GetTimestamp();
            try
            {
                bandwidth = await Task.Run(() => MemoryBandwidthProbe.Measure(threads, buffer, options.BandwidthReadTime, cancellationToken), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OutOfMemoryException or InsufficientExecutionStackException or ArgumentException)
            {
                notes.Add($"bandwidth: probe failed: {e.Message}");
            }
            timings.Add(new ProbeTiming("bandwidth", Stopwatch.GetElapsedTime(start)));
        }

        var profile = new MachineProfile(
            MachineProfile.EffectiveMemory(memory),
            memory.AvailableBytes,
            bandwidth?.GBps,
            gpus.Where(g => g.UsableByLlama).Select(g => new GpuBudget(g.Info.Name, g.Info.FreeBytes, g.Info.TotalBytes, g.BandwidthGBps, g.UnifiedMemory)).ToList());
        if (memory.TotalBytes <= 0) notes.Add("memory: total memory unknown; every model is judged as not fitting");
        if (bandwidth is null) notes.Add("bandwidth: not measured; speeds are unknown");
        foreach (var gpu in gpus.Where(g => !g.UsableByLlama))
            notes.Add($"gpu: {gpu.Info.Name} is not among llama.cpp's devices (CPU-only build?); it is listed but not used");

        var choiceOptions = new ChoiceOptions { Fit = new FitOptions { ContextSize = options.ContextSize }, MinTokensPerSecond = options.MinTokensPerSecond };
        return Assemble(cpu, memory, gpus, bandwidth, disk, notes, profile, choiceOptions, options.LocalModels, timings);
    }

    /// <summary>Pure assembly of a report from probe results: a verdict for every catalog model × quantization, and the recommendation.</summary>
    public static HardwareProbeResult Assemble(
        CpuInfo cpu, MemoryInfo memory, IReadOnlyList<DetectedGpu> gpus, BandwidthMeasurement? bandwidth, DiskInfo? disk,
        IReadOnlyList<string> notes, MachineProfile profile, ChoiceOptions choiceOptions, IReadOnlyList<ModelCandidate> localModels,
        IReadOnlyList<ProbeTiming>? timings = null)
    {
        var estimates = new List<FitEstimate>();
        var rows = new List<ModelFit>();
        foreach (var model in ModelCatalog.All)
        {
            foreach (var file in model.Files)
            {
                var estimate = FitEstimator.Estimate(model.Spec(file), profile, choiceOptions.Fit);
                estimates.Add(estimate);
                rows.Add(estimate.ToModelFit(model.Size));
            }
        }
        var choice = ModelChooser.Choose(localModels, profile, choiceOptions);
        var report = new HardwareReport
        {
            Cpu = cpu,
            Memory = memory,
            Gpus = gpus.Select(g => g.Info).ToList(),
            MemoryBandwidthGBps = bandwidth is null ? null : Math.Round(bandwidth.GBps, 1),
            MemoryBandwidthUnsteady = bandwidth?.Unsteady ?? false,
            Models = rows,
            Recommended = choice?.ToRecommendation(),
            Disk = disk,
            Notes = notes.ToList(),
            MinTokensPerSecond = choiceOptions.MinTokensPerSecond,
        };
        return new HardwareProbeResult(report, profile, gpus, bandwidth, estimates, choice, choiceOptions, timings ?? []);
    }

    /// <summary>Pure: the verdict for one catalog model and, when it does not fit or is slow, what to run instead.</summary>
    public static ModelAssessment Assess(string query, string? quantization, MachineProfile profile, ChoiceOptions options, IEnumerable<ModelCandidate> localModels)
    {
        var selection = ModelCatalog.Get(query);
        var label = selection.Quantization ?? (quantization is null ? "Q4_K_M" : ModelCatalog.NormalizeQuantization(quantization)
            ?? throw new ReasonFailure(FailureKind.BadInput, $"Unknown quantization '{quantization}'. Use one of {string.Join(", ", ModelCatalog.Quantizations)}.") { Setting = SettingNames.Quantization, Quantization = quantization });
        var file = selection.Model.File(label)
            ?? throw new ReasonFailure(FailureKind.BadInput, $"{selection.Model.Name} is not published as {label}; available: {string.Join(", ", selection.Model.Files.Select(f => f.Quantization))}.")
            { Setting = SettingNames.Quantization, Model = selection.Model.Name, Quantization = label };
        var estimate = FitEstimator.Estimate(selection.Model.Spec(file), profile, options.Fit);
        var assessment = new ModelAssessment(estimate, null, options.MinTokensPerSecond)
        {
            MemoryBudgetBytes = profile.MemoryBudgetBytes,
            Draft = DraftFitEstimator.FamilyDraft(selection.Model) is { } draft && draft.File(DraftFitEstimator.DraftQuantization) is { } draftFile
                ? DraftFitEstimator.Estimate(estimate, draft.Spec(draftFile), profile, options.Fit) : null,
        };
        return assessment.Verdict == FitVerdict.Fits ? assessment : assessment with { Alternative = ModelChooser.Choose(localModels, profile, options) };
    }

    private static IReadOnlyList<DetectedGpu> ProbeGpus(HardwareProbeOptions options, MemoryInfo memory, CpuInfo cpu, ICollection<string> notes)
    {
        var found = new List<DetectedGpu>();
        if (options.ProbeNvml) found.AddRange(GpuProbe.ProbeNvidia(notes));
        if (OperatingSystem.IsLinux() || options.FileSystem is not HardwareFileSystem) found.AddRange(GpuProbe.ProbeAmdSysfs(options.FileSystem, notes));
        if (OperatingSystem.IsMacOS() && RuntimeInformation.ProcessArchitecture == Architecture.Arm64 && memory.TotalBytes > 0)
            found.Add(GpuProbe.AppleGpu(cpu.Name, memory.TotalBytes));

        IReadOnlyList<BackendDevice>? devices = null;
        if (options.BackendDevices is not null)
        {
            try
            {
                devices = options.BackendDevices.GetDevices();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                notes.Add($"gpu: llama.cpp's device list could not be read ({e.Message}); GPUs found by the probes are assumed usable");
            }
        }
        return GpuProbe.Merge(found, devices);
    }
}
