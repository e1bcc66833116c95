using System.Globalization;
using System.Text;

namespace ReasonTools.Reports;

/// <summary>Aligned plain-text columns; the first column left-aligned, the rest right-aligned.</summary>
internal static class TextTable
{
    // header: the first line, or null for none.
    public static void Append(StringBuilder sb, IReadOnlyList<string>? header, IEnumerable<IReadOnlyList<string>> rows, string indent = "  ", bool leftAlignAll = false)
    {
        var all = new List<IReadOnlyList<string>>();
        if (header is not null) all.Add(header);
        all.AddRange(rows);
        var widths = new int[all.Count == 0 ? 0 : all.Max(r => r.Count)];
        foreach (var row in all)
            for (var i = 0; i < widths.Length && i < row.Count; i++)
                widths[i] = Math.Max(widths[i], Width(row[i]));

        foreach (var row in all)
        {
            var line = new StringBuilder(indent);
            for (var i = 0; i < widths.Length; i++)
            {
                var cell = i < row.Count ? row[i] : "";
                var pad = new string(' ', widths[i] - Width(cell));
                if (i > 0) line.Append("  ");
                line.Append(i == 0 || leftAlignAll ? cell + pad : pad + cell);
            }
            sb.Append(line.ToString().TrimEnd()).Append('\n');
        }
    }

    // Counts text elements, so "✓" or an accented name take one column.
    private static int Width(string text) => new StringInfo(text).LengthInTextElements;
}
