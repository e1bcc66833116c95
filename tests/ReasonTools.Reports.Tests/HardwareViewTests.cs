namespace ReasonTools.Reports.Tests;

public class HardwareViewTests
{
    [Fact]
    public void Machine_summary_lists_cpu_cores_features_memory_limit_gpu_and_bandwidth()
    {
        var root = Xml.Fragment(HtmlReport.Fragment(Samples.Hardware()));
        var machine = root.WithClass("rt-machine").Single().Descendants("tr")
            .ToDictionary(tr => tr.Element("th")!.Value, tr => tr.Element("td")!.Value);

        Assert.Equal("AMD Ryzen 7 7700X 8-Core Processor", machine["CPU"]);
        Assert.Equal("8 physical · 16 logical", machine["Cores"]);
        Assert.Equal(6, root.WithClass("rt-chip").Count());
        Assert.Equal("64.0 GB total · 51.3 GB available · limit 60.0 GB", machine["Memory"]);
        Assert.Contains("NVIDIA GeForce RTX 4070", machine["GPU"]);
        Assert.Contains("12.9 GB", machine["GPU"]);
        Assert.Equal("61.7 GB/s", machine["Memory bandwidth"]);
    }

    [Fact]
    public void Fit_grid_colours_each_cell_by_placement_and_marks_the_recommendation()
    {
        var root = Xml.Fragment(HtmlReport.Fragment(Samples.Hardware()));
        var grid = root.WithClass("rt-fit").Single();
        var cells = grid.Element("tbody")!.Descendants("td").ToArray();

        Assert.Equal(18, cells.Length);
        Assert.All(cells, td => Assert.Contains($"rt-place-{(string?)td.Attribute("data-placement")}", (string?)td.Attribute("class")));
        Assert.Equal(["gpu", "partial", "cpu", "none"],
            cells.Select(td => (string)td.Attribute("data-placement")!).Distinct().Order(Comparer<string>.Create((a, b) =>
                Array.IndexOf(new[] { "gpu", "partial", "cpu", "none" }, a).CompareTo(Array.IndexOf(new[] { "gpu", "partial", "cpu", "none" }, b)))));
        var recommended = Assert.Single(grid.WithClass("rt-rec"));
        Assert.Contains("★", recommended.Value);
        Assert.Contains("26.0 tokens/s", recommended.Value);
        Assert.Contains("DeepSeek-R1-Distill-Qwen-14B", root.WithClass("rt-recommend").Single().Value);
    }

    [Fact]
    public void No_recommendation_and_no_gpu_are_said_plainly()
    {
        var report = Samples.Hardware() with { Recommended = null, Gpus = [] };
        var root = Xml.Fragment(HtmlReport.Fragment(report));

        Assert.Contains("No model of the catalog fits", root.WithClass("rt-recommend").Single().Value);
        Assert.Contains("none found", root.WithClass("rt-machine").Single().Value);
        Assert.Empty(root.WithClass("rt-rec"));
    }

    [Fact]
    public void A_report_without_model_fits_does_not_claim_that_nothing_fits()
    {
        var report = Samples.Hardware() with { Recommended = null, Models = [] };
        var root = Xml.Fragment(HtmlReport.Fragment(report));

        Assert.Contains("no model was checked", root.WithClass("rt-recommend").Single().Value);
        Assert.Empty(root.WithClass("rt-fit"));
        Assert.Contains("no model was checked", TextReport.Render(report));
    }

    [Fact]
    public void Injected_markup_in_names_features_and_notes_renders_as_text()
    {
        var root = Xml.Fragment(HtmlReport.Fragment(Samples.Hardware(Samples.Hostile)));
        Xml.AssertNothingInjected(root);
        Assert.Contains(root.WithClass("rt-chip"), c => c.Value.EndsWith(Samples.Hostile, StringComparison.Ordinal));
        Assert.EndsWith(Samples.Hostile, root.WithClass("rt-notes").Single().Value);
        Xml.AssertNothingInjected(Xml.Document(HtmlReport.Document(Samples.Hardware(Samples.Hostile))));
    }
}
