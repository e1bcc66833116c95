using System.Globalization;
using System.Text;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Inference;

namespace ReasonTools.Reports;

/// <summary>The HTML body of a <see cref="ComparisonResult"/>.</summary>
internal static class ComparisonView
{
    public static string Render(ComparisonResult c)
    {
        var models = ComparisonLayout.Models(c);
        var prompts = ComparisonLayout.Prompts(c);
        var cells = ComparisonLayout.Cells(c);
        var notes = ComparisonLayout.Notes(c);
        var noteNumbers = ComparisonLayout.NoteNumbers(notes);

        var sb = new StringBuilder();
        sb.Append("<div class=\"rt-head\"><h2>").Append(Markup.Escape(c.PromptSetName)).Append("</h2><span class=\"rt-sub\">")
          .Append(Wording.Plural(models.Count, "model")).Append(" × ").Append(Wording.Plural(prompts.Count, "prompt")).Append("</span>");
        if (c.Interrupted is { } stopped)
        {
            // The rows below are what finished before the comparison was stopped.
            sb.Append("<span class=\"rt-badge rt-flag\" data-flag=\"interrupted\" data-finished=\"").Append(stopped.Finished)
              .Append("\" data-total=\"").Append(stopped.Total).Append("\">⚠ ").Append(Markup.Escape(ComparisonText.Interrupted(stopped))).Append("</span>");
        }
        sb.Append("</div>");

        sb.Append("<h3>Answers</h3><table class=\"rt-grid\"><thead><tr><th>Prompt</th>");
        foreach (var model in models) sb.Append("<th scope=\"col\">").Append(Markup.Escape(model)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var prompt in prompts)
        {
            sb.Append("<tr><th scope=\"row\"><code>").Append(Markup.Escape(prompt)).Append("</code></th>");
            foreach (var model in models)
            {
                if (!cells.TryGetValue((model, prompt), out var row)) sb.Append("<td class=\"rt-na\" data-correct=\"none\">—</td>");
                else if (ComparisonLayout.IsNotRun(c, row)) sb.Append("<td class=\"rt-na\" data-correct=\"none\" data-not-run=\"true\">").Append(Wording.NotRun).Append("</td>");
                else AppendCell(sb, row, noteNumbers.TryGetValue(row, out var number) ? number : null);
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");

        AppendSummary(sb, c.Summary);

        var notRun = ComparisonLayout.NotRun(c);
        if (notRun.Count > 0)
        {
            sb.Append("<h3>Not run</h3><ul class=\"rt-not-run\">");
            foreach (var s in notRun)
                sb.Append("<li><strong>").Append(Markup.Escape(s.Model)).Append("</strong>: ").Append(Markup.Escape(s.NotRunReason)).Append("</li>");
            sb.Append("</ul>");
        }
        if (notes.Count > 0)
        {
            sb.Append("<h3>Notes</h3><ol class=\"rt-notes\">");
            foreach (var note in notes)
            {
                sb.Append("<li id=\"rt-note-").Append(note.Number).Append("\">").Append(Markup.Escape(note.Text))
                  .Append(" <span class=\"rt-sub\">(").Append(Markup.Escape(ComparisonLayout.Where(note))).Append(")</span></li>");
            }
            sb.Append("</ol>");
        }
        return sb.ToString();
    }

    private static void AppendCell(StringBuilder sb, ComparisonRow row, int? noteNumber)
    {
        var (cellClass, markClass, state) = row.Correct switch
        {
            true => (" class=\"rt-cell-ok\"", "rt-ok", "true"),
            false => (" class=\"rt-cell-bad\"", "rt-bad", "false"),
            null => ("", "rt-na", "none"),
        };
        sb.Append("<td").Append(cellClass).Append(" data-correct=\"").Append(state).Append("\"><span class=\"")
          .Append(markClass).Append("\">").Append(Wording.Mark(row.Correct)).Append("</span> ");
        var answer = row.FinalAnswerText;
        sb.Append(string.IsNullOrEmpty(answer)
            ? "<span class=\"rt-na\">no final answer</span>"
            : "<code class=\"rt-final-answer\" title=\"" + Markup.Escape(row.FinalAnswer) + "\">" + Markup.Escape(answer) + "</code>");

        if (row.TestsTotal is { } total)
        {
            sb.Append("<span class=\"rt-badge\" data-tests-passed=\"").Append(row.TestsPassed?.ToString(CultureInfo.InvariantCulture) ?? "")
              .Append("\" data-tests-total=\"").Append(total.ToString(CultureInfo.InvariantCulture)).Append("\">")
              .Append(row.TestsPassed?.ToString(CultureInfo.InvariantCulture) ?? "–").Append('/').Append(total.ToString(CultureInfo.InvariantCulture)).Append(" tests</span>");
        }
        if (row.Code is not null)
        {
            sb.Append("<details class=\"rt-code\"><summary>code that ran</summary><pre><code>").Append(Markup.Escape(row.Code)).Append("</code></pre></details>");
        }
        if (row.Result is not null || row.TotalMs > 0)
        {
            sb.Append("<span class=\"rt-meta\">").Append(Wording.Plural(row.ThinkingTokens, "thinking token")).Append(" · ")
              .Append(ReportFormat.TokensPerSecond(row.TokensPerSecond)).Append(" · first answer token ").Append(ReportFormat.Duration(row.TimeToFirstAnswerTokenMs))
              .Append(" · ").Append(ReportFormat.Duration(row.TotalMs)).Append("</span>");
        }
        if (row.FinishReason is { } reason && reason != FinishReason.Stop)
        {
            sb.Append("<span class=\"rt-badge rt-flag\" data-flag=\"finishReason\" data-value=\"").Append(Wording.ContractName(reason))
              .Append("\">⚠ ").Append(Wording.ContractName(reason)).Append("</span>");
        }
        if (noteNumber is { } n)
        {
            sb.Append("<a class=\"rt-note-ref\" href=\"#rt-note-").Append(n).Append("\">note ").Append(n).Append("</a>");
        }
        sb.Append("</td>");
    }

    private static void AppendSummary(StringBuilder sb, IReadOnlyList<ComparisonSummary> summary)
    {
        sb.Append("<h3>Per model</h3><table class=\"rt-summary\"><thead><tr><th>Model</th><th>Accuracy</th><th>Mean speed</th>")
          .Append("<th>Mean thinking tokens</th><th>Mean time to first answer token</th><th>Mean total time</th></tr></thead><tbody>");
        foreach (var s in summary)
        {
            sb.Append("<tr><th scope=\"row\">").Append(Markup.Escape(s.Model)).Append("</th>");
            if (!s.Ran)
            {
                sb.Append("<td class=\"rt-na\" colspan=\"5\" data-not-run=\"true\">").Append(Wording.NotRun).Append("</td></tr>");
                continue;
            }
            sb.Append("<td class=\"rt-num\">").Append(ReportFormat.Percent(s.Accuracy)).Append("</td>")
              .Append("<td class=\"rt-num\">").Append(ReportFormat.TokensPerSecond(s.MeanTokensPerSecond)).Append("</td>")
              .Append("<td class=\"rt-num\">").Append(ReportFormat.Count(ToCount(s.MeanThinkingTokens))).Append("</td>")
              .Append("<td class=\"rt-num\" data-field=\"meanTimeToFirstAnswerTokenMs\">").Append(ReportFormat.Duration(s.MeanTimeToFirstAnswerTokenMs)).Append("</td>")
              .Append("<td class=\"rt-num\">").Append(ReportFormat.Duration(s.MeanTotalMs)).Append("</td></tr>");
        }
        sb.Append("</tbody></table>");

        var ran = summary.Where(s => s.Ran).ToArray();
        if (ran.Length == 0) return;
        sb.Append("<div class=\"rt-charts\">")
          .Append(SvgChart.Bars("Mean generation speed (tokens/s)",
              ran.Select(s => new ChartBar(s.Model, s.MeanTokensPerSecond)).ToArray(), ReportFormat.TokensPerSecond))
          .Append(SvgChart.Bars("Mean thinking tokens",
              ran.Select(s => new ChartBar(s.Model, s.MeanThinkingTokens)).ToArray(), v => ReportFormat.Count(ToCount(v)), alternateColor: true))
          .Append("</div>");
    }

    private static long? ToCount(double? value) => value is { } v && double.IsFinite(v) ? (long)Math.Round(v) : null;
}
