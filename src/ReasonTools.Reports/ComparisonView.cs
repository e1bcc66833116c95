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

        var sb = new StringBuilder();
        sb.Append("<div class=\"rt-head\"><h2>").Append(Markup.Escape(c.PromptSetName)).Append("</h2><span class=\"rt-sub\">")
          .Append(models.Count).Append(models.Count == 1 ? " model" : " models").Append(" × ")
          .Append(prompts.Count).Append(prompts.Count == 1 ? " prompt" : " prompts").Append("</span>");
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
                if (cells.TryGetValue((model, prompt), out var row)) AppendCell(sb, row);
                else sb.Append("<td class=\"rt-na\" data-correct=\"none\">—</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");

        AppendSummary(sb, c.Summary);

        var noted = c.Rows.Where(r => !string.IsNullOrWhiteSpace(r.Note)).ToArray();
        if (noted.Length > 0)
        {
            sb.Append("<h3>Notes</h3><ul class=\"rt-notes\">");
            foreach (var row in noted)
            {
                sb.Append("<li><strong>").Append(Markup.Escape(row.Model)).Append("</strong> · <code>")
                  .Append(Markup.Escape(row.PromptId)).Append("</code>: ").Append(Markup.Escape(row.Note)).Append("</li>");
            }
            sb.Append("</ul>");
        }
        return sb.ToString();
    }

    private static void AppendCell(StringBuilder sb, ComparisonRow row)
    {
        var (cellClass, markClass, state) = row.Correct switch
        {
            true => (" class=\"rt-cell-ok\"", "rt-ok", "true"),
            false => (" class=\"rt-cell-bad\"", "rt-bad", "false"),
            null => ("", "rt-na", "none"),
        };
        sb.Append("<td").Append(cellClass).Append(" data-correct=\"").Append(state).Append("\"><span class=\"")
          .Append(markClass).Append("\">").Append(Wording.Mark(row.Correct)).Append("</span> ");
        sb.Append(string.IsNullOrEmpty(row.FinalAnswer)
            ? "<span class=\"rt-na\">no final answer</span>"
            : "<code class=\"rt-final-answer\">" + Markup.Escape(row.FinalAnswer) + "</code>");

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
            sb.Append("<span class=\"rt-meta\">").Append(ReportFormat.Count(row.ThinkingTokens)).Append(" thinking tokens · ")
              .Append(ReportFormat.TokensPerSecond(row.TokensPerSecond)).Append(" · ").Append(ReportFormat.Duration(row.TotalMs)).Append("</span>");
        }
        if (row.FinishReason is { } reason && reason != FinishReason.Stop)
        {
            sb.Append("<span class=\"rt-badge rt-flag\" data-flag=\"finishReason\" data-value=\"").Append(Wording.ContractName(reason))
              .Append("\">⚠ ").Append(Wording.ContractName(reason)).Append("</span>");
        }
        if (!string.IsNullOrWhiteSpace(row.Note))
        {
            sb.Append("<span class=\"rt-note\">").Append(Markup.Escape(row.Note)).Append("</span>");
        }
        sb.Append("</td>");
    }

    private static void AppendSummary(StringBuilder sb, IReadOnlyList<ComparisonSummary> summary)
    {
        sb.Append("<h3>Per model</h3><table class=\"rt-summary\"><thead><tr><th>Model</th><th>Accuracy</th><th>Mean speed</th>")
          .Append("<th>Mean thinking tokens</th><th>Mean total time</th></tr></thead><tbody>");
        foreach (var s in summary)
        {
            sb.Append("<tr><th scope=\"row\">").Append(Markup.Escape(s.Model)).Append("</th>")
              .Append("<td class=\"rt-num\">").Append(ReportFormat.Percent(s.Accuracy)).Append("</td>")
              .Append("<td class=\"rt-num\">").Append(ReportFormat.TokensPerSecond(s.MeanTokensPerSecond)).Append("</td>")
              .Append("<td class=\"rt-num\">").Append(ReportFormat.Count(ToCount(s.MeanThinkingTokens))).Append("</td>")
              .Append("<td class=\"rt-num\">").Append(ReportFormat.Duration(s.MeanTotalMs)).Append("</td></tr>");
        }
        sb.Append("</tbody></table>");

        if (summary.Count == 0) return;
        sb.Append("<div class=\"rt-charts\">")
          .Append(SvgChart.Bars("Mean generation speed (tokens/s)",
              summary.Select(s => new ChartBar(s.Model, s.MeanTokensPerSecond)).ToArray(), ReportFormat.TokensPerSecond))
          .Append(SvgChart.Bars("Mean thinking tokens",
              summary.Select(s => new ChartBar(s.Model, s.MeanThinkingTokens)).ToArray(), v => ReportFormat.Count(ToCount(v)), alternateColor: true))
          .Append("</div>");
    }

    private static long? ToCount(double? value) => value is { } v && double.IsFinite(v) ? (long)Math.Round(v) : null;
}

/// <summary>How a comparison's rows are laid out: models and prompts in the order they first appear.</summary>
internal static class ComparisonLayout
{
    public static IReadOnlyList<string> Models(ComparisonResult c) =>
        c.Rows.Select(r => r.Model).Concat(c.Summary.Select(s => s.Model)).Distinct(StringComparer.Ordinal).ToArray();

    public static IReadOnlyList<string> Prompts(ComparisonResult c) =>
        c.Rows.Select(r => r.PromptId).Distinct(StringComparer.Ordinal).ToArray();

    public static Dictionary<(string Model, string Prompt), ComparisonRow> Cells(ComparisonResult c)
    {
        var cells = new Dictionary<(string, string), ComparisonRow>();
        foreach (var row in c.Rows) cells.TryAdd((row.Model, row.PromptId), row);
        return cells;
    }
}
