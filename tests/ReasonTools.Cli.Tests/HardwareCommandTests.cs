using System.Text.Json;

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
    public async Task Asking_about_one_model_answers_in_one_line_and_an_unknown_name_exits_2()
    {
        var run = await InProcessReason.RunAsync("hardware --model 70b");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("70B", run.Stdout);

        var unknown = await InProcessReason.RunAsync("hardware --model 3b-turbo");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("3b-turbo", unknown.Stderr);
    }
}
