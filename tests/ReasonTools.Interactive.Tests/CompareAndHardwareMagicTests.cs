using Microsoft.DotNet.Interactive.Events;
using ReasonTools.Testing;

namespace ReasonTools.Interactive.Tests;

/// <summary>#!reason-compare fills its grid in row by row; #!reason-hardware shows the report and the verdict.</summary>
public class CompareAndHardwareMagicTests
{
    [Fact]
    public async Task Compare_fills_the_grid_row_by_row_then_shows_graded_rows_summary_and_chart()
    {
        using var host = await NotebookHost.StartAsync();
        var right = SyntheticModels.GetFile(ScriptKind.ChickensRight);
        var wrong = SyntheticModels.GetFile(ScriptKind.ChickensWrong);
        var prompts = WritePromptSet();
        try
        {
            var events = await host.RunAsync($"#!reason-compare --model {right} --model \"{wrong}\" --prompts {prompts} --temperature 0");

            Assert.Empty(events.OfType<CommandFailed>());
            var html = events.OfType<DisplayedValueUpdated>().Select(NotebookHost.Html).ToList();
            // Live: a view after the first row with one graded cell and the second still pending, then one with both.
            Assert.Contains(html, h => h.Contains("data-live=\"true\"") && h.Contains("1 of 2 answers done") && h.Contains("data-correct=\"true\"") && !h.Contains("data-correct=\"false\""));
            var final = html[^1];
            Assert.StartsWith("<div class=\"rt-report rt-comparison\">", final);
            Assert.Contains("data-correct=\"true\"", final);
            Assert.Contains("data-correct=\"false\"", final);
            Assert.Contains("<h3>Per model</h3>", final);
            Assert.Contains("<svg", final);
            Assert.Equal("2", await host.EvaluateAsync("comparisonResult.Rows.Count"));
            Assert.Equal("True", await host.EvaluateAsync("comparisonResult.Rows[0].Correct"));
        }
        finally
        {
            File.Delete(prompts);
        }
    }

    [Fact]
    public async Task Compare_takes_its_models_and_prompt_set_from_csharp_variables()
    {
        using var host = await NotebookHost.StartAsync();
        var right = SyntheticModels.GetFile(ScriptKind.ChickensRight);
        var wrong = SyntheticModels.GetFile(ScriptKind.ChickensWrong);
        var prompts = WritePromptSet();
        try
        {
            await host.RunAsync($"var models = new[] {{ @\"{right}\", @\"{wrong}\" }}; var promptSet = @\"{prompts}\";");

            var events = await host.RunAsync("#!reason-compare --model @csharp:models --prompts @csharp:promptSet --max-tokens 64");

            Assert.Empty(events.OfType<CommandFailed>());
            Assert.Equal("2", await host.EvaluateAsync("comparisonResult.Summary.Count"));
            Assert.Equal("True", await host.EvaluateAsync("comparisonResult.Rows.Single(r => r.Model.Contains(\"ChickensRight\")).Correct"));
            Assert.Equal("False", await host.EvaluateAsync("comparisonResult.Rows.Single(r => r.Model.Contains(\"ChickensWrong\")).Correct"));
        }
        finally
        {
            File.Delete(prompts);
        }
    }

    [Fact]
    public async Task Compare_with_parallel_gives_the_rows_of_a_sequential_run_and_refuses_a_count_below_one()
    {
        using var host = await NotebookHost.StartAsync();
        var right = SyntheticModels.GetFile(ScriptKind.ChickensRight);
        var prompts = WritePromptSet(copies: 3);
        try
        {
            var sequential = await host.RunAsync($"#!reason-compare --model {right} --prompts {prompts} --temperature 0 --parallel 1");
            Assert.Empty(sequential.OfType<CommandFailed>());
            var rowsOne = await host.EvaluateAsync("string.Join(\"|\", comparisonResult.Rows.Select(r => r.PromptId + \"=\" + r.Correct + \":\" + r.FinalAnswer))");

            var parallel = await host.RunAsync($"#!reason-compare --model {right} --prompts {prompts} --temperature 0 --parallel 3");
            Assert.Empty(parallel.OfType<CommandFailed>());
            Assert.Equal(rowsOne, await host.EvaluateAsync("string.Join(\"|\", comparisonResult.Rows.Select(r => r.PromptId + \"=\" + r.Correct + \":\" + r.FinalAnswer))"));
            Assert.Contains("c1=True", rowsOne, StringComparison.Ordinal);

            var refused = await host.RunAsync($"#!reason-compare --model {right} --prompts {prompts} --parallel 0");
            Assert.Contains("--parallel takes a whole number of at least 1, not '0'", Assert.Single(refused.OfType<CommandFailed>()).Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(prompts);
        }
    }

    [Fact]
    public async Task Compare_with_allow_unsandboxed_code_runs_and_grades_a_program_answer()
    {
        using var host = await NotebookHost.StartAsync();
        var prompts = Path.Combine(Path.GetTempPath(), $"reasontools-notebook-code-{Guid.NewGuid():N}.json");
        File.WriteAllText(prompts, $$"""
            { "name": "sum", "prompts": [ { "id": "sum", "grader": "python", "prompt": "{{SyntheticModels.Get(ScriptKind.SumProgramRight).Question}}",
              "tests": [ { "stdin": "2 3\n", "stdout": "5\n" }, { "stdin": "0 7\n", "stdout": "7\n" } ] } ] }
            """);
        try
        {
            var events = await host.RunAsync($"#!reason-compare --model {SyntheticModels.GetFile(ScriptKind.SumProgramRight)} --prompts {prompts} --allow-unsandboxed-code");

            Assert.Empty(events.OfType<CommandFailed>());
            // Run (in the sandbox where there is one, else with the user's rights): both tests pass, nothing says "not run".
            Assert.Equal("True 2/2 all 2 tests passed", await host.EvaluateAsync("$\"{comparisonResult.Rows[0].Correct} {comparisonResult.Rows[0].TestsPassed}/{comparisonResult.Rows[0].TestsTotal} {comparisonResult.Rows[0].Note}\""));
        }
        finally
        {
            File.Delete(prompts);
        }
    }

    private static string WritePromptSet(int copies = 0)
    {
        var prompts = Path.Combine(Path.GetTempPath(), $"reasontools-notebook-prompts-{Guid.NewGuid():N}.json");
        var question = SyntheticModels.Get(ScriptKind.ChickensRight).Question;
        var items = copies == 0 ? [("chickens", question)] : Enumerable.Range(1, copies).Select(i => ($"c{i}", question)).ToArray();
        File.WriteAllText(prompts, $$"""
            { "name": "chickens", "prompts": [ {{string.Join(", ", items.Select(p => $$"""{ "id": "{{p.Item1}}", "prompt": "{{p.Item2}}", "expected": "12 chickens, 13 rabbits", "grader": "text" }"""))}} ] }
            """);
        return prompts;
    }

    [Fact]
    public async Task Compare_without_a_prompt_set_file_says_which_file()
    {
        using var host = await NotebookHost.StartAsync();
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-prompts-{Guid.NewGuid():N}.json");

        var events = await host.RunAsync($"#!reason-compare --model {SyntheticModels.GetFile(ScriptKind.ChickensRight)} --prompts {missing}");

        var failed = Assert.Single(events.OfType<CommandFailed>());
        Assert.Contains(missing, failed.Message);
        Assert.DoesNotContain("   at ", failed.Message);
    }

    [Fact]
    public async Task Hardware_shows_the_report_and_the_verdict_for_a_model()
    {
        using var host = await NotebookHost.StartAsync();

        var events = await host.RunAsync("#!reason-hardware --model 1.5b");

        Assert.Empty(events.OfType<CommandFailed>());
        Assert.StartsWith("<div class=\"rt-report rt-hardware\">", NotebookHost.Html(events.OfType<DisplayedValueUpdated>().Last()));
        var verdict = events.OfType<DisplayedValueProduced>().Last().FormattedValues.Single().Value;
        Assert.Contains("1.5B", verdict, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual("0", await host.EvaluateAsync("hardwareReport.Cpu.LogicalCores"));
    }

    [Fact]
    public async Task Results_display_through_the_registered_formatters()
    {
        using var host = await NotebookHost.StartAsync();
        await host.RunAsync($"#!reason --model {SyntheticModels.GetFile(ScriptKind.ClosedChain)}\nWhat is 2 + 3?");

        var events = await host.RunAsync("reasonResult");

        var shown = Assert.Single(events.OfType<ReturnValueProduced>());
        Assert.StartsWith("<div class=\"rt-report rt-reason\">", NotebookHost.Html(shown));
        Assert.Contains("Final answer", shown.FormattedValues.Single(v => v.MimeType == "text/plain").Value, StringComparison.OrdinalIgnoreCase);
    }
}
