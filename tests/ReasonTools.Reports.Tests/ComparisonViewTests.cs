using System.Text.RegularExpressions;
using ReasonTools.Core.Comparison;
namespace ReasonTools.Reports.Tests;

public class ComparisonViewTests
{
    [Fact]
    public void Grid_has_a_row_per_prompt_and_a_column_per_model_with_marks_and_final_answers()
    {
        var root = Xml.Fragment(HtmlReport.Fragment(Samples.Comparison()));
        var grid = Assert.Single(root.WithClass("rt-grid"));

        Assert.Equal(["Prompt", "DeepSeek-R1-Distill-Qwen-1.5B", "DeepSeek-R1-Distill-Qwen-7B", "DeepSeek-R1-Distill-Qwen-14B"],
            grid.Element("thead")!.Descendants("th").Select(th => th.Value));
        var rows = grid.Element("tbody")!.Elements("tr").ToArray();
        Assert.Equal(["speed", "primes", "apples", "logic"], rows.Select(r => r.Element("th")!.Value));

        var primes = rows[1].Elements("td").ToArray();
        Assert.Equal("false", (string?)primes[0].Attribute("data-correct"));
        Assert.StartsWith("✗", primes[0].Value);
        Assert.Equal("15", primes[0].WithClass("rt-final-answer").Single().Value);
        Assert.StartsWith("✓", primes[1].Value);
        Assert.StartsWith("—", rows[3].Elements("td").First().Value);
    }

    [Fact]
    public void Each_note_is_said_once_in_the_notes_and_cells_refer_to_it_and_a_non_stop_finish_is_flagged()
    {
        var root = Xml.Fragment(HtmlReport.Fragment(Samples.Comparison()));
        var logic = root.WithClass("rt-grid").Single().Element("tbody")!.Elements("tr").Last().Elements("td").ToArray();

        Assert.Equal("note 2", logic[2].WithClass("rt-note-ref").Single().Value);
        Assert.Equal("length", (string?)logic[0].Descendants().Single(e => (string?)e.Attribute("data-flag") == "finishReason").Attribute("data-value"));
        var notes = root.WithClass("rt-notes").Single().Elements("li").ToArray();
        Assert.Equal(2, notes.Length);
        Assert.StartsWith("does not fit", notes[1].Value);
        Assert.Equal(1, Regex.Count(root.ToString(), "does not fit"));
    }

    [Fact]
    public void A_model_that_never_ran_says_not_run_in_its_cells_and_summary_and_the_reason_once()
    {
        var gone = new ComparisonRow { Model = "R1-Qwen-7B", PromptId = "p", Failure = new ComparisonFailure(new FileNotFoundException("Model file not found: x"), WhileOpening: true) };
        var ran = new ComparisonRow { Model = "m", PromptId = "p", Correct = true, FinalAnswer = "5", FinishReason = Core.Inference.FinishReason.Stop, TotalMs = 10 };
        var again = gone with { PromptId = "q" };
        var comparison = new ComparisonResult("set", [ran, gone, ran with { PromptId = "q" }, again], ComparisonRunner.Summarize([ran, gone, ran with { PromptId = "q" }, again]));

        var html = HtmlReport.Fragment(comparison);
        var root = Xml.Fragment(html);
        Assert.Equal(2, root.Descendants("td").Count(td => (string?)td.Attribute("data-not-run") == "true" && td.Parent!.Parent!.Name.LocalName == "tbody" && td.Ancestors().Any(a => (string?)a.Attribute("class") == "rt-grid")));
        Assert.Equal(1, Regex.Count(html, "Model file not found"));
        Assert.Null(comparison.Summary[1].Accuracy);
        var text = TextReport.Render(comparison);
        Assert.Equal(1, Regex.Count(text, "Model file not found"));
        Assert.Contains("R1-Qwen-7B: model could not run: Model file not found: x", text);
        Assert.Contains(text.Split('\n'), l => l.TrimStart().StartsWith("R1-Qwen-7B", StringComparison.Ordinal) && l.EndsWith("not run", StringComparison.Ordinal));
    }

    [Fact]
    public void Summary_has_the_mean_time_to_first_answer_token()
    {
        var row = new ComparisonRow { Model = "m", PromptId = "p", FinalAnswer = "5", FinishReason = Core.Inference.FinishReason.Stop, TimeToFirstAnswerTokenMs = 2500, TotalMs = 4000 };
        var comparison = new ComparisonResult("set", [row], ComparisonRunner.Summarize([row]));
        var cell = Xml.Fragment(HtmlReport.Fragment(comparison)).Descendants("td").Single(td => (string?)td.Attribute("data-field") == "meanTimeToFirstAnswerTokenMs");
        Assert.Equal("2.5 s", cell.Value);
        Assert.Contains("Mean time to first answer token", TextReport.Render(comparison));
    }

    [Fact]
    public void Cells_show_the_plain_final_answer_with_the_raw_one_in_the_title()
    {
        var row = new ComparisonRow { Model = "m", PromptId = "p", FinalAnswer = @"\text{12 chickens}", FinishReason = Core.Inference.FinishReason.Stop, TotalMs = 1 };
        var comparison = new ComparisonResult("set", [row], ComparisonRunner.Summarize([row]));
        var answer = Xml.Fragment(HtmlReport.Fragment(comparison)).WithClass("rt-final-answer").Single();
        Assert.Equal("12 chickens", answer.Value);
        Assert.Equal(@"\text{12 chickens}", (string?)answer.Attribute("title"));
        Assert.Contains("— 12 chickens", TextReport.Render(comparison));
        Assert.DoesNotContain(@"\text", TextReport.Render(comparison));
    }

    [Fact]
    public void Summary_table_and_both_charts_cover_every_model()
    {
        var root = Xml.Fragment(HtmlReport.Fragment(Samples.Comparison()));
        var summary = root.WithClass("rt-summary").Single().Element("tbody")!.Elements("tr").ToArray();

        Assert.Equal(3, summary.Length);
        Assert.Equal(["DeepSeek-R1-Distill-Qwen-1.5B", "50%", "61.4 tokens/s", "236", "—", "5.55 s"], summary[0].Elements().Select(e => e.Value));
        var charts = root.All("svg").ToArray();
        Assert.Equal(2, charts.Length);
        Assert.All(charts, chart => Assert.Equal(3, chart.Descendants().Count(e => e.Name.LocalName == "rect")));
    }

    [Fact]
    public void Injected_markup_in_model_prompt_answer_and_note_renders_as_text()
    {
        var root = Xml.Fragment(HtmlReport.Fragment(Samples.Comparison(Samples.Hostile)));

        Xml.AssertNothingInjected(root);
        Assert.Contains(Samples.Hostile, root.WithClass("rt-grid").Single().Element("thead")!.Value);
        Assert.Contains(root.WithClass("rt-notes").Single().Elements("li"), n => n.Value.Contains(Samples.Hostile, StringComparison.Ordinal));
        Assert.Contains(root.WithClass("rt-final-answer"), a => a.Value == "80" + Samples.Hostile);
    }

    [Fact]
    public void The_document_is_well_formed()
    {
        var doc = Xml.Document(HtmlReport.Document(Samples.Comparison(Samples.Hostile)));
        Xml.AssertNothingInjected(doc);
        Assert.Equal("Comparison: Grade-school maths" + Samples.Hostile, doc.Root!.All("title").First().Value);
    }
}

public class CodeRowViewTests
{
    private static ComparisonResult CodeComparison()
    {
        var row = new ComparisonRow
        {
            Model = "m", PromptId = "sum", Correct = false, TestsPassed = 1, TestsTotal = 3, Code = "print(a < b)\n",
            Note = "test 1 of 3: expected \"5\"; got \"6\"", FinishReason = Core.Inference.FinishReason.Stop, TotalMs = 10,
        };
        return new ComparisonResult("code", [row], ComparisonRunner.Summarize([row]));
    }

    [Fact]
    public void A_code_row_shows_passed_over_total_and_the_code_that_ran_folded()
    {
        var root = Xml.Fragment(HtmlReport.Fragment(CodeComparison()));
        var cell = root.WithClass("rt-grid").Single().Element("tbody")!.Elements("tr").Single().Elements("td").Single();
        var badge = cell.Descendants().Single(e => e.Attribute("data-tests-total") is not null);
        Assert.Equal("1/3 tests", badge.Value);
        var code = cell.WithClass("rt-code").Single();
        Assert.Equal("details", code.Name.LocalName);
        Assert.Equal("print(a < b)\n", code.Element("pre")!.Value);
        Assert.Contains("(1/3 tests)", TextReport.Render(CodeComparison()));
    }
}
