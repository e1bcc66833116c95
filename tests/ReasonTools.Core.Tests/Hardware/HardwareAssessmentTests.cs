using System.Text.Json;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;

namespace ReasonTools.Core.Tests.Hardware;

public class HardwareAssessmentTests
{
    private const long GiB = 1024L * 1024 * 1024;

    private static HardwareProbeResult Result(MachineProfile profile, IReadOnlyList<GpuInfo>? gpus = null) =>
        HardwareProbe.Assemble(
            new CpuInfo("AMD EPYC", 2, 2, ["AVX", "AVX2", "AVX512"]),
            new MemoryInfo(profile.MemoryBudgetBytes, profile.AvailableBytes, null),
            (gpus ?? []).Select(g => new DetectedGpu(g)).ToList(),
            new BandwidthMeasurement(profile.CpuBandwidthGBps ?? 0, 2, 256 << 20, TimeSpan.FromMilliseconds(200)),
            new DiskInfo("/models", 80_000_000_000, 250_000_000_000),
            ["gpu: example note"],
            profile,
            new ChoiceOptions(),
            []);

    [Fact]
    public void The_verdict_is_no_slow_or_fits_by_memory_and_the_minimum_speed()
    {
        Assert.Equal(FitVerdict.DoesNotFit, Result(MachineProfile.CpuOnly(20 * GiB, 40)).Assess("32b").Verdict);
        Assert.Equal(FitVerdict.Slow, Result(MachineProfile.CpuOnly(24 * GiB, 40)).Assess("32b").Verdict);
        Assert.Equal(FitVerdict.Fits, Result(MachineProfile.CpuOnly(24 * GiB, 40)).Assess("1.5b").Verdict);
    }

    [Fact]
    public void An_assessment_carries_the_memory_budget_its_allowance_comes_from_and_the_report_its_minimum_speed()
    {
        var result = Result(MachineProfile.CpuOnly(20 * GiB, 40));
        Assert.Equal(20 * GiB, result.Assess("7b").MemoryBudgetBytes);
        Assert.Equal(ChoiceOptions.DefaultMinTokensPerSecond, result.Report.MinTokensPerSecond);
    }

    [Theory]
    [InlineData("32b-q8_0", "DeepSeek-R1-Distill-Qwen-32B", "Q8_0")]
    [InlineData("7B-Q5_K_M", "DeepSeek-R1-Distill-Qwen-7B", "Q5_K_M")]
    [InlineData("1.5b:q6_k", "DeepSeek-R1-Distill-Qwen-1.5B", "Q6_K")]
    [InlineData("Qwen-14B f16", "DeepSeek-R1-Distill-Qwen-14B", "F16")]
    public void A_size_or_name_followed_by_a_quantization_is_assessed_at_that_quantization(string query, string name, string quantization)
    {
        var assessment = Result(MachineProfile.CpuOnly(24 * GiB, 40)).Assess(query);
        Assert.Equal(name, assessment.Estimate.Model.Name);
        Assert.Equal(quantization, assessment.Estimate.Model.Quantization);
    }

    [Fact]
    public void Assess_rejects_unknown_models_and_unpublished_quantizations()
    {
        var result = Result(MachineProfile.CpuOnly(24 * GiB, 40));
        Assert.Throws<UnknownModelException>(() => result.Assess("13b"));
        var error = Assert.Throws<ReasonTools.Core.ReasonFailure>(() => result.Assess("70b", "F16"));
        Assert.Contains("Q4_K_M, Q5_K_M, Q6_K, Q8_0", error.Message);
        Assert.Equal(ReasonTools.Core.SettingNames.Quantization, Assert.Throws<ReasonTools.Core.ReasonFailure>(() => result.Assess("7b", "Q9")).Setting);
    }

    [Fact]
    public void Report_json_keeps_the_contract_shape()
    {
        var json = ReasonJson.Serialize(Result(MachineProfile.CpuOnly(24 * GiB, 40)).Report);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.Equal(2, root.GetProperty("cpu").GetProperty("logicalCores").GetInt32());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("memory").GetProperty("limitBytes").ValueKind);
        Assert.Equal(40.0, root.GetProperty("memoryBandwidthGBps").GetDouble());
        var first = root.GetProperty("models")[0];
        Assert.Equal("cpu", first.GetProperty("placement").GetString());
        Assert.Equal("1.5b", first.GetProperty("size").GetString());
        Assert.Equal("cpu", root.GetProperty("recommended").GetProperty("placement").GetString());
        Assert.Equal(80_000_000_000, root.GetProperty("disk").GetProperty("freeBytes").GetInt64());
    }
}
