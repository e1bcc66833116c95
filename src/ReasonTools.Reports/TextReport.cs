using System.Text;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Inference;

namespace ReasonTools.Reports;

/// <summary>
/// Plain-text views of the result objects, for terminals and <c>text/plain</c> formatters: the same
/// content and order as the HTML views, aligned columns, no colour codes.
/// </summary>
public static partial class TextReport
{
    /// <summary>A reasoning result: answer first, then the numbered chain (unless left out), then timings.</summary>
    /// <param name="result">The result to show.</param>
    /// <param name="includeThinking">False leaves the chain out and says how long it was.</param>
    public static string Render(ReasonResult result, bool includeThinking = true)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        var modelLine = Wording.ModelLine(result.Model);
        sb.Append(result.Model.Name).Append(modelLine.Length > 0 ? $"  ({modelLine})" : "").Append('\n');
        if (Wording.FinishWarning(result.FinishReason) is { } warning) sb.Append("! ").Append(warning).Append('\n');
        if (!result.ReasoningComplete) sb.Append("! ").Append(Wording.IncompleteReasoning).Append('\n');
        sb.Append('\n');
        AppendBlock(sb, "Prompt", result.Prompt);
        if (!string.IsNullOrEmpty(result.FinalAnswer)) sb.Append("Final answer: ").Append(result.FinalAnswerText).Append("\n\n");
        AppendBlock(sb, "Answer", result.Answer.Length > 0 ? result.Answer : "(no answer text)");

        var steps = result.Steps.Where(s => !string.IsNullOrWhiteSpace(s)).ToArray();
        sb.Append("Thinking (").Append(ReportFormat.Count(result.Timings.ThinkingTokens)).Append(" tokens");
        if (steps.Length > 0) sb.Append(", ").Append(steps.Length).Append(steps.Length == 1 ? " step" : " steps");
        if (!result.ReasoningComplete) sb.Append(", incomplete");
        sb.Append(')');
        if (!includeThinking)
        {
            sb.Append(" left out\n\n");
        }
        else
        {
            sb.Append(":\n");
            if (steps.Length > 0)
            {
                var numberWidth = steps.Length.ToString().Length + 2;
                for (var i = 0; i < steps.Length; i++)
                {
                    var number = $"{i + 1}.".PadLeft(numberWidth - 1) + " ";
                    AppendIndented(sb, steps[i].Trim(), "  " + number, "  " + new string(' ', number.Length));
                }
            }
            else if (result.Thinking.Length > 0)
            {
                AppendIndented(sb, result.Thinking.Trim(), "  ", "  ");
            }
            else
            {
                sb.Append("  (none)\n");
            }
            sb.Append('\n');
        }

        var t = result.Timings;
        sb.Append("Timings\n");
        string[][] draftRow = t.DraftModel is { } draft ? [["  draft " + draft, ReportFormat.DraftAcceptance(t.AcceptedDraftTokens, t.DraftedTokens), "", ""]] : [];
        TextTable.Append(sb, ["Stage", "Tokens", "Time", "Speed"],
        [
            ["Load", "", ReportFormat.Duration(t.LoadMs), ""],
            ["Prompt", ReportFormat.Count(t.PromptTokens), ReportFormat.Duration(t.PromptMs), ReportFormat.TokensPerSecond(t.PromptTokensPerSecond)],
            ["Generation", ReportFormat.Count(t.GeneratedTokens), ReportFormat.Duration(t.GenerationMs), ReportFormat.TokensPerSecond(t.TokensPerSecond)],
            ["  thinking", ReportFormat.Count(t.ThinkingTokens), "", ""],
            ["  answer", ReportFormat.Count(t.AnswerTokens), "", ""],
            .. draftRow,
            ["Time to first token", "", ReportFormat.Duration(t.TimeToFirstTokenMs), ""],
            ["Time to first answer token", "", ReportFormat.Duration(t.TimeToFirstAnswerTokenMs), ""],
            ["Total", "", ReportFormat.Duration(t.TotalMs), ""],
        ]);
        sb.Append("Settings: ").Append(Wording.Settings(result.Settings)).Append('\n');
        return sb.ToString();
    }

    /// <summary>One finished row on one line: mark, model, prompt, final answer, thinking tokens, speed and any note.</summary>
    public static string Render(ComparisonRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var sb = new StringBuilder();
        sb.Append(Wording.Mark(row.Correct)).Append(' ').Append(row.Model).Append(" · ").Append(row.PromptId).Append(": ")
          .Append(string.IsNullOrEmpty(row.FinalAnswer) ? "(no final answer)" : OneLine(row.FinalAnswer, 60));
        if (row.TestsTotal is { } total) sb.Append($" ({row.TestsPassed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-"}/{total} tests)");
        if (row.Result is not null || row.TotalMs > 0)
            sb.Append(" · ").Append(ReportFormat.Count(row.ThinkingTokens)).Append(" thinking tokens · ").Append(ReportFormat.TokensPerSecond(row.TokensPerSecond));
        if (row.FinishReason is { } reason && reason != FinishReason.Stop) sb.Append(" [").Append(Wording.ContractName(reason)).Append(']');
        if (!string.IsNullOrWhiteSpace(row.Note)) sb.Append(" (").Append(OneLine(row.Note, 200)).Append(')');
        return sb.ToString();
    }

    /// <summary>
    /// A hardware report: the answer about <paramref name="question"/> when one was asked, the recommendation, the
    /// machine summary, then the fit of each model and quantization (a fit below the minimum speed is marked slow).
    /// </summary>
    public static string Render(HardwareReport report, ModelAssessment? question = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.Append("Hardware check\n\n");
        if (question is not null) sb.Append(HardwareText.Verdict(question)).Append("\n\n");
        if (report.Recommended is { } rec)
        {
            sb.Append("Recommended: ").Append(rec.Name).Append(' ').Append(rec.Quantization).Append(", context ").Append(ReportFormat.Count(rec.ContextSize))
              .Append(", on ").Append(Wording.Placement(rec.Placement));
            if (rec.EstimatedTokensPerSecond is { } tps) sb.Append(", about ").Append(ReportFormat.TokensPerSecond(tps));
            sb.Append("\n\n");
        }
        else
        {
            sb.Append(Wording.NoRecommendation(report.Models.Count)).Append("\n\n");
        }

        var memory = $"{ReportFormat.Bytes(report.Memory.TotalBytes)} total, {ReportFormat.Bytes(report.Memory.AvailableBytes)} available, " +
                     (report.Memory.LimitBytes is { } limit ? $"limit {ReportFormat.Bytes(limit)}" : "no limit");
        var machine = new List<IReadOnlyList<string>>
        {
            new[] { "CPU", report.Cpu.Name },
            new[] { "Cores", $"{report.Cpu.PhysicalCores} physical, {report.Cpu.LogicalCores} logical" },
            new[] { "CPU features", report.Cpu.Features.Count == 0 ? "none reported" : string.Join(' ', report.Cpu.Features) },
            new[] { "Memory", memory },
        };
        if (report.Gpus.Count == 0) machine.Add(["GPUs", "none found"]);
        foreach (var gpu in report.Gpus)
        {
            machine.Add(["GPU", $"{gpu.Name} ({gpu.Vendor}, {gpu.Backend}) {ReportFormat.Bytes(gpu.TotalBytes)}, {ReportFormat.Bytes(gpu.FreeBytes)} free"]);
        }
        machine.Add(["Memory bandwidth", ReportFormat.Bandwidth(report.MemoryBandwidthGBps) + (report.MemoryBandwidthUnsteady ? $" ({Wording.UnsteadyBandwidth})" : "")]);
        if (report.Disk is { } disk) machine.Add(["Disk", $"{ReportFormat.Bytes(disk.FreeBytes)} free of {ReportFormat.Bytes(disk.TotalBytes)} at {disk.Path}"]);
        sb.Append("Machine\n");
        TextTable.Append(sb, header: null, machine, leftAlignAll: true);

        if (report.Models.Count > 0)
        {
            sb.Append("\nWhat fits\n");
            TextTable.Append(sb, ["Model", "Quant", "Context", "Needs", "Placement", "Est. speed"],
                report.Models.Select(m =>
                {
                    var recommended = report.Recommended is { } r && r.Name == m.Name && r.Quantization == m.Quantization;
                    var placement = Wording.Placement(m.Placement) + (m.Placement == Placement.Partial ? $" ({m.GpuLayers} layers)" : "");
                    return (IReadOnlyList<string>)
                    [
                        (recommended ? "* " : "  ") + m.Name, m.Quantization, ReportFormat.Count(m.ContextSize), ReportFormat.Bytes(m.RequiredBytes),
                        placement, !m.Fits ? "—" : ReportFormat.TokensPerSecond(m.EstimatedTokensPerSecond) + (HardwareText.IsSlow(m, report.MinTokensPerSecond) ? " (slow)" : ""),
                    ];
                }), leftAlignAll: true);
            if (report.Models.Any(m => HardwareText.IsSlow(m, report.MinTokensPerSecond)))
                sb.Append("  (slow): fits, but below ").Append(report.MinTokensPerSecond.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)).Append(" tokens/s\n");
        }
        if (report.Notes.Count > 0)
        {
            sb.Append("\nProbe notes\n");
            foreach (var note in report.Notes) sb.Append("  ").Append(note).Append('\n');
        }
        return sb.ToString();
    }

    private static void AppendBlock(StringBuilder sb, string label, string text)
    {
        sb.Append(label).Append(":\n");
        AppendIndented(sb, text.Trim(), "  ", "  ");
        sb.Append('\n');
    }

    private static void AppendIndented(StringBuilder sb, string text, string firstIndent, string indent)
    {
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd();
            if (line.Length > 0 || i == 0) sb.Append(i == 0 ? firstIndent : indent).Append(line);
            sb.Append('\n');
        }
    }

    /// <summary><paramref name="text"/> on one line (runs of white space become one space), cut to <paramref name="max"/> characters with "…".</summary>
    public static string OneLine(string text, int max)
    {
        var line = string.Join(' ', text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }
}
