using System.Text;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Inference;

namespace ReasonTools.Reports;

/// <summary>
/// HTML views of the result objects. A fragment is one <c>div.rt-report</c> carrying its own scoped
/// style sheet, to embed in a notebook or page; a document is a self-contained file that opens offline
/// (no scripts, fonts or images from elsewhere). The markup is XHTML-compatible, so it also parses as XML.
/// All text from results is escaped, in content and attributes alike.
/// </summary>
public static class HtmlReport
{
    /// <summary>A reasoning result: the answer first, the chain collapsed under it, then the timings.</summary>
    public static string Fragment(ReasonResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return Wrap("rt-reason", ReasonView.Render(result));
    }

    /// <summary>A comparison: the model × prompt grid, the per-model summary and its bar charts.</summary>
    public static string Fragment(ComparisonResult comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return Wrap("rt-comparison", ComparisonView.Render(comparison));
    }

    /// <summary>
    /// A hardware report: the answer about <paramref name="question"/> first when one was asked, then the machine,
    /// the model × quantization fit grid and the recommendation.
    /// </summary>
    public static string Fragment(HardwareReport report, ModelAssessment? question = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        return Wrap("rt-hardware", HardwareView.Render(report, question));
    }

    /// <summary>A self-contained HTML document with the given fragments one after another.</summary>
    /// <param name="title">The document's title (escaped).</param>
    /// <param name="fragments">Markup from the <c>Fragment</c> methods (inserted as is).</param>
    public static string Document(string title, params string[] fragments)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(fragments);
        var sb = new StringBuilder();
        sb.Append("<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n")
          .Append("<meta name=\"color-scheme\" content=\"light dark\"/>\n")
          .Append("<title>").Append(Markup.Escape(title)).Append("</title>\n")
          .Append("<style>body{margin:0;padding:16px;background:#f6f8fa;}")
          .Append("@media (prefers-color-scheme: dark){body{background:#010409;}}</style>\n")
          .Append("</head>\n<body>\n");
        foreach (var fragment in fragments) sb.Append(fragment).Append('\n');
        sb.Append("</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>A self-contained HTML document for one reasoning result.</summary>
    public static string Document(ReasonResult result) =>
        Document($"{result.Model.Name}: reasoning", Fragment(result));

    /// <summary>A self-contained HTML document for one comparison.</summary>
    public static string Document(ComparisonResult comparison) =>
        Document($"Comparison: {comparison.PromptSetName}", Fragment(comparison));

    /// <summary>A self-contained HTML document for one hardware report, with the answer about <paramref name="question"/> when one was asked.</summary>
    public static string Document(HardwareReport report, ModelAssessment? question = null) =>
        Document("Hardware check", Fragment(report, question));

    private static string Wrap(string viewClass, string body) =>
        $"<div class=\"rt-report {viewClass}\"><style>{ReportStyles.Css}</style>{body}</div>";
}
