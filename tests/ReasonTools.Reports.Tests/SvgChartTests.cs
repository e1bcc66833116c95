using System.Globalization;
using System.Xml.Linq;

namespace ReasonTools.Reports.Tests;

public class SvgChartTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void Bars_are_well_formed_svg_scaled_to_the_largest_value()
    {
        var svg = XDocument.Parse(SvgChart.Bars("Speed", [new("a", 10), new("b", 40), new("c", 20)], ReportFormat.TokensPerSecond)).Root!;

        Assert.Equal(Svg + "svg", svg.Name);
        var widths = svg.Descendants(Svg + "rect").Select(r => double.Parse((string)r.Attribute("width")!, CultureInfo.InvariantCulture)).ToArray();
        Assert.Equal(3, widths.Length);
        Assert.Equal(widths[1] / 4, widths[0], 1);
        Assert.Equal(widths[1] / 2, widths[2], 1);
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "40.0 tokens/s");
        Assert.Equal("Speed", svg.Element(Svg + "title")!.Value);
    }

    [Fact]
    public void Unknown_values_draw_no_bar_and_read_as_a_dash()
    {
        var svg = XDocument.Parse(SvgChart.Bars("Speed", [new("a", null), new("b", 5)])).Root!;
        var rects = svg.Descendants(Svg + "rect").ToArray();

        Assert.Equal("0", (string?)rects[0].Attribute("width"));
        Assert.NotEqual("0", (string?)rects[1].Attribute("width"));
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "—");
    }

    [Fact]
    public void An_empty_chart_says_so()
    {
        var svg = XDocument.Parse(SvgChart.Bars("Nothing", [])).Root!;
        Assert.Empty(svg.Descendants(Svg + "rect"));
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "No data");
    }

    [Fact]
    public void Labels_and_title_are_escaped_and_long_labels_shortened()
    {
        var label = Samples.Hostile + " and a very long tail to shorten";
        var svg = XDocument.Parse(SvgChart.Bars(Samples.Hostile, [new(label, 1)])).Root!;

        Xml.AssertNothingInjected(svg);
        Assert.Equal(Samples.Hostile, (string?)svg.Attribute("aria-label"));
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value.EndsWith('…') && t.Value.Length == 34);
    }
}
