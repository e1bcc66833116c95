namespace ReasonTools.Cli.Tests;

public sealed class CompareCommandTests
{
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
