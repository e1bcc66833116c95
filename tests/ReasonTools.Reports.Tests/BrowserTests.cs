namespace ReasonTools.Reports.Tests;

/// <summary>
/// The reports opened in a real (headless) browser: the elements are there after rendering, the charts
/// show, the page logs nothing. Set REASONTOOLS_DOCS_SCREENSHOTS to a folder to keep the screenshots
/// (that is how docs/*.png are made).
/// </summary>
public sealed class BrowserTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("rt-browser-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Comparison_report_renders_with_visible_charts_and_no_console_messages()
    {
        var chromium = HeadlessChromium.Require();
        var file = Write("comparison.html", HtmlReport.Document(Samples.Comparison()));

        var (dom, console) = chromium.DumpDom(file);
        Assert.Empty(console);
        Assert.Contains("class=\"rt-grid\"", dom);
        Assert.Contains("class=\"rt-summary\"", dom);
        Assert.Equal(2, Occurrences(dom, "<svg"));
        Assert.Equal(6, Occurrences(dom, "class=\"rt-bar\""));

        var png = Png.Read(chromium.Screenshot(file, 1000, 920));
        Keep(file, "comparison.png");
        Assert.True(png.DistinctColours() > 50, "the screenshot looks blank");
        // The two charts' bars: light-scheme accent blue and purple.
        Assert.True(png.Count((r, g, b) => Near(r, g, b, 0x09, 0x69, 0xda)) > 2000, "the speed chart's bars are not visible");
        Assert.True(png.Count((r, g, b) => Near(r, g, b, 0x82, 0x50, 0xdf)) > 2000, "the thinking-token chart's bars are not visible");
    }

    [Fact]
    public void Reasoning_and_hardware_reports_render_without_console_messages()
    {
        var chromium = HeadlessChromium.Require();
        var reason = Write("reasoning.html", HtmlReport.Document(Samples.Reason(Core.Inference.FinishReason.Length)));
        var hardware = Write("hardware.html", HtmlReport.Document(Samples.Hardware()));

        var (reasonDom, reasonConsole) = chromium.DumpDom(reason);
        Assert.Empty(reasonConsole);
        Assert.Contains("<details class=\"rt-thinking\">", reasonDom);
        var reasonPng = Png.Read(chromium.Screenshot(reason, 1000, 760));
        Keep(reason, "reasoning.png");
        Assert.True(reasonPng.DistinctColours() > 50, "the reasoning screenshot looks blank");

        var hardwarePng = Png.Read(chromium.Screenshot(hardware, 1000, 880));
        Keep(hardware, "hardware.png");
        // GPU cells are green in the light scheme.
        Assert.True(hardwarePng.Count((r, g, b) => Near(r, g, b, 0xb7, 0xeb, 0xc6)) > 2000, "the fit grid's colours are not visible");
    }

    [Fact]
    public void A_page_that_throws_is_caught_by_the_console_check()
    {
        var chromium = HeadlessChromium.Require();
        var file = Write("broken.html", "<!DOCTYPE html><html><body><p>x</p><script>throw new Error('broken page')</script></body></html>");

        var (_, console) = chromium.DumpDom(file);
        Assert.Contains(console, line => line.Contains("Uncaught Error: broken page", StringComparison.Ordinal));
    }

    private string Write(string name, string html)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, html);
        return path;
    }

    private void Keep(string htmlFile, string name)
    {
        var target = Environment.GetEnvironmentVariable("REASONTOOLS_DOCS_SCREENSHOTS");
        if (string.IsNullOrEmpty(target)) return;
        Directory.CreateDirectory(target);
        File.Copy(Path.ChangeExtension(htmlFile, ".png"), Path.Combine(target, name), overwrite: true);
    }

    private static int Occurrences(string text, string value) => (text.Length - text.Replace(value, "").Length) / value.Length;

    private static bool Near(byte r, byte g, byte b, int r0, int g0, int b0) =>
        Math.Abs(r - r0) <= 6 && Math.Abs(g - g0) <= 6 && Math.Abs(b - b0) <= 6;
}
