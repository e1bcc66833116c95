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
}
