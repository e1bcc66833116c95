using ReasonTools.Core.Gguf;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;

namespace ReasonTools.Core.Inference;

/// <summary>How many sequences an engine generates together (<see cref="EngineOptions.Parallel"/>), and its default.</summary>
public static class ParallelSequences
{
    /// <summary>The most sequences one context decodes together.</summary>
    public const int Max = 64;

    /// <summary>
    /// Generation on a CPU is bound by memory bandwidth: every sequence of a batch reads the same weights once, so a
    /// batch costs little more than one token until the cores run out of arithmetic; two sequences a core keep them busy.
    /// </summary>
    public const int PerCore = 2;

    /// <summary>The default's ceiling: beyond it the gain per sequence is small and each answer slows down.</summary>
    public const int DefaultCeiling = 8;

    public static void EnsureValid(int parallel)
    {
        if (parallel is < 1 or > Max)
            throw new ReasonFailure(FailureKind.BadInput, $"Parallel sequences must be between 1 and {Max} (got {parallel}); 1 answers one prompt at a time.")
            {
                Setting = SettingNames.Parallel,
            };
    }

    /// <summary>
    /// The default count (pure): no more than there are prompts, <see cref="PerCore"/> a core up to
    /// <see cref="DefaultCeiling"/>, and only as many KV caches as the memory left beside the model holds; at least 1.
    /// </summary>
    public static int Choose(int prompts, int cores, long freeBytesBesideModel, long kvBytesPerSequence)
    {
        var byCores = Math.Clamp(cores * PerCore, 1, DefaultCeiling);
        var byMemory = kvBytesPerSequence <= 0 ? byCores : (int)Math.Clamp(freeBytesBesideModel / kvBytesPerSequence, 1, Max);
        return Math.Max(1, Math.Min(Math.Min(byCores, byMemory), Math.Max(1, prompts)));
    }

    /// <summary>
    /// The default for <paramref name="prompts"/> prompts on the GGUF at <paramref name="path"/> with this machine's free
    /// memory (cgroup limit included) and logical cores. The first sequence's KV cache is part of what the model needs.
    /// </summary>
    public static int ChooseFor(string path, EngineOptions engine, int prompts)
    {
        if (prompts <= 1) return 1;
        var file = GgufReader.Read(path);
        var spec = GgufModelSpec.From(file, file.Name ?? Path.GetFileNameWithoutExtension(path));
        var single = FitEstimator.Estimate(spec, MachineProfile.CpuOnly(long.MaxValue / 4, null),
            new FitOptions { ContextSize = engine.ContextSize, UBatchSize = engine.MicroBatchSize }).RequiredBytes;
        var memory = MemoryProbe.Probe(HardwareFileSystem.Real, new List<string>());
        var free = memory.LimitBytes is { } limit ? Math.Min(limit, memory.AvailableBytes) : memory.AvailableBytes;
        var besideModel = FitEstimator.CpuAllowedBytes(free) - single;
        var kv = FitEstimator.KvCacheBytes(spec.Shape, engine.ContextSize);
        return Choose(prompts, Environment.ProcessorCount, besideModel + kv, kv);
    }
}
