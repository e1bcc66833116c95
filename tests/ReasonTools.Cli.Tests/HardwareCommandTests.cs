using System.Text.Json;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;

namespace ReasonTools.Cli.Tests;

public sealed class HardwareCommandTests
{
    private static long MemTotalBytes() =>
        long.Parse(File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:"))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;

    [Fact]
    public async Task The_json_report_describes_this_machine_and_judges_every_catalog_model()
    {
        var run = await InProcessReason.RunAsync("hardware --json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var root = JsonDocument.Parse(run.Stdout).RootElement;

        Assert.Equal(Environment.ProcessorCount, root.GetProperty("cpu").GetProperty("logicalCores").GetInt32());
        var memory = root.GetProperty("memory");
        var limit = memory.GetProperty("limitBytes");
        Assert.Equal(MemTotalBytes(), memory.GetProperty("totalBytes").GetInt64());
        // cgroup "max" or v1's huge "unlimited" value (about 2^63) is no limit and must not be reported as one.
        if (limit.ValueKind == JsonValueKind.Number) Assert.True(limit.GetInt64() < 1L << 50, $"limit {limit.GetInt64()} is cgroup's 'unlimited', reported as a limit");
        var expected = limit.ValueKind == JsonValueKind.Number ? Math.Min(limit.GetInt64(), MemTotalBytes()) : MemTotalBytes();
        if (!File.Exists("/dev/nvidia0") && !Directory.Exists("/sys/class/drm/card0/device/mem_info_vram_total"))
            Assert.Equal(0, root.GetProperty("gpus").GetArrayLength());
        Assert.True(root.GetProperty("memoryBandwidthGBps").GetDouble() > 0);

        var models = root.GetProperty("models").EnumerateArray().ToList();
        foreach (var size in new[] { "1.5b", "7b", "8b", "14b", "32b", "70b" })
            Assert.Contains(models, m => m.GetProperty("size").GetString() == size);
        Assert.All(models, m => Assert.Contains(m.GetProperty("placement").GetString(), new[] { "gpu", "partial", "cpu", "none" }));
        if (expected < 40e9)
        {
            var big = models.Single(m => m.GetProperty("size").GetString() == "70b" && m.GetProperty("quantization").GetString() == "Q4_K_M");
            Assert.False(big.GetProperty("fits").GetBoolean());
            Assert.Equal("none", big.GetProperty("placement").GetString());
        }
    }

    [Fact]
    public async Task Asking_about_one_model_leads_with_the_verdict_alone_and_exits_2_when_it_does_not_fit()
    {
        var run = await InProcessReason.RunAsync("hardware --model 70b");

        var lines = run.Stdout.TrimEnd().Split('\n');
        var answer = Assert.Single(lines);
        Assert.Matches(@"^(No|Yes|Yes, slowly): DeepSeek-R1-Distill-Llama-70B Q4_K_M (needs|fits) ", answer);
        Assert.Contains("this machine allows (90% of ", answer);
        Assert.Equal(answer.StartsWith("No:", StringComparison.Ordinal) ? 2 : 0, run.ExitCode);

        var unknown = await InProcessReason.RunAsync("hardware --model 3b-turbo");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("3b-turbo", unknown.Stderr);
    }

    [Fact]
    public async Task With_all_the_whole_report_follows_the_verdict_and_the_html_report_leads_with_it()
    {
        var html = Path.Combine(Path.GetTempPath(), $"rt-hardware-{Guid.NewGuid():N}.html");
        try
        {
            var run = await InProcessReason.RunAsync($"hardware --model 1.5b --all --html \"{html}\"");

            Assert.True(run.ExitCode == 0, run.Stderr);
            var lines = run.Stdout.Split('\n');
            Assert.Equal("Hardware check", lines[0]);
            Assert.StartsWith("Yes", lines[2]);
            Assert.Contains("DeepSeek-R1-Distill-Qwen-1.5B Q4_K_M", lines[2]);
            Assert.True(run.Stdout.IndexOf("What fits", StringComparison.Ordinal) > run.Stdout.IndexOf(lines[2], StringComparison.Ordinal));
            var page = File.ReadAllText(html);
            Assert.Contains("data-section=\"verdict\"", page);
            Assert.True(page.IndexOf("data-section=\"verdict\"", StringComparison.Ordinal) < page.IndexOf("<table class=\"rt-fit\"", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(html);
        }
    }

    [Fact]
    public async Task A_size_with_a_quantization_is_answered_at_that_quantization()
    {
        var run = await InProcessReason.RunAsync("hardware --model 32b-q8_0");

        Assert.True(run.ExitCode is 0 or 2, run.Stderr);
        Assert.Contains("DeepSeek-R1-Distill-Qwen-32B Q8_0", run.Stdout);
    }

    [Fact]
    public async Task The_json_report_for_one_model_carries_the_verdict_and_whether_the_family_draft_fits_beside_it()
    {
        var run = await InProcessReason.RunAsync("hardware --json --model 32b");

        var root = JsonDocument.Parse(run.Stdout).RootElement;
        var answer = root.GetProperty("answer");
        var verdict = answer.GetProperty("verdict").GetString();
        Assert.Contains(verdict, new[] { "fits", "slow", "doesNotFit" });
        Assert.Equal(verdict == "doesNotFit" ? 2 : 0, run.ExitCode);
        Assert.Equal("DeepSeek-R1-Distill-Qwen-32B", answer.GetProperty("model").GetString());
        var draft = answer.GetProperty("draft");
        Assert.Equal("DeepSeek-R1-Distill-Qwen-1.5B", draft.GetProperty("model").GetString());
        // Together: the 32B's needs and the draft's own weights, KV cache and buffers.
        Assert.Equal(answer.GetProperty("requiredBytes").GetInt64() + draft.GetProperty("draftRequiredBytes").GetInt64(), draft.GetProperty("requiredBytes").GetInt64());
        Assert.True(draft.GetProperty("draftKvCacheBytes").GetInt64() > 0);
        Assert.Equal(draft.GetProperty("requiredBytes").GetInt64() <= draft.GetProperty("allowedBytes").GetInt64() && verdict != "doesNotFit",
            draft.GetProperty("fits").GetBoolean());
        // The report without a question has no answer.
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse((await InProcessReason.RunAsync("hardware --json")).Stdout).RootElement.GetProperty("answer").ValueKind);
    }

    [Fact]
    public void The_answer_for_the_32b_says_whether_the_1_5b_draft_fits_beside_it_and_the_speed_with_it()
    {
        const long GiB = 1024L * 1024 * 1024;
        string Answer(long memory) => HardwareCommand.Render(Samples(memory).Report, Samples(memory).Assess("32b"), json: false, all: false);
        static HardwareProbeResult Samples(long memory) => HardwareProbe.Assemble(new CpuInfo("x", 2, 2, []), new MemoryInfo(memory, memory, null), [], null, null, [],
            MachineProfile.CpuOnly(memory, 40), new ChoiceOptions(), []);

        Assert.Matches(@"With the 1\.5B Q4_K_M as a draft \(speculative decoding\), both fit \([\d.]+ GB together\); about [\d.]+ tokens/s expected \([\d.]+× plain, if 70% of drafted tokens are kept\)\.", Answer(64 * GiB));
        Assert.Matches(@"A draft for speculative decoding, the 1\.5B Q4_K_M, does not fit beside it: the two need [\d.]+ GB, more than the [\d.]+ GB allowed\.", Answer(24 * GiB));
    }

    [Fact]
    public void Scripts_read_a_no_from_exit_code_2_and_a_slow_or_fast_fit_from_0()
    {
        const long GiB = 1024L * 1024 * 1024;
        var probe = HardwareProbe.Assemble(new CpuInfo("x", 2, 2, []), new MemoryInfo(24 * GiB, 20 * GiB, null), [], null, null, [],
            MachineProfile.CpuOnly(24 * GiB, 40), new ChoiceOptions(), []);

        Assert.Equal(2, HardwareCommand.ExitCode(probe.Assess("70b")));
        Assert.Equal(0, HardwareCommand.ExitCode(probe.Assess("32b")));
        Assert.Equal(0, HardwareCommand.ExitCode(probe.Assess("1.5b")));
        Assert.Equal(0, HardwareCommand.ExitCode(null));
    }
}
