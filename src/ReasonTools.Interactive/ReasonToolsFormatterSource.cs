using ReasonTools.Core.Comparison;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Inference;
using ReasonTools.Reports;

namespace ReasonTools.Interactive;

/// <summary>
/// The formatter source that Core's result types name through their (convention-based)
/// <c>TypeFormatterSource</c> attribute. .NET Interactive creates it with the parameterless
/// constructor and calls <see cref="CreateTypeFormatters"/> the first time it displays one of the types;
/// nothing here references the notebook packages.
/// </summary>
public sealed class ReasonToolsFormatterSource
{
    /// <summary>The MIME types every result type is formatted as.</summary>
    public static IReadOnlyList<string> MimeTypes { get; } = [ReportFormatter.Html, ReportFormatter.PlainText];

    /// <summary>
    /// One formatter per result type and MIME type. Each object has the shape the convention reads:
    /// <c>string MimeType</c>, <c>Type Type</c> and <c>bool Format(object, TextWriter)</c>.
    /// </summary>
    public IEnumerable<object> CreateTypeFormatters() =>
    [
        new ReportFormatter(typeof(ReasonResult), ReportFormatter.Html, o => HtmlReport.Fragment((ReasonResult)o)),
        new ReportFormatter(typeof(ReasonResult), ReportFormatter.PlainText, o => TextReport.Render((ReasonResult)o)),
        new ReportFormatter(typeof(ComparisonResult), ReportFormatter.Html, o => HtmlReport.Fragment((ComparisonResult)o)),
        new ReportFormatter(typeof(ComparisonResult), ReportFormatter.PlainText, o => TextReport.Render((ComparisonResult)o)),
        new ReportFormatter(typeof(HardwareReport), ReportFormatter.Html, o => HtmlReport.Fragment((HardwareReport)o)),
        new ReportFormatter(typeof(HardwareReport), ReportFormatter.PlainText, o => TextReport.Render((HardwareReport)o)),
    ];

    /// <summary>
    /// Loads this assembly (a notebook otherwise loads it only when code touches it, which would be too
    /// late for the formatters) and says what it formats. The package's extension.dib calls it.
    /// </summary>
    public static string Describe() =>
        "ReasonTools formatters ready: ReasonResult, ComparisonResult, HardwareReport as " + string.Join(" and ", MimeTypes) + ".";
}

/// <summary>Formats one result type as one MIME type with a report renderer.</summary>
public sealed class ReportFormatter
{
    /// <summary>The HTML MIME type.</summary>
    public const string Html = "text/html";

    /// <summary>The plain-text MIME type.</summary>
    public const string PlainText = "text/plain";

    private readonly Func<object, string> _render;

    /// <summary>A formatter of <paramref name="type"/> (and types derived from it) as <paramref name="mimeType"/>.</summary>
    public ReportFormatter(Type type, string mimeType, Func<object, string> render)
    {
        Type = type ?? throw new ArgumentNullException(nameof(type));
        MimeType = mimeType ?? throw new ArgumentNullException(nameof(mimeType));
        _render = render ?? throw new ArgumentNullException(nameof(render));
    }

    /// <summary>The type this formatter handles.</summary>
    public Type Type { get; }

    /// <summary>The MIME type this formatter writes.</summary>
    public string MimeType { get; }

    /// <summary>Writes the instance; false (nothing written) when it is not of <see cref="Type"/>.</summary>
    public bool Format(object instance, TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (instance is null || !Type.IsInstanceOfType(instance)) return false;
        writer.Write(_render(instance));
        return true;
    }
}
