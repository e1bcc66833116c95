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
            Assert.Matches(@"^  Model\s+Accuracy\s+Mean speed\s+Mean thinking tokens\s+Mean time to first answer token\s+Mean total time$", lines[perModel + 1]);
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

    [Fact]
    public void When_no_model_ran_compare_exits_non_zero_says_not_run_once_and_says_where_the_html_went()
    {
        var set = Path.Combine(Path.GetTempPath(), $"rt-set-{Guid.NewGuid():N}.json");
        var html = Path.Combine(Path.GetTempPath(), $"rt-report-{Guid.NewGuid():N}.html");
        var missing = Path.Combine(Path.GetTempPath(), "no-such-model.gguf");
        File.WriteAllText(set, """{ "name": "s", "prompts": [ { "id": "a", "prompt": "1+1?", "expected": "2", "grader": "number" }, { "id": "b", "prompt": "2+2?", "expected": "4", "grader": "number" } ] }""");
        try
        {
            var run = ReasonCli.Run($"compare --model \"{missing}\" --prompts \"{set}\" --html \"{html}\"");

            Assert.Equal(2, run.ExitCode);
            Assert.Contains("no-such-model not run:", run.Stderr);
            Assert.Contains($"HTML report written to {html}", run.Stderr);
            Assert.True(File.Exists(html));
            Assert.Contains("Per model", run.Stdout);
            Assert.Equal(1, System.Text.RegularExpressions.Regex.Count(run.Stdout, "Model file not found"));
            Assert.Contains(run.Stdout.Split('\n'), l => l.TrimStart().StartsWith("a ", StringComparison.Ordinal) && l.TrimEnd().EndsWith("not run", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(set);
            File.Delete(html);
        }
    }
}
