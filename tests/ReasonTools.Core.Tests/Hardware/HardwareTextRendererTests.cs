using System.Text.Json;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;

namespace ReasonTools.Core.Tests.Hardware;

public class HardwareTextRendererTests
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
    public void Report_text_shows_machine_table_recommendation_and_notes()
    {
        var text = HardwareTextRenderer.Render(Result(MachineProfile.CpuOnly(24 * GiB, 40)).Report);
        Assert.Contains("AMD EPYC: 2 physical / 2 logical cores; AVX AVX2 AVX512", text);
        Assert.Contains("GPUs       none", text);
        Assert.Contains("Bandwidth  40.0 GB/s", text);
        Assert.Contains("80.0 GB free of 250.0 GB at /models", text);
        Assert.Contains("Models at context 4096", text);
        var rows = text.Split('\n').Where(l => l.StartsWith("  DeepSeek-R1-Distill-", StringComparison.Ordinal)).ToList();
        Assert.Equal(ModelCatalog.All.Sum(m => m.Files.Count), rows.Count);
        Assert.Matches(@"DeepSeek-R1-Distill-Llama-70B\s+Q4_K_M\s+no\s+-\s+44\.4 GB\s+-", text);
        Assert.Matches(@"DeepSeek-R1-Distill-Qwen-1\.5B\s+Q4_K_M\s+yes\s+cpu\s+1\.8 GB\s+≈ 30 tokens/s", text);
        Assert.Contains("Recommended: DeepSeek-R1-Distill-", text);
        Assert.Contains("gpu: example note", text);
    }

    [Fact]
    public void Report_text_says_when_nothing_fits()
    {
        var text = HardwareTextRenderer.Render(Result(MachineProfile.CpuOnly(1 * GiB, 40)).Report);
        Assert.Contains("Recommended: none", text);
    }

    [Fact]
    public void Answer_no_gives_the_numbers_and_what_to_try()
    {
        var result = Result(MachineProfile.CpuOnly(20 * GiB, 40));
        var answer = HardwareTextRenderer.RenderAnswer(result.Assess("32b"));
        Assert.StartsWith("No: DeepSeek-R1-Distill-Qwen-32B Q4_K_M needs 21.6 GB, this machine allows 18.8 GB. Try ", answer);
        Assert.Matches(@"Try \d+(\.5)?B Q\d\w* \(≈ [\d.]+ tokens/s, download\)\.$", answer);
    }

    [Fact]
    public void Answer_yes_slowly_when_below_the_minimum_speed()
    {
        var answer = HardwareTextRenderer.RenderAnswer(Result(MachineProfile.CpuOnly(24 * GiB, 40)).Assess("deepseek-r1:32b"));
        Assert.StartsWith("Yes, slowly: DeepSeek-R1-Distill-Qwen-32B Q4_K_M fits (on the CPU, needs 21.6 GB of 22.7 GB) but runs at ≈ 1.", answer);
        Assert.Contains(" Try ", answer);
    }

    [Fact]
    public void Answer_yes_for_a_gpu_that_holds_the_model()
    {
        var profile = new MachineProfile(64 * GiB, 60 * GiB, 60, [new GpuBudget("RTX 4090", 23 * GiB, 24 * GiB, 1008)]);
        var answer = HardwareTextRenderer.RenderAnswer(Result(profile).Assess("7b", "Q8_0"));
        Assert.StartsWith("Yes: DeepSeek-R1-Distill-Qwen-7B Q8_0 fits (all on the GPU, needs", answer);
        Assert.DoesNotContain("Try", answer);
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
