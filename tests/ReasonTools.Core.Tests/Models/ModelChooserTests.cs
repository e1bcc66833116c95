using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;

namespace ReasonTools.Core.Tests.Models;

public class ModelChooserTests
{
    private const long GiB = 1024L * 1024 * 1024;

    private static ModelCandidate Local(string size, string quantization)
    {
        var model = ModelCatalog.Get(size).Model;
        return ModelCandidate.FromCatalog(model, model.File(quantization)!) with { Path = $"/models/{size}-{quantization}.gguf" };
    }

    private static (string Size, string Quantization, Placement Placement) Pick(MachineProfile machine, params ModelCandidate[] local)
    {
        var choice = ModelChooser.Choose(local, machine);
        Assert.NotNull(choice);
        return (choice.Candidate.SizeLabel, choice.Candidate.Spec.Quantization, choice.Estimate.Placement);
    }

    [Fact]
    public void Cpu_with_8_GB_picks_the_1_5b_at_q8()
    {
        // 7B Q4_K_M reaches only ≈ 3.7 tokens/s at 20 GB/s; the 1.5B Q8_0 ≈ 9; F16 is not preferred over Q8_0.
        Assert.Equal(("1.5b", "Q8_0", Placement.Cpu), Pick(MachineProfile.CpuOnly(8 * GiB, 20)));
    }

    [Fact]
    public void Cpu_with_64_GB_picks_the_14b_at_the_best_quantization_fast_enough()
    {
        // 32B Q4_K_M: 0.78 × 80 / 19.4 ≈ 3.2 tokens/s (too slow); 14B Q6_K ≈ 5.6, Q8_0 ≈ 4.2.
        Assert.Equal(("14b", "Q6_K", Placement.Cpu), Pick(MachineProfile.CpuOnly(64 * GiB, 80)));
    }

    [Fact]
    public void A_24_GB_gpu_picks_the_32b()
    {
        var machine = new MachineProfile(32 * GiB, 30 * GiB, 60, [new GpuBudget("RTX 4090", 23 * GiB, 24 * GiB, 1008)]);
        var (size, quantization, placement) = Pick(machine);
        Assert.Equal("32b", size);
        Assert.Contains(placement, new[] { Placement.Gpu, Placement.Partial });
        var estimate = FitEstimator.Estimate(ModelCatalog.Get("32b").Model.Spec(ModelCatalog.Get("32b").Model.File(quantization)!), machine);
        Assert.True(estimate.EstimatedTokensPerSecond >= 5);
    }

    [Fact]
    public void An_80_GB_gpu_picks_the_70b_on_the_gpu()
    {
        var machine = new MachineProfile(128 * GiB, 120 * GiB, 100, [new GpuBudget("H100", 79 * GiB, 80 * GiB, 3350)]);
        var (size, _, placement) = Pick(machine);
        Assert.Equal("70b", size);
        Assert.NotEqual(Placement.Cpu, placement);
    }

    [Fact]
    public void A_local_model_that_fits_and_is_fast_wins_over_a_download()
    {
        var machine = MachineProfile.CpuOnly(64 * GiB, 80);
        var choice = ModelChooser.Choose([Local("7b", "Q4_K_M"), Local("70b", "Q4_K_M")], machine)!;
        Assert.False(choice.NeedsDownload);
        Assert.Equal("/models/7b-Q4_K_M.gguf", choice.Candidate.Path);
    }

    [Fact]
    public void When_no_local_model_qualifies_the_download_is_recommended()
    {
        var machine = MachineProfile.CpuOnly(64 * GiB, 80);
        var choice = ModelChooser.Choose([Local("70b", "Q4_K_M")], machine)!;
        Assert.True(choice.NeedsDownload);
        Assert.Equal("14b", choice.Candidate.SizeLabel);
        Assert.StartsWith("The one local model file does not fit or falls below 5 tokens/s.", choice.Reason);
    }

    [Fact]
    public void A_minimum_speed_nothing_reaches_falls_back_to_the_fastest()
    {
        var choice = ModelChooser.Choose([], MachineProfile.CpuOnly(8 * GiB, 2), new ChoiceOptions { MinTokensPerSecond = 50 })!;
        Assert.Equal(("1.5b", "Q4_K_M"), (choice.Candidate.SizeLabel, choice.Candidate.Spec.Quantization));
        Assert.StartsWith("No model reaches 50 tokens/s", choice.Reason);
    }

    [Fact]
    public void Nothing_fits_a_tiny_machine()
    {
        Assert.Null(ModelChooser.Choose([], MachineProfile.CpuOnly(1 * GiB, 20)));
    }

    [Fact]
    public void Fit_guard_passes_a_model_that_fits()
    {
        var spec = Local("7b", "Q4_K_M").Spec;
        Assert.Equal(Placement.Cpu, FitGuard.EnsureFits(spec, MachineProfile.CpuOnly(16 * GiB, 40)).Placement);
    }

    [Fact]
    public void Fit_guard_refuses_with_the_numbers_and_alternatives()
    {
        var machine = MachineProfile.CpuOnly(24 * GiB, 40);
        var error = Assert.Throws<ModelDoesNotFitException>(() => FitGuard.EnsureFits(Local("32b", "Q8_0").Spec, machine));
        Assert.Equal(Placement.None, error.Estimate.Placement);
        Assert.Equal("Q4_K_M", error.SmallerQuantization?.Model.Quantization);
        Assert.Null(error.LargestContext); // 34.8 GB of weights exceed 22.7 GB at any context
        Assert.NotNull(error.Recommended);
        Assert.StartsWith("DeepSeek-R1-Distill-Qwen-32B Q8_0 does not fit: it needs 36.5 GB (weights 34.8 GB + KV cache 1.1 GB + buffers 0.6 GB), this machine allows 22.7 GB.", error.Message);
        Assert.Contains("the Q4_K_M file of the same model", error.Message);
        Assert.Contains(error.Recommended!.Candidate.Spec.Name, error.Message);
    }

    [Fact]
    public void Fit_guard_suggests_a_smaller_context_when_that_is_enough()
    {
        var machine = MachineProfile.CpuOnly(24 * GiB, 40);
        var error = Assert.Throws<ModelDoesNotFitException>(() =>
            FitGuard.EnsureFits(Local("32b", "Q4_K_M").Spec, machine, new ChoiceOptions { Fit = new FitOptions { ContextSize = 32768 } }));
        Assert.NotNull(error.LargestContext);
        Assert.InRange(error.LargestContext.Value, 4096, 32767);
        Assert.Contains(error.NextSteps, s => s is { Kind: ReasonTools.Core.NextStepKind.ChangeSetting, Setting: ReasonTools.Core.SettingNames.ContextSize }
                                              && s.Value == error.LargestContext.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains($"contextSize {error.LargestContext}", error.Message);
    }
}
