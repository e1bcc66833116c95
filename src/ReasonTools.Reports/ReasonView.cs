using System.Text;
using ReasonTools.Core.Inference;

namespace ReasonTools.Reports;

/// <summary>The HTML body of a <see cref="ReasonResult"/>.</summary>
internal static class ReasonView
{
    private const int FoldedPromptChars = 200;

    public static string Render(ReasonResult r)
    {
        var sb = new StringBuilder();
        sb.Append("<div class=\"rt-head\"><h2 class=\"rt-model\">").Append(Markup.Escape(r.Model.Name)).Append("</h2>");
        var modelLine = Wording.ModelLine(r.Model);
        if (modelLine.Length > 0) sb.Append("<span class=\"rt-sub\">").Append(Markup.Escape(modelLine)).Append("</span>");
        if (Wording.FinishWarning(r.FinishReason) is { } warning)
        {
            sb.Append("<span class=\"rt-badge rt-flag\" data-flag=\"finishReason\" data-value=\"")
              .Append(Wording.ContractName(r.FinishReason)).Append("\">⚠ ").Append(Markup.Escape(warning)).Append("</span>");
        }
        if (!r.ReasoningComplete)
        {
            sb.Append("<span class=\"rt-badge rt-flag-bad\" data-flag=\"reasoningIncomplete\">⚠ ")
              .Append(Markup.Escape(Wording.IncompleteReasoning)).Append("</span>");
        }
        sb.Append("</div>");

        // A long prompt (a reduced log) would fill the first screen: fold it under its first line.
        sb.Append("<details class=\"rt-prompt\"").Append(r.Prompt.Length <= FoldedPromptChars && !r.Prompt.Contains('\n') ? " open=\"open\"" : "")
          .Append("><summary><span class=\"rt-label\">Prompt</span> <span class=\"rt-sub\">")
          .Append(Markup.Escape(TextReport.OneLine(r.Prompt, 100))).Append("</span></summary><div class=\"rt-text\">")
          .Append(Markup.Escape(r.Prompt)).Append("</div></details>");

        sb.Append("<section class=\"rt-answer\"><div class=\"rt-label\">Answer</div>");
        if (!string.IsNullOrEmpty(r.FinalAnswer))
        {
            sb.Append("<div class=\"rt-final\">Final answer: <mark class=\"rt-final-answer\" title=\"").Append(Markup.Escape(r.FinalAnswer)).Append("\">")
              .Append(Markup.Escape(r.FinalAnswerText)).Append("</mark></div>");
        }
        sb.Append("<div class=\"rt-text rt-answer-text\">")
          .Append(r.Answer.Length > 0 ? Markup.Escape(r.Answer) : "<span class=\"rt-na\">(no answer text)</span>")
          .Append("</div></section>");

        AppendThinking(sb, r);
        AppendTimings(sb, r.Timings);
        sb.Append("<div class=\"rt-settings\">").Append(Markup.Escape(Wording.Settings(r.Settings))).Append("</div>");
        return sb.ToString();
    }

    private static void AppendThinking(StringBuilder sb, ReasonResult r)
    {
        var steps = r.Steps.Where(s => !string.IsNullOrWhiteSpace(s)).ToArray();
        sb.Append("<details class=\"rt-thinking\"><summary>Thinking <span class=\"rt-sub\">")
          .Append(ReportFormat.Count(r.Timings.ThinkingTokens)).Append(" tokens");
        if (steps.Length > 0) sb.Append(" · ").Append(steps.Length).Append(steps.Length == 1 ? " step" : " steps");
        if (!r.ReasoningComplete) sb.Append(" · incomplete");
        sb.Append("</span></summary>");
        if (steps.Length > 0)
        {
            sb.Append("<ol class=\"rt-steps\">");
            foreach (var step in steps) sb.Append("<li>").Append(Markup.Escape(step.Trim())).Append("</li>");
            sb.Append("</ol>");
        }
        else if (r.Thinking.Length > 0)
        {
            sb.Append("<div class=\"rt-text\">").Append(Markup.Escape(r.Thinking)).Append("</div>");
        }
        else
        {
            sb.Append("<p class=\"rt-na\">The model produced no reasoning chain.</p>");
        }
        sb.Append("</details>");
    }

    private static void AppendTimings(StringBuilder sb, ReasonTimings t)
    {
        sb.Append("<h3>Timings</h3><table class=\"rt-timings\"><thead><tr><th>Stage</th><th>Tokens</th><th>Time</th><th>Speed</th></tr></thead><tbody>");
        Row(sb, "Load", EmptyCell, Cell("loadMs", ReportFormat.Duration(t.LoadMs)), EmptyCell);
        Row(sb, "Prompt", Cell("promptTokens", ReportFormat.Count(t.PromptTokens)), Cell("promptMs", ReportFormat.Duration(t.PromptMs)),
            Cell("promptTokensPerSecond", ReportFormat.TokensPerSecond(t.PromptTokensPerSecond)));
        Row(sb, "Generation", Cell("generatedTokens", ReportFormat.Count(t.GeneratedTokens)), Cell("generationMs", ReportFormat.Duration(t.GenerationMs)),
            Cell("tokensPerSecond", ReportFormat.TokensPerSecond(t.TokensPerSecond)));
        Row(sb, "· thinking", Cell("thinkingTokens", ReportFormat.Count(t.ThinkingTokens)), EmptyCell, EmptyCell);
        Row(sb, "· answer", Cell("answerTokens", ReportFormat.Count(t.AnswerTokens)), EmptyCell, EmptyCell);
        if (t.DraftModel is { } draft)
            Row(sb, "· draft " + draft, Cell("acceptedDraftTokens", ReportFormat.DraftAcceptance(t.AcceptedDraftTokens, t.DraftedTokens)), EmptyCell, EmptyCell);
        Row(sb, "Time to first token", EmptyCell, Cell("timeToFirstTokenMs", ReportFormat.Duration(t.TimeToFirstTokenMs)), EmptyCell);
        Row(sb, "Time to first answer token", EmptyCell, Cell("timeToFirstAnswerTokenMs", ReportFormat.Duration(t.TimeToFirstAnswerTokenMs)), EmptyCell);
        Row(sb, "Total", EmptyCell, Cell("totalMs", ReportFormat.Duration(t.TotalMs)), EmptyCell);
        sb.Append("</tbody></table>");
    }

    private static void Row(StringBuilder sb, string stage, string tokens, string time, string speed) =>
        sb.Append("<tr><th scope=\"row\">").Append(Markup.Escape(stage)).Append("</th>").Append(tokens).Append(time).Append(speed).Append("</tr>");

    private static string Cell(string field, string text) =>
        $"<td class=\"rt-num\" data-field=\"{field}\">{Markup.Escape(text)}</td>";

    private const string EmptyCell = "<td class=\"rt-num rt-na\"></td>";
}
