using Microsoft.DotNet.Interactive.Formatting;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Inference;
using ReasonTools.Reports;

namespace ReasonTools.Interactive;

/// <summary>The notebook views of the result objects: the Reports renderers, registered with the notebook's Formatter.</summary>
public static class ReasonFormatters
{
    /// <summary>The MIME types every result type is shown as, HTML first.</summary>
    public static IReadOnlyList<string> MimeTypes { get; } = [HtmlFormatter.MimeType, PlainTextFormatter.MimeType];

    /// <summary>Registers the HTML and text views of ReasonResult, ComparisonResult and HardwareReport (idempotent: a later registration replaces an earlier one).</summary>
    public static void Register()
    {
        Register<ReasonResult>(HtmlReport.Fragment, r => TextReport.Render(r));
        Register<ComparisonResult>(HtmlReport.Fragment, TextReport.Render);
        Register<HardwareReport>(r => HtmlReport.Fragment(r), r => TextReport.Render(r));
        Formatter.Register<LiveView>(view => view.Html, HtmlFormatter.MimeType);
    }

    private static void Register<T>(Func<T, string> html, Func<T, string> text)
    {
        Formatter.Register(html, HtmlFormatter.MimeType);
        Formatter.Register(text, PlainTextFormatter.MimeType);
        Formatter.SetPreferredMimeTypesFor(typeof(T), [.. MimeTypes]);
    }
}
