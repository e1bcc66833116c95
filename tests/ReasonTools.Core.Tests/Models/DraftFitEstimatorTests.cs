using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;

namespace ReasonTools.Core.Tests.Models;

/// <summary>The family's small model beside a large one: whether both fit at once, and the speed expected with it.</summary>
public sealed class DraftFitEstimatorTests
{
    private const long GiB = 1024L * 1024 * 1024;
    private static readonly FitOptions Context4K = new() { ContextSize = 4096 };

    private static CatalogModel Catalog(string size) => ModelCatalog.Get(size).Model;

    private static FitEstimate Target(string size, MachineProfile machine) =>
        FitEstimator.Estimate(Catalog(size).Spec(Catalog(size).File("Q4_K_M")!), machine, Context4K);

    private static ModelSpec Draft => Catalog("1.5b").Spec(Catalog("1.5b").File("Q4_K_M")!);

    [Fact]
    public void The_qwen_sizes_draft_with_the_qwen_1_5b_and_the_llama_70b_with_the_llama_8b()
    {
        Assert.Equal("1.5b", DraftFitEstimator.FamilyDraft(Catalog("32b"))!.Size);
        Assert.Equal("1.5b", DraftFitEstimator.FamilyDraft(Catalog("7b"))!.Size);
        // The Llama distills have another vocabulary than the Qwen ones: the 1.5B cannot draft for them.
        Assert.Equal("8b", DraftFitEstimator.FamilyDraft(Catalog("70b"))!.Size);
        Assert.Null(DraftFitEstimator.FamilyDraft(Catalog("8b")));
        Assert.Null(DraftFitEstimator.FamilyDraft(Catalog("1.5b")));
    }

    [Fact]
    public void The_two_need_the_target_and_the_drafts_weights_kv_cache_and_buffers_together()
    {
        var machine = MachineProfile.CpuOnly(64 * GiB, 40);
        var target = Target("32b", machine);

        var fit = DraftFitEstimator.Estimate(target, Draft, machine, Context4K);

        var draftAlone = FitEstimator.Estimate(Draft, machine, Context4K);
        Assert.True(fit.Fits);
        Assert.Equal(Draft.FileSizeBytes, fit.DraftWeightsBytes);
        Assert.Equal(FitEstimator.KvCacheBytes(Draft.Shape, 4096), fit.DraftKvCacheBytes);
        Assert.Equal(draftAlone.RequiredBytes, fit.DraftRequiredBytes);
        Assert.Equal(target.RequiredBytes + draftAlone.RequiredBytes, fit.RequiredBytes);
        Assert.True(fit.DraftKvCacheBytes > 0 && fit.DraftRequiredBytes > fit.DraftWeightsBytes + fit.DraftKvCacheBytes);
    }

    [Fact]
    public void A_draft_that_leaves_no_room_beside_a_target_that_just_fits_does_not_fit_and_has_no_speed()
    {
        // The 32B Q4_K_M needs 21.6 GB; 24 GiB of memory allows 22.7 GB: the target fits, the two do not.
        var machine = MachineProfile.CpuOnly(24 * GiB, 40);
        var target = Target("32b", machine);

        var fit = DraftFitEstimator.Estimate(target, Draft, machine, Context4K);

        Assert.True(target.Fits);
        Assert.False(fit.Fits);
        Assert.True(fit.RequiredBytes > fit.AllowedBytes);
        Assert.Null(fit.ExpectedTokensPerSecond);
    }

    [Fact]
    public void On_a_gpu_that_holds_both_the_draft_speeds_generation_up_at_the_assumed_acceptance()
    {
        var machine = new MachineProfile(64 * GiB, 60 * GiB, 60, [new GpuBudget("H100", 78 * GiB, 80 * GiB, 3350)]);
        var target = Target("32b", machine);

        var fit = DraftFitEstimator.Estimate(target, Draft, machine, Context4K);

        Assert.True(fit.Fits);
        Assert.Equal(target.EstimatedTokensPerSecond, fit.PlainTokensPerSecond);
        // A round drafts k tokens at the 1.5B's speed and verifies them for about one 32B token: well over plain.
        Assert.InRange(fit.Speedup!.Value, 1.5, 3.5);
        Assert.InRange(fit.DraftLength, 2, DraftFitEstimator.MaxDraftLength);
        Assert.Equal(DraftFitEstimator.AssumedAcceptance, fit.AssumedAcceptance);
    }

    [Fact]
    public void A_cpu_verification_costs_compute_so_the_expected_speed_up_is_smaller_than_on_a_gpu()
    {
        var cpu = MachineProfile.CpuOnly(64 * GiB, 40);
        var gpu = new MachineProfile(64 * GiB, 60 * GiB, 60, [new GpuBudget("H100", 78 * GiB, 80 * GiB, 3350)]);

        var onCpu = DraftFitEstimator.Estimate(Target("32b", cpu), Draft, cpu, Context4K);
        var onGpu = DraftFitEstimator.Estimate(Target("32b", gpu), Draft, gpu, Context4K);

        Assert.True(onCpu.Speedup > 1);
        Assert.True(onCpu.Speedup < onGpu.Speedup, $"{onCpu.Speedup:0.00} on the CPU, {onGpu.Speedup:0.00} on the GPU");
    }

    [Fact]
    public void The_hardware_assessment_of_the_32b_carries_the_1_5b_draft_and_the_1_5b_has_none()
    {
        var machine = MachineProfile.CpuOnly(64 * GiB, 40);
        var options = new ChoiceOptions { Fit = Context4K };

        var big = HardwareProbe.Assess("32b", null, machine, options, []);
        var small = HardwareProbe.Assess("1.5b", null, machine, options, []);

        Assert.Equal("DeepSeek-R1-Distill-Qwen-1.5B", big.Draft!.Model);
        Assert.Equal("Q4_K_M", big.Draft.Quantization);
        Assert.True(big.Draft.Fits);
        Assert.Null(small.Draft);
        var answer = ModelAnswer.From(big);
        Assert.Equal(big.Verdict, answer.Verdict);
        Assert.Same(big.Draft, answer.Draft);
    }
}
