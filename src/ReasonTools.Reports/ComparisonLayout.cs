using ReasonTools.Core.Comparison;

namespace ReasonTools.Reports;

/// <summary>A note said once, with the rows it applies to; cells refer to it by <see cref="Number"/>.</summary>
internal sealed record ComparisonNote(int Number, string Text, IReadOnlyList<ComparisonRow> Rows);

/// <summary>How a comparison's rows are laid out, the same in the text and HTML views.</summary>
internal static class ComparisonLayout
{
    /// <summary>Models and prompts in the order they first appear.</summary>
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

    /// <summary>The models that never ran, with the reason (said once, here, not on each of their rows).</summary>
    public static IReadOnlyList<ComparisonSummary> NotRun(ComparisonResult c) => c.Summary.Where(s => !s.Ran).ToArray();

    /// <summary>True when the row's model never ran: its cell says "not run" and the reason is the model's.</summary>
    public static bool IsNotRun(ComparisonResult c, ComparisonRow row) =>
        row.NotRun || c.Summary.Any(s => !s.Ran && s.Model == row.Model);

    /// <summary>Each distinct note once, numbered in order of first appearance; rows of models that never ran have none.</summary>
    public static IReadOnlyList<ComparisonNote> Notes(ComparisonResult c) =>
        c.Rows.Where(r => !string.IsNullOrWhiteSpace(r.Note) && !IsNotRun(c, r))
            .GroupBy(r => r.Note!, StringComparer.Ordinal)
            .Select((g, i) => new ComparisonNote(i + 1, g.Key, g.ToArray()))
            .ToArray();

    /// <summary>The note number of every row that has one.</summary>
    public static Dictionary<ComparisonRow, int> NoteNumbers(IReadOnlyList<ComparisonNote> notes)
    {
        var numbers = new Dictionary<ComparisonRow, int>(ReferenceEqualityComparer.Instance);
        foreach (var note in notes)
            foreach (var row in note.Rows) numbers[row] = note.Number;
        return numbers;
    }

    /// <summary>Where a note applies: "R1-Qwen-7B Q4_K_M: primes, logic".</summary>
    public static string Where(ComparisonNote note) =>
        string.Join("; ", note.Rows.GroupBy(r => r.Model, StringComparer.Ordinal).Select(g => g.Key + ": " + string.Join(", ", g.Select(r => r.PromptId))));
}
