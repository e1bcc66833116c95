using System.Text.Json;
using ReasonTools.Testing;

namespace ReasonTools.Cli.Tests;

public sealed class BenchCommandTests
{
    [Fact]
    public async Task Bench_measures_a_prompt_of_exactly_the_asked_length_and_the_generated_tokens()
    {
        var run = await InProcessReason.RunAsync($"bench --model \"{SyntheticModels.GetFile(ScriptKind.NeverCloses)}\" -p 40 -n 16 -r 1 --threads 1 --json");
        Assert.True(run.ExitCode == 0, run.Stderr);
        var root = JsonDocument.Parse(run.Stdout).RootElement;
        Assert.Equal(40, root.GetProperty("promptTokens").GetInt32());
        Assert.Equal(16, root.GetProperty("generatedTokens").GetInt32());
        Assert.True(root.GetProperty("promptTokensPerSecond").GetDouble() > 0);
        Assert.True(root.GetProperty("tokensPerSecond").GetDouble() > 0);
        Assert.True(root.GetProperty("wallClockTokensPerSecond").GetDouble() > 0);
        Assert.Equal(1, root.GetProperty("threads").GetInt32());
    }

    [Fact]
    public async Task Bench_parallel_prints_one_tokens_per_second_line_per_sequence_count()
    {
        var run = await InProcessReason.RunAsync($"bench --model \"{SyntheticModels.GetFile(ScriptKind.NeverCloses)}\" -n 8 -r 1 --threads 1 --parallel 1,2");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var lines = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("best of 1 rounds (sequences in one batch)", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^tg8 x1 \| \d+\.\d\d tokens/s \(\d+\.\d\d per sequence\)$", lines[1]);
        Assert.Matches(@"^tg8 x2 \| \d+\.\d\d tokens/s \(\d+\.\d\d per sequence\)$", lines[2]);
        Assert.Equal(3, lines.Length);
    }

    [Fact]
    public async Task Bench_parallel_json_has_each_count_with_its_aggregate_and_per_sequence_speed()
    {
        var run = await InProcessReason.RunAsync($"bench --model \"{SyntheticModels.GetFile(ScriptKind.NeverCloses)}\" -n 8 -r 1 --threads 1 --parallel 2,1 --json");

        Assert.True(run.ExitCode == 0, run.Stderr);
        var counts = JsonDocument.Parse(run.Stdout).RootElement.GetProperty("counts").EnumerateArray().ToList();
        Assert.Equal([2, 1], counts.Select(c => c.GetProperty("count").GetInt32()));
        Assert.All(counts, c => Assert.Equal(8, c.GetProperty("generatedTokens").GetInt32()));
        var two = counts[0];
        Assert.Equal(two.GetProperty("aggregateTokensPerSecond").GetDouble() / 2, two.GetProperty("tokensPerSecondPerSequence").GetDouble(), 6);
    }

    [Theory]
    [InlineData("1,x")]
    [InlineData("0")]
    [InlineData("1,65")]
    public async Task Bench_parallel_refuses_a_count_outside_one_to_sixty_four_before_loading(string counts)
    {
        var run = await InProcessReason.RunAsync($"bench --model \"{SyntheticModels.GetFile(ScriptKind.NeverCloses)}\" --parallel {counts}");

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"--parallel takes sequence counts from 1 to 64 separated by commas, such as 1,4,8, not '{counts}'.", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Bench_resolves_a_model_name_as_run_does()
    {
        var folder = Directory.CreateTempSubdirectory("rt-bench-models-");
        try
        {
            File.Copy(SyntheticModels.GetFile(ScriptKind.NeverCloses), Path.Combine(folder.FullName, "tiny-bench-model.gguf"));
            var run = ReasonCli.Run("bench --model tiny-bench-model -p 8 -n 4 -r 1 --threads 1 --json",
                environment: new Dictionary<string, string?> { ["REASONTOOLS_MODELS"] = folder.FullName });

            Assert.True(run.ExitCode == 0, run.Stderr);
            Assert.Equal(4, JsonDocument.Parse(run.Stdout).RootElement.GetProperty("generatedTokens").GetInt32());
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
