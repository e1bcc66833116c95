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
    public void Rows_with_a_note_show_it_and_a_non_stop_finish_is_flagged()
    {
        var root = Xml.Fragment(HtmlReport.Fragment(Samples.Comparison()));
        var logic = root.WithClass("rt-grid").Single().Element("tbody")!.Elements("tr").Last().Elements("td").ToArray();

        Assert.Contains("does not fit", logic[2].WithClass("rt-note").Single().Value);
        Assert.Equal("length", (string?)logic[0].Descendants().Single(e => (string?)e.Attribute("data-flag") == "finishReason").Attribute("data-value"));
        Assert.Equal(2, root.WithClass("rt-notes").Single().Elements("li").Count());
    }

    [Fact]
    public void Summary_table_and_both_charts_cover_every_model()
    {
        var root = Xml.Fragment(HtmlReport.Fragment(Samples.Comparison()));
        var summary = root.WithClass("rt-summary").Single().Element("tbody")!.Elements("tr").ToArray();

        Assert.Equal(3, summary.Length);
        Assert.Equal(["DeepSeek-R1-Distill-Qwen-1.5B", "50%", "61.4 tok/s", "236", "5.55 s"], summary[0].Elements().Select(e => e.Value));
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
        Assert.Contains(root.WithClass("rt-note"), n => n.Value.EndsWith(Samples.Hostile, StringComparison.Ordinal));
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
