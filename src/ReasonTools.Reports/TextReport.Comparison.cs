using System.Globalization;
using System.Text;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Inference;

namespace ReasonTools.Reports;

public static partial class TextReport
{
    /// <summary>Longest final answer a grid cell shows; the whole answer is in the JSON and HTML.</summary>
    private const int CellAnswerChars = 24;

    /// <summary>
    /// A comparison: the answers grid (a row per prompt, a column per model, sized to the longest id and label), the
    /// per-model summary, the models that never ran with the reason once, and each distinct note once, numbered.
    /// </summary>
    public static string Render(ComparisonResult comparison)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        var models = ComparisonLayout.Models(comparison);
        var prompts = ComparisonLayout.Prompts(comparison);
        var cells = ComparisonLayout.Cells(comparison);
        var notes = ComparisonLayout.Notes(comparison);
        var noteNumbers = ComparisonLayout.NoteNumbers(notes);
        var sb = new StringBuilder();
        sb.Append("Comparison: ").Append(comparison.PromptSetName).Append("  (").Append(Wording.Plural(models.Count, "model"))
          .Append(" × ").Append(Wording.Plural(prompts.Count, "prompt")).Append(')');
        if (comparison.Interrupted is { } stopped) sb.Append(", ").Append(ComparisonText.Interrupted(stopped));
        sb.Append("\n\n");

        sb.Append("Answers\n");
        var header = new List<string> { "Prompt" };
        header.AddRange(models);
        var rows = prompts.Select(prompt =>
        {
            var line = new List<string> { prompt };
            foreach (var model in models)
                line.Add(cells.TryGetValue((model, prompt), out var row) ? Cell(comparison, row, noteNumbers) : ReportFormat.Missing);
            return (IReadOnlyList<string>)line;
        });
        TextTable.Append(sb, header, rows, leftAlignAll: true);

        sb.Append("\nPer model\n");
        TextTable.Append(sb, ["Model", "Accuracy", "Mean speed", "Mean thinking tokens", "Mean time to first answer token", "Mean total time"],
            comparison.Summary.Select(s => (IReadOnlyList<string>)(s.Ran
                ?
                [
                    s.Model, ReportFormat.Percent(s.Accuracy), ReportFormat.TokensPerSecond(s.MeanTokensPerSecond),
                    ReportFormat.Count(s.MeanThinkingTokens is { } t ? (long)Math.Round(t) : null),
                    ReportFormat.Duration(s.MeanTimeToFirstAnswerTokenMs), ReportFormat.Duration(s.MeanTotalMs),
                ]
                : [s.Model, Wording.NotRun])));

        var notRun = ComparisonLayout.NotRun(comparison);
        if (notRun.Count > 0)
        {
            sb.Append("\nNot run\n");
            foreach (var s in notRun) sb.Append("  ").Append(s.Model).Append(": ").Append(OneLine(s.NotRunReason!, int.MaxValue)).Append('\n');
        }
        if (notes.Count > 0)
        {
            sb.Append("\nNotes\n");
            foreach (var note in notes)
                sb.Append("  [").Append(note.Number).Append("] ").Append(OneLine(note.Text, 200)).Append("  (").Append(ComparisonLayout.Where(note)).Append(")\n");
        }
        return sb.ToString();
    }

    private static string Cell(ComparisonResult comparison, ComparisonRow row, Dictionary<ComparisonRow, int> noteNumbers)
    {
        if (ComparisonLayout.IsNotRun(comparison, row)) return Wording.NotRun;
        var cell = Wording.Mark(row.Correct) + " " + (string.IsNullOrEmpty(row.FinalAnswerText) ? "(none)" : OneLine(row.FinalAnswerText, CellAnswerChars));
        if (row.TestsTotal is { } total) cell += $" ({row.TestsPassed?.ToString(CultureInfo.InvariantCulture) ?? "-"}/{total} tests)";
        if (row.FinishReason is { } reason && reason != FinishReason.Stop) cell += " [" + Wording.ContractName(reason) + "]";
        if (noteNumbers.TryGetValue(row, out var number)) cell += $" [{number}]";
        return cell;
    }
}
