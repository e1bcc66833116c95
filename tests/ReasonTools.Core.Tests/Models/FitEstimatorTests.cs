using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;

namespace ReasonTools.Core.Tests.Models;

public class FitEstimatorTests
{
    private const long MiB = 1024 * 1024;
    private const long GiB = 1024 * MiB;

    private static ModelSpec Spec(string size, string quantization = "Q4_K_M")
    {
        var model = ModelCatalog.Get(size).Model;
        return model.Spec(model.File(quantization)!);
    }

    [Fact]
    public void Kv_cache_of_the_1_5b_at_4096_is_112_MiB()
    {
        // 28 layers × 2 KV heads × 128 × 4096 × 2 (K, V) × 2 B
        Assert.Equal(112 * MiB, FitEstimator.KvCacheBytes(Spec("1.5b").Shape, 4096));
        Assert.Equal(56 * MiB, FitEstimator.KvCacheBytes(Spec("1.5b").Shape, 4096, elementBytes: 1));
        // llama-bench -v at n_ctx 512 logs "CPU KV buffer size = 14.00 MiB".
        Assert.Equal(14 * MiB, FitEstimator.KvCacheBytes(Spec("1.5b").Shape, 512));
    }

    [Fact]
    public void Compute_buffer_matches_llama_cpp_logs()
    {
        // f32 logits for 512 tokens plus two activations: llama-bench -v on a Qwen-1.5B-shaped Q4_K_M logs 302.75 MiB.
        Assert.Equal(302.75 * MiB, FitEstimator.ComputeBufferBytes(Spec("1.5b").Shape, 4096, 512, flashAttention: true));
        Assert.Equal(302.75 * MiB, FitEstimator.ComputeBufferBytes(Spec("1.5b").Shape, 512, 512, flashAttention: false));
        Assert.Equal(266.5 * MiB, FitEstimator.ComputeBufferBytes(Spec("8b").Shape, 8192, 512, flashAttention: true));
        // Without flash attention the 32 × 8192 × 512 f32 scores dominate.
        Assert.Equal(4L * 512 * (32 * 8192 + 2 * 4096), FitEstimator.ComputeBufferBytes(Spec("8b").Shape, 8192, 512, flashAttention: false));
        // A context shorter than the batch shrinks the batch.
        Assert.Equal(4L * 256 * (151936 + 2 * 1536), FitEstimator.ComputeBufferBytes(Spec("1.5b").Shape, 256, 512, flashAttention: true));
    }

    [Fact]
    public void Cpu_estimate_of_the_1_5b_adds_every_component()
    {
        var estimate = FitEstimator.Estimate(Spec("1.5b"), MachineProfile.CpuOnly(24 * GiB, 40));
        Assert.Equal(1_120_000_000, estimate.WeightsBytes);
        Assert.Equal(117_440_512, estimate.KvCacheBytes);
        Assert.Equal(317_456_384, estimate.ComputeBufferBytes);
        Assert.Equal(256 * MiB, estimate.OverheadBytes);
        Assert.Equal(1_823_332_352, estimate.RequiredBytes);
        Assert.Equal(Placement.Cpu, estimate.Placement);
        Assert.Equal(0, estimate.GpuLayers);
        // 0.78 × 40 GB/s over (1.12 GB − 147.1 MB embedding table + 58.7 MB half-full KV cache) ≈ 30.2 tokens/s;
        // llama-bench measured 31.5 on this kind of machine.
        Assert.Equal(30.24, estimate.EstimatedTokensPerSecond!.Value, 1);
    }

    [Fact]
    public void The_32b_refusal_states_the_numbers()
    {
        var estimate = FitEstimator.Estimate(Spec("32b"), MachineProfile.CpuOnly(20 * GiB, 40));
        Assert.False(estimate.Fits);
        Assert.Equal(Placement.None, estimate.Placement);
        Assert.Equal(21_574_575_872, estimate.RequiredBytes);
        Assert.Equal(18_790_481_920, estimate.AllowedBytes); // 90 % of 20 GiB − 512 MiB
        Assert.Equal("needs 21.6 GB (weights 19.9 GB + KV cache 1.1 GB + buffers 0.6 GB), this machine allows 18.8 GB", estimate.Summary);
        Assert.Null(estimate.EstimatedTokensPerSecond);
    }

    [Fact]
    public void The_70b_at_q4_does_not_fit_in_24_GiB()
    {
        Assert.False(FitEstimator.Estimate(Spec("70b"), MachineProfile.CpuOnly(24 * GiB, 40)).Fits);
        Assert.True(FitEstimator.Estimate(Spec("32b"), MachineProfile.CpuOnly(24 * GiB, 40)).Fits);
    }

    [Fact]
    public void A_24_GB_gpu_holds_the_32b_q4_entirely()
    {
        var machine = new MachineProfile(32 * GiB, 30 * GiB, 60, [new GpuBudget("RTX 4090", 23 * GiB, 24 * GiB, 1008)]);
        var estimate = FitEstimator.Estimate(Spec("32b"), machine);
        Assert.Equal(Placement.Gpu, estimate.Placement);
        Assert.Equal(65, estimate.GpuLayers); // 64 layers + output, as llama.cpp counts "65/65 layers"
        Assert.Equal(estimate.RequiredBytes, estimate.CpuBytes + estimate.GpuBytes);
        // Efficiency 0.25 + 0.25·ln(19.4/4.68)/ln(42.5/4.68) ≈ 0.41 of 1008 GB/s over ≈ 19.4 GB per token.
        Assert.InRange(estimate.EstimatedTokensPerSecond!.Value, 19, 23);
    }

    [Fact]
    public void A_model_too_large_for_the_gpu_is_split_by_layers()
    {
        var machine = new MachineProfile(64 * GiB, 60 * GiB, 60, [new GpuBudget("RTX 4090", 23 * GiB, 24 * GiB, 1008)]);
        var estimate = FitEstimator.Estimate(Spec("32b", "Q8_0"), machine);
        Assert.Equal(Placement.Partial, estimate.Placement);
        // Per layer: (34.8 GB − 2 × 152064 × 5120 × 1.062 B of embedding and output + 1.07 GB KV) / 64 = 0.5347 GB;
        // room: 23 GiB − 5 % of 24 GiB − 0.33 GB compute buffer − 384 MiB overhead = 22.67 GB → 42.4 → 42 layers.
        Assert.Equal(42, estimate.GpuLayers);
        var cpuOnly = FitEstimator.Estimate(Spec("32b", "Q8_0"), machine with { Gpus = [] });
        Assert.True(estimate.EstimatedTokensPerSecond > cpuOnly.EstimatedTokensPerSecond);
    }

    [Fact]
    public void Unified_memory_gpu_uses_its_working_set_and_never_splits()
    {
        var mac = new MachineProfile(16 * GiB, 12 * GiB, 100, [new GpuBudget("Apple M2", GpuProbe.AppleRecommendedWorkingSet(16 * GiB), GpuProbe.AppleRecommendedWorkingSet(16 * GiB), 100, UnifiedMemory: true)]);
        Assert.Equal(Placement.Gpu, FitEstimator.Estimate(Spec("7b", "Q8_0"), mac).Placement);
        var tooBigForMetal = FitEstimator.Estimate(Spec("14b", "Q6_K"), mac);
        Assert.Equal(Placement.Cpu, tooBigForMetal.Placement);
        Assert.Equal(0, tooBigForMetal.GpuAllowedBytes);
    }

    [Fact]
    public void Longer_context_needs_more_and_the_guard_finds_the_largest_that_fits()
    {
        var machine = MachineProfile.CpuOnly(24 * GiB, 40);
        var spec = Spec("32b");
        Assert.False(FitEstimator.Estimate(spec, machine, new FitOptions { ContextSize = 16384 }).Fits);
        var largest = FitEstimator.LargestContextThatFits(spec, machine, maxContext: 16384);
        Assert.NotNull(largest);
        Assert.True(FitEstimator.Estimate(spec, machine, new FitOptions { ContextSize = largest.Value }).Fits);
        Assert.False(FitEstimator.Estimate(spec, machine, new FitOptions { ContextSize = largest.Value + 256 }).Fits);
        Assert.Null(FitEstimator.LargestContextThatFits(Spec("70b"), machine));
    }

    [Fact]
    public void Shapes_read_from_a_gguf_work_without_the_catalog()
    {
        var shape = new ModelShape("qwen2", 28, 1536, 12, 2, 128, 8960, 151936, TiedEmbeddings: true);
        var estimate = FitEstimator.Estimate(new ModelSpec("my-finetune", "IQ4_XS", shape, 1_000_000_000), MachineProfile.CpuOnly(8 * GiB, 20));
        Assert.True(estimate.Fits);
        Assert.Equal("IQ4_XS", estimate.ToModelFit("1.5b").Quantization);
    }

    [Fact]
    public void Unknown_bandwidth_gives_no_speed_but_still_a_verdict()
    {
        var estimate = FitEstimator.Estimate(Spec("7b"), MachineProfile.CpuOnly(16 * GiB, null));
        Assert.True(estimate.Fits);
        Assert.Null(estimate.EstimatedTokensPerSecond);
    }

    [Fact]
    public void Bad_input_gets_a_clear_error()
    {
        var machine = MachineProfile.CpuOnly(16 * GiB, 20);
        Assert.Throws<ArgumentOutOfRangeException>(() => FitEstimator.Estimate(Spec("7b"), machine, new FitOptions { ContextSize = 0 }));
        var broken = new ModelSpec("broken", "Q4_K_M", Spec("7b").Shape with { Layers = 0 }, 1000);
        var error = Assert.Throws<ArgumentException>(() => FitEstimator.Estimate(broken, machine));
        Assert.Contains("Layers", error.Message);
        Assert.Throws<ArgumentException>(() => FitEstimator.Estimate(Spec("7b") with { FileSizeBytes = 0 }, machine));
    }

    [Fact]
    public void Little_free_memory_is_a_warning_not_a_refusal()
    {
        var busy = new MachineProfile(24 * GiB, 2 * GiB, 40, []);
        var estimate = FitEstimator.Estimate(Spec("7b"), busy);
        Assert.True(estimate.Fits);
        Assert.Contains(estimate.Reasoning, r => r.Contains("free right now", StringComparison.Ordinal));
    }
}
