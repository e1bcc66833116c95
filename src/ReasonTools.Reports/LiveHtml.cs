using System.Text;
using ReasonTools.Core.Comparison;

namespace ReasonTools.Reports;

/// <summary>
/// HTML of work in progress, for a notebook output that is replaced as the work goes on and, at the end, by the
/// result's own fragment (<see cref="HtmlReport"/>). Every view carries <c>data-live="true"</c> so a reader can tell
/// an unfinished view from a result.
/// </summary>
public static class LiveHtml
{
    /// <summary>A generation so far: what it is doing, the reasoning chain open as it streams, the answer so far.</summary>
    public static string Reasoning(string model, string status, string thinking, string answer)
    {
        var sb = new StringBuilder();
        sb.Append("<div class=\"rt-report rt-reason\" data-live=\"true\"><style>").Append(ReportStyles.Css).Append("</style>")
          .Append("<div class=\"rt-head\"><h2 class=\"rt-model\">").Append(Markup.Escape(model)).Append("</h2>")
          .Append("<span class=\"rt-sub\" data-live-status=\"true\">").Append(Markup.Escape(status)).Append("</span></div>")
          .Append("<details class=\"rt-thinking\" open=\"open\"><summary>Thinking</summary><div class=\"rt-text rt-live-thinking\">")
          .Append(Markup.Escape(thinking)).Append("</div></details>");
        if (answer.Length > 0)
        {
            sb.Append("<section class=\"rt-answer\"><div class=\"rt-label\">Answer</div><div class=\"rt-text rt-answer-text\">")
              .Append(Markup.Escape(answer)).Append("</div></section>");
        }
        return sb.Append("</div>").ToString();
    }

    /// <summary>A comparison so far: a status line over the grid of the rows finished (and the summary of those rows).</summary>
    public static string Comparison(ComparisonResult soFar, string status)
    {
        ArgumentNullException.ThrowIfNull(soFar);
        return "<div class=\"rt-report rt-comparison\" data-live=\"true\"><style>" + ReportStyles.Css + "</style>" +
               "<p class=\"rt-sub\" data-live-status=\"true\">" + Markup.Escape(status) + "</p>" + ComparisonView.Render(soFar) + "</div>";
    }

    /// <summary>A one-line status (a probe or a load under way).</summary>
    public static string Status(string status) =>
        "<div class=\"rt-report\" data-live=\"true\"><style>" + ReportStyles.Css + "</style><p class=\"rt-sub\" data-live-status=\"true\">" +
        Markup.Escape(status) + "</p></div>";
}
