using System.Globalization;
using ReasonTools.Core.Hardware;

namespace ReasonTools.Core.Models;

/// <summary>Settings of a fit estimate; defaults are llama.cpp's context defaults with a 4096-token context.</summary>
public sealed record FitOptions
{
    /// <summary>Context size in tokens (n_ctx).</summary>
    public int ContextSize { get; init; } = Inference.ReasonDefaults.ContextSize;
    /// <summary>Physical batch size (n_ubatch); llama.cpp's default is 512.</summary>
    public int UBatchSize { get; init; } = 512;
    /// <summary>Bytes per KV-cache element: 2 for f16 (default), 1.0625 for q8_0.</summary>
    public double KvCacheElementBytes { get; init; } = 2;
    /// <summary>Flash attention (llama.cpp's "auto" turns it on for CPU, CUDA and Metal); off adds the full attention-score matrix to the compute buffer.</summary>
    public bool FlashAttention { get; init; } = true;
    /// <summary>Share of measured memory bandwidth llama.cpp reaches on CPUs (0.75–0.8 per the reference measurements).</summary>
    public double CpuBandwidthEfficiency { get; init; } = 0.78;

    /// <summary>Checks the values; throws <see cref="ArgumentOutOfRangeException"/> naming the bad one.</summary>
    public void Validate()
    {
        if (ContextSize < 1) throw new ArgumentOutOfRangeException(nameof(ContextSize), ContextSize, "The context size must be at least 1 token.");
        if (UBatchSize < 1) throw new ArgumentOutOfRangeException(nameof(UBatchSize), UBatchSize, "The batch size must be at least 1 token.");
        if (KvCacheElementBytes <= 0) throw new ArgumentOutOfRangeException(nameof(KvCacheElementBytes), KvCacheElementBytes, "KV-cache element size must be positive.");
        if (CpuBandwidthEfficiency is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(CpuBandwidthEfficiency), CpuBandwidthEfficiency, "Efficiency is a share between 0 and 1.");
    }
}

/// <summary>
/// Memory and speed of one model on one machine, every component in bytes, with the reasoning in words.
/// <see cref="RequiredBytes"/> = weights + KV cache + compute buffers + runtime overhead for the chosen
/// placement (for <see cref="Placement.None"/>: for the CPU, the cheapest option). <see cref="AllowedBytes"/>
/// is what the machine allows after the safety margins (system memory plus dedicated GPU memory).
/// <see cref="GpuLayers"/> counts as llama.cpp's --gpu-layers does: all of an n-layer model on the GPU is n + 1
/// (the output layer moves only when every repeating layer has).
/// </summary>
public sealed record FitEstimate(
    ModelSpec Model,
    int ContextSize,
    long WeightsBytes,
    long KvCacheBytes,
    long ComputeBufferBytes,
    long OverheadBytes,
    long RequiredBytes,
    Placement Placement,
    int GpuLayers,
    long CpuBytes,
    long GpuBytes,
    long CpuAllowedBytes,
    long GpuAllowedBytes,
    double? EstimatedTokensPerSecond,
    IReadOnlyList<string> Reasoning)
{
    /// <summary>True unless nothing on this machine can hold the model.</summary>
    public bool Fits => Placement != Placement.None;

    /// <summary>System memory plus dedicated GPU memory the model may use.</summary>
    public long AllowedBytes => CpuAllowedBytes + GpuAllowedBytes;

    /// <summary>"needs 21.6 GB (weights 19.9 GB + KV cache 1.1 GB + buffers 0.6 GB), this machine allows 18.2 GB".</summary>
    public string Summary =>
        $"needs {MessageUnits.Gb(RequiredBytes)} (weights {MessageUnits.Gb(WeightsBytes)} + KV cache {MessageUnits.Gb(KvCacheBytes)} + buffers {MessageUnits.Gb(ComputeBufferBytes + OverheadBytes)}), " +
        $"this machine allows {MessageUnits.Gb(AllowedBytes)}";

    /// <summary>The report's row for this estimate.</summary>
    public ModelFit ToModelFit(string size) =>
        new(Model.Name, size, Model.Quantization, ContextSize, RequiredBytes, Placement, GpuLayers, Fits, EstimatedTokensPerSecond);
}

/// <summary>
/// Byte and speed figures inside the core's own messages and reasoning lines (GB = 10^9 bytes, as Hugging Face shows
/// file sizes). Views format figures with ReasonTools.Reports; this is only for text the core must word itself.
/// </summary>
internal static class MessageUnits
{
    /// <summary>"19.9 GB".</summary>
    public static string Gb(long bytes) => (bytes / 1e9).ToString("0.0", CultureInfo.InvariantCulture) + " GB";

    /// <summary>"4.2 tokens/s", "0.85 tokens/s", or "? tokens/s" when unknown.</summary>
    public static string TokensPerSecond(double? value) => value switch
    {
        null => "? tokens/s",
        < 10 and >= 1 => value.Value.ToString("0.0", CultureInfo.InvariantCulture) + " tokens/s",
        < 1 => value.Value.ToString("0.00", CultureInfo.InvariantCulture) + " tokens/s",
        _ => value.Value.ToString("0", CultureInfo.InvariantCulture) + " tokens/s",
    };
}

/// <summary>
/// Pure fit estimate: model figures, context and machine in; bytes, placement and speed out.
/// <para>Memory components:</para>
/// <list type="bullet">
/// <item>Weights: the GGUF file size (tensor data is nearly all of it; llama.cpp maps or copies it whole). On CPUs
/// llama.cpp repacks Q4_0/Q4_K/IQ4_NL tensors into an anonymous CPU_REPACK buffer (597 MiB of the 1.5B Q4_K_M's
/// 1052 MiB mapping here); the mapped originals of those tensors go cold and are reclaimable page cache, so what
/// stays resident is about the file size.</item>
/// <item>KV cache: layers × KV heads × head dim × context × 2 (K and V) × element size (f16: 2 bytes).</item>
/// <item>Compute buffer: llama.cpp reserves its graph for the worst case, a full ubatch of T = min(n_ctx, n_ubatch)
/// tokens that all produce logits (llama_context::sched_reserve → graph_reserve with n_outputs = T). The allocator
/// reuses memory between nodes, so the buffer is the largest set of tensors alive at once: the f32 logits with two
/// activations of the output step, 4·T·(n_vocab + 2·n_embd) — with or without flash attention this is the peak for
/// these models: llama-bench -v of this build on a Qwen-1.5B-shaped Q4_K_M at n_ctx 512 logs "CPU compute buffer
/// size = 302.75 MiB", exactly 4·512·(151936 + 2·1536) — or the FFN's gate and up activations with the residual,
/// 4·T·(2·n_ff + 2·n_embd), or, without flash attention, the attention scores 4·T·n_head·n_ctx plus two activations
/// (this last term is derived from the graph, not yet checked against a log).</item>
/// <item>Runtime overhead: 256 MiB of system memory (the .NET runtime, llama.cpp's model and context structures,
/// the output buffer) and 384 MiB per GPU used (CUDA/Metal context, cuBLAS workspace).</item>
/// </list>
/// <para>Safety margins: system memory allows 90 % of the budget minus 512 MiB for the OS and other programs;
/// a GPU allows its free memory minus 5 % of its total. An Apple GPU shares system memory, so it allows the smaller
/// of its working set and the system allowance.</para>
/// <para>Placement, best first: everything on the GPUs; else as many layers as fit on the GPUs (each with its KV
/// cache) and the rest, with embeddings and output, on the CPU; else everything on the CPU; else none.</para>
/// <para>Speed: generating a token reads every weight once except the token-embedding table (one row), plus the KV
/// cache, counted half full. CPU: tokens/s = efficiency (0.78) × measured bandwidth / bytes per token. GPUs reach a
/// smaller share the smaller the model (an H100 runs a 7B at about a quarter of its bandwidth, a 70B at about half):
/// efficiency = 0.25 + 0.25 · ln(bytes / 4.68 GB) / ln(42.5 GB / 4.68 GB), clamped to 0.12–0.6. Partial offload:
/// time per token is the GPU part's time plus the CPU part's.</para>
/// </summary>
public static class FitEstimator
{
    private const long MiB = 1024 * 1024;

    /// <summary>Share of the system memory budget usable by a model.</summary>
    public const double SystemMemoryShare = 0.90;
    /// <summary>System memory always left to the OS and other programs.</summary>
    public const long SystemHeadroomBytes = 512 * MiB;
    /// <summary>Share of a GPU's total memory left free.</summary>
    public const double GpuMarginShare = 0.05;
    /// <summary>Runtime overhead in system memory.</summary>
    public const long CpuOverheadBytes = 256 * MiB;
    /// <summary>Runtime overhead on each GPU used.</summary>
    public const long GpuOverheadBytes = 384 * MiB;

    /// <summary>KV cache bytes for <paramref name="contextSize"/> tokens.</summary>
    public static long KvCacheBytes(ModelShape shape, int contextSize, double elementBytes = 2) =>
        (long)Math.Ceiling((double)shape.Layers * shape.KvHeads * shape.HeadDim * contextSize * 2 * elementBytes);

    /// <summary>llama.cpp's compute buffer for one device (see the type's remarks for the derivation).</summary>
    public static long ComputeBufferBytes(ModelShape shape, int contextSize, int uBatchSize, bool flashAttention)
    {
        long tokens = Math.Min(contextSize, uBatchSize);
        long logits = 4 * tokens * ((long)shape.VocabSize + 2L * shape.EmbeddingLength);
        long feedForward = 4 * tokens * (2L * shape.FeedForwardLength + 2L * shape.EmbeddingLength);
        long attention = flashAttention ? 0 : 4 * tokens * ((long)shape.Heads * contextSize + 2L * shape.EmbeddingLength);
        return Math.Max(logits, Math.Max(feedForward, attention));
    }

    /// <summary>System memory a model may use on a machine with <paramref name="memoryBudgetBytes"/>.</summary>
    public static long CpuAllowedBytes(long memoryBudgetBytes) =>
        Math.Max(0, (long)(memoryBudgetBytes * SystemMemoryShare) - SystemHeadroomBytes);

    /// <summary>GPU efficiency (share of peak bandwidth reached) for a model whose per-token reads are <paramref name="bytesPerToken"/>.</summary>
    public static double GpuEfficiency(double bytesPerToken) =>
        Math.Clamp(0.25 + 0.25 * Math.Log(bytesPerToken / 4.68e9) / Math.Log(42.5e9 / 4.68e9), 0.12, 0.6);

    /// <summary>Estimates memory, placement and speed of <paramref name="model"/> on <paramref name="machine"/>.</summary>
    public static FitEstimate Estimate(ModelSpec model, MachineProfile machine, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(machine);
        options ??= new FitOptions();
        options.Validate();
        model.Shape.Validate();
        if (model.FileSizeBytes <= 0)
            throw new ArgumentException($"Model '{model.Name}': file size must be positive, got {model.FileSizeBytes}.", nameof(model));

        var shape = model.Shape;
        int context = options.ContextSize;
        long weights = model.FileSizeBytes;
        long kv = KvCacheBytes(shape, context, options.KvCacheElementBytes);
        long compute = ComputeBufferBytes(shape, context, options.UBatchSize, options.FlashAttention);
        double bytesPerWeight = model.BytesPerWeight;
        // Embedding (and untied output) matrices stay on the CPU under partial offload.
        long embedding = (long)(shape.EmbeddingParameters * bytesPerWeight);
        long nonRepeating = Math.Min(weights, embedding * (shape.TiedEmbeddings ? 1 : 2));
        long perLayer = (weights - nonRepeating + kv) / shape.Layers;
        // Per token: all weights but the embedding table (only one row is read), and the KV cache half full.
        double bytesPerToken = weights - (shape.TiedEmbeddings ? 0 : embedding) + kv / 2.0;

        long cpuAllowed = CpuAllowedBytes(machine.MemoryBudgetBytes);
        var gpus = machine.Gpus.Where(g => g.FreeBytes > 0).ToList();
        long GpuAllowed(GpuBudget g)
        {
            long allowed = Math.Max(0, g.FreeBytes - (long)(g.TotalBytes * GpuMarginShare));
            return g.UnifiedMemory ? Math.Min(allowed, cpuAllowed) : allowed;
        }
        long gpuAllowed = gpus.Sum(GpuAllowed);
        bool unified = gpus.Count > 0 && gpus.All(g => g.UnifiedMemory);
        long dedicatedGpuAllowed = unified ? 0 : gpus.Where(g => !g.UnifiedMemory).Sum(GpuAllowed);

        var reasoning = new List<string>
        {
            $"{model.Name} {model.Quantization}, context {context}: weights {MessageUnits.Gb(weights)}, " +
            $"KV cache {MessageUnits.Gb(kv)} ({shape.Layers} layers × {shape.KvHeads} KV heads × {shape.HeadDim} × {context} × 2 × {options.KvCacheElementBytes.ToString(CultureInfo.InvariantCulture)} B), " +
            $"compute buffer {MessageUnits.Gb(compute)}.",
            $"System memory allows {MessageUnits.Gb(cpuAllowed)} ({SystemMemoryShare:P0} of {MessageUnits.Gb(machine.MemoryBudgetBytes)} minus 512 MiB)" +
            (gpus.Count > 0 ? $"; GPUs allow {MessageUnits.Gb(gpuAllowed)} ({string.Join(", ", gpus.Select(g => $"{g.Name} {MessageUnits.Gb(GpuAllowed(g))}"))})." : "; no usable GPU."),
        };

        double? cpuBandwidth = machine.CpuBandwidthGBps is > 0 ? machine.CpuBandwidthGBps * 1e9 : null;
        double? CpuSeconds(double bytes) => cpuBandwidth is { } bw ? bytes / (options.CpuBandwidthEfficiency * bw) : null;
        double? GpuSeconds(double bytes)
        {
            if (gpus.Count == 0) return null;
            double efficiency = GpuEfficiency(bytesPerToken);
            double seconds = 0;
            foreach (var g in gpus)
            {
                double? bw = g.BandwidthGBps is > 0 ? g.BandwidthGBps * 1e9 : g.UnifiedMemory ? cpuBandwidth : null;
                if (bw is null) return null;
                // Layers split across GPUs in proportion to their room; each token passes through each GPU in turn.
                double share = gpuAllowed > 0 ? (double)GpuAllowed(g) / gpuAllowed : 1.0 / gpus.Count;
                seconds += bytes * share / (efficiency * bw.Value);
            }
            return seconds;
        }
        static double? Rate(double? seconds) => seconds is > 0 ? 1 / seconds : null;

        FitEstimate Result(Placement placement, int gpuLayers, long cpuBytes, long gpuBytes, int computeBuffers, long overhead, double? tokensPerSecond, string verdict)
        {
            reasoning.Add(verdict);
            if (placement != Placement.None && cpuBytes > machine.AvailableBytes && machine.AvailableBytes > 0)
                reasoning.Add($"Only {MessageUnits.Gb(machine.AvailableBytes)} of system memory is free right now; other programs may have to close first.");
            return new FitEstimate(model, context, weights, kv, compute * computeBuffers, overhead,
                weights + kv + compute * computeBuffers + overhead, placement, gpuLayers, cpuBytes, gpuBytes,
                cpuAllowed, dedicatedGpuAllowed, tokensPerSecond, reasoning);
        }

        if (gpus.Count > 0)
        {
            long gpuOverhead = GpuOverheadBytes * gpus.Count;
            long allOnGpu = weights + kv + compute * gpus.Count + gpuOverhead;
            long hostForGpu = CpuOverheadBytes;
            if (allOnGpu <= gpuAllowed && hostForGpu + (unified ? allOnGpu : 0) <= cpuAllowed)
            {
                var rate = Rate(GpuSeconds(bytesPerToken));
                return Result(Placement.Gpu, shape.Layers + 1, hostForGpu, allOnGpu, gpus.Count, CpuOverheadBytes + gpuOverhead, rate,
                    $"All {shape.Layers} layers and the output fit on the GPU{(gpus.Count > 1 ? "s" : "")}: {MessageUnits.Gb(allOnGpu)} of {MessageUnits.Gb(gpuAllowed)}; about {MessageUnits.TokensPerSecond(rate)}.");
            }
            if (!unified)
            {
                long room = gpuAllowed - compute * gpus.Count - gpuOverhead;
                int layersOnGpu = room > 0 ? (int)Math.Min(shape.Layers, room / Math.Max(1, perLayer)) : 0;
                long gpuBytes = layersOnGpu * perLayer + compute * gpus.Count + gpuOverhead;
                long cpuBytes = (shape.Layers - layersOnGpu) * perLayer + nonRepeating + compute + CpuOverheadBytes;
                if (layersOnGpu >= 1 && cpuBytes <= cpuAllowed)
                {
                    double gpuShare = (double)layersOnGpu / shape.Layers;
                    double layerReads = bytesPerToken - (nonRepeating - (shape.TiedEmbeddings ? 0 : embedding));
                    var gpuTime = GpuSeconds(layerReads * gpuShare);
                    var cpuTime = CpuSeconds(bytesPerToken - layerReads * gpuShare);
                    var rate = gpuTime is { } g && cpuTime is { } c ? 1 / (g + c) : (double?)null;
                    return Result(Placement.Partial, layersOnGpu, cpuBytes, gpuBytes, gpus.Count + 1, CpuOverheadBytes + gpuOverhead, rate,
                        $"{layersOnGpu} of {shape.Layers} layers fit on the GPU ({MessageUnits.Gb(gpuBytes)}); the rest stays in system memory ({MessageUnits.Gb(cpuBytes)}); about {MessageUnits.TokensPerSecond(rate)}.");
                }
            }
        }

        long allOnCpu = weights + kv + compute + CpuOverheadBytes;
        if (allOnCpu <= cpuAllowed)
        {
            var rate = Rate(CpuSeconds(bytesPerToken));
            return Result(Placement.Cpu, 0, allOnCpu, 0, 1, CpuOverheadBytes, rate,
                $"Runs on the CPU: {MessageUnits.Gb(allOnCpu)} of {MessageUnits.Gb(cpuAllowed)} system memory; about {MessageUnits.TokensPerSecond(rate)}" +
                (cpuBandwidth is null ? " (memory bandwidth unknown)." : $" at {options.CpuBandwidthEfficiency:P0} of {machine.CpuBandwidthGBps:0.#} GB/s."));
        }
        return Result(Placement.None, 0, allOnCpu, 0, 1, CpuOverheadBytes, null,
            $"Does not fit: needs {MessageUnits.Gb(allOnCpu)}, this machine allows {MessageUnits.Gb(cpuAllowed + dedicatedGpuAllowed)}.");
    }

    /// <summary>The largest context (a multiple of 256, at least 256) at which the model still fits; null when not even that does.</summary>
    public static int? LargestContextThatFits(ModelSpec model, MachineProfile machine, FitOptions? options = null, int maxContext = 131072)
    {
        options ??= new FitOptions();
        int low = 1, high = maxContext / 256;
        if (high < 1) return null;
        if (!Estimate(model, machine, options with { ContextSize = 256 }).Fits) return null;
        while (low < high)
        {
            int middle = (low + high + 1) / 2;
            if (Estimate(model, machine, options with { ContextSize = middle * 256 }).Fits) low = middle; else high = middle - 1;
        }
        return low * 256;
    }
}
