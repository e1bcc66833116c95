using ReasonTools.Testing;

namespace ReasonTools.Cli.Tests;

public sealed class CompareCommandTests
{
    [Fact]
    public async Task Compare_prints_the_comparison_as_the_text_report_of_every_front_with_rows_as_progress()
    {
        var right = SyntheticModels.GetFile(ScriptKind.ChickensRight);
        var wrong = SyntheticModels.GetFile(ScriptKind.ChickensWrong);
        var prompts = Path.Combine(Path.GetTempPath(), $"rt-cli-compare-{Guid.NewGuid():N}.json");
        File.WriteAllText(prompts, $$"""
            { "name": "chickens", "prompts": [ { "id": "chickens", "prompt": "{{SyntheticModels.Get(ScriptKind.ChickensRight).Question}}",
              "expected": "12 chickens, 13 rabbits", "grader": "text" } ] }
            """);
        try
        {
            var run = await InProcessReason.RunAsync($"compare --model \"{right}\" --model \"{wrong}\" --prompts \"{prompts}\" --temperature 0 --threads 1 --draft none");

            Assert.True(run.ExitCode == 0, run.Stderr);
            var lines = run.Stdout.Split('\n');
            Assert.Equal("Comparison: chickens  (2 models × 1 prompt)", lines[0]);
            Assert.Contains(lines, l => l.StartsWith("  Prompt", StringComparison.Ordinal));
            var perModel = Array.IndexOf(lines, "Per model");
            Assert.True(perModel > 0, run.Stdout);
            Assert.Matches(@"^  Model\s+Accuracy\s+Mean speed\s+Mean thinking tokens\s+Mean total time$", lines[perModel + 1]);
            // Finished rows are progress on stderr, one line each, worded by the same report code.
            Assert.Contains("✓ ", run.Stderr);
            Assert.Contains("✗ ", run.Stderr);
            Assert.DoesNotContain("✓ ", string.Join('\n', lines.Take(2)));
        }
        finally
        {
            File.Delete(prompts);
        }
    }
}
