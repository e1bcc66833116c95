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
