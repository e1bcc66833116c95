using Microsoft.DotNet.Interactive.Formatting;
using ReasonTools.Interactive;

namespace ReasonTools.Reports.Tests;

/// <summary>
/// The notebook's own Formatter finds our formatters through the convention-based attribute on Core's
/// types: nothing is registered by hand here.
/// </summary>
public class FormatterConventionTests
{
    [Fact]
    public void Notebook_formatter_uses_our_html_and_text_views_for_each_result_type()
    {
        Assert.Contains("ReasonResult", ReasonToolsFormatterSource.Describe());

        var reason = Samples.Reason();
        var html = reason.ToDisplayString("text/html");
        Assert.StartsWith("<div class=\"rt-report rt-reason\">", html);
        Assert.Equal(HtmlReport.Fragment(reason), html);
        Assert.Equal(TextReport.Render(reason), reason.ToDisplayString("text/plain"));

        var comparison = Samples.Comparison();
        Assert.Equal(HtmlReport.Fragment(comparison), comparison.ToDisplayString("text/html"));
        Assert.Equal(TextReport.Render(comparison), comparison.ToDisplayString("text/plain"));

        var hardware = Samples.Hardware();
        Assert.Equal(HtmlReport.Fragment(hardware), hardware.ToDisplayString("text/html"));
        Assert.Equal(TextReport.Render(hardware), hardware.ToDisplayString("text/plain"));
    }

    [Fact]
    public void Formatters_decline_objects_of_other_types()
    {
        var formatter = new ReasonToolsFormatterSource().CreateTypeFormatters().Cast<ReportFormatter>().First();
        var writer = new StringWriter();

        Assert.False(formatter.Format("not a result", writer));
        Assert.Equal("", writer.ToString());
        Assert.True(formatter.Format(Samples.Reason(), writer));
    }
}
