namespace ReasonTools.Core.Reasoning;

/// <summary>Cuts a reasoning chain into the steps a reader would see.</summary>
/// <remarks>
/// Paragraphs (blank lines) are steps. A paragraph longer than <see cref="DefaultLongParagraphChars"/> is cut
/// further where a sentence opens with one of the discourse markers R1 starts its moves with ("Wait,", "So,",
/// "Let me", ...). Nothing is cut inside LaTeX (<c>$…$</c>, <c>$$…$$</c>, <c>\[…\]</c>, <c>\(…\)</c>), inline
/// code or code fences. Steps are trimmed; empty ones are dropped.
/// </remarks>
public static class ReasoningSteps
{
    /// <summary>Paragraphs longer than this many characters are cut at discourse markers.</summary>
    public const int DefaultLongParagraphChars = 300;

    /// <summary>Sentence openings R1 uses to start a new move; each must be followed by a non-letter.</summary>
    public static IReadOnlyList<string> DiscourseMarkers { get; } =
        ["First,", "Then,", "Next,", "Wait,", "Hmm,", "Alternatively,", "So,", "Let me", "But", "Therefore",
         "Now,", "Okay,", "Alright,", "Actually,", "Hold on", "Finally,"];

    /// <summary>Splits <paramref name="thinking"/> into steps.</summary>
    /// <param name="thinking">The chain, as the splitter accumulated it.</param>
    /// <param name="longParagraphChars">Paragraphs longer than this are cut at discourse markers; 0 cuts every paragraph.</param>
    public static IReadOnlyList<string> Segment(string thinking, int longParagraphChars = DefaultLongParagraphChars)
    {
        ArgumentNullException.ThrowIfNull(thinking);
        ArgumentOutOfRangeException.ThrowIfNegative(longParagraphChars);
        if (string.IsNullOrWhiteSpace(thinking)) return [];

        var text = thinking.Replace("\r\n", "\n", StringComparison.Ordinal);
        var isProtected = ProtectedMask(text);
        var steps = new List<string>();
        foreach (var (start, end) in Paragraphs(text, isProtected))
        {
            var cuts = end - start > longParagraphChars ? MarkerCuts(text, isProtected, start, end) : [];
            var from = start;
            foreach (var cut in cuts)
            {
                AddStep(steps, text[from..cut]);
                from = cut;
            }
            AddStep(steps, text[from..end]);
        }
        return steps;
    }

    private static void AddStep(List<string> steps, string step)
    {
        var trimmed = step.Trim();
        if (trimmed.Length > 0) steps.Add(trimmed);
    }

    /// <summary>Paragraph ranges: text between blank lines that are not inside math or code.</summary>
    private static List<(int Start, int End)> Paragraphs(string text, bool[] isProtected)
    {
        var result = new List<(int, int)>();
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] == '\n' && !isProtected[i])
            {
                // A blank line: newline, optional spaces or tabs, newline.
                var j = i + 1;
                while (j < text.Length && (text[j] == ' ' || text[j] == '\t')) j++;
                if (j < text.Length && text[j] == '\n' && !isProtected[j])
                {
                    result.Add((start, i));
                    while (j < text.Length && char.IsWhiteSpace(text[j])) j++;
                    start = i = j;
                    continue;
                }
            }
            i++;
        }
        result.Add((start, text.Length));
        return result;
    }

    /// <summary>Positions inside [start, end) where a sentence opens with a discourse marker.</summary>
    private static List<int> MarkerCuts(string text, bool[] isProtected, int start, int end)
    {
        var cuts = new List<int>();
        for (var i = start + 1; i < end; i++)
        {
            if (isProtected[i] || !char.IsUpper(text[i]) || !OpensSentence(text, start, i)) continue;
            foreach (var marker in DiscourseMarkers)
            {
                if (string.CompareOrdinal(text, i, marker, 0, marker.Length) != 0) continue;
                var after = i + marker.Length;
                if (after < text.Length && char.IsLetter(text[after]) && char.IsLetter(marker[^1])) continue;
                cuts.Add(i);
                break;
            }
        }
        return cuts;
    }

    /// <summary>True when the text before <paramref name="i"/> ends a sentence or a line.</summary>
    private static bool OpensSentence(string text, int paragraphStart, int i)
    {
        var j = i - 1;
        var sawSpace = false;
        while (j >= paragraphStart && char.IsWhiteSpace(text[j]))
        {
            if (text[j] == '\n') return true;
            sawSpace = true;
            j--;
        }
        if (!sawSpace || j < paragraphStart) return false;
        var c = text[j];
        if (c is '*' or '"' or '\'' or ')' && j > paragraphStart) c = text[j - 1];
        return c is '.' or '?' or '!' or ':' or '。' or '？' or '！';
    }

    /// <summary>Marks characters inside code fences, inline code and LaTeX math, where no cut may fall.</summary>
    private static bool[] ProtectedMask(string text)
    {
        var mask = new bool[text.Length];
        // Where each closing delimiter last occurs: an opening after it cannot close, found without a search.
        var lastClose = new Dictionary<string, int>
        {
            ["\\]"] = text.LastIndexOf("\\]", StringComparison.Ordinal),
            ["\\)"] = text.LastIndexOf("\\)", StringComparison.Ordinal),
            ["$$"] = text.LastIndexOf("$$", StringComparison.Ordinal),
        };
        var i = 0;
        while (i < text.Length)
        {
            var end = ProtectedSpanEnd(text, i, lastClose);
            if (end > i)
            {
                Array.Fill(mask, true, i, end - i);
                i = end;
            }
            else i++;
        }
        return mask;
    }

    /// <summary>End (exclusive) of a protected span opening at <paramref name="i"/>, or <paramref name="i"/> when none opens there.</summary>
    private static int ProtectedSpanEnd(string text, int i, Dictionary<string, int> lastClose)
    {
        if (IsLineStart(text, i) && (Opens(text, i, "```") || Opens(text, i, "~~~")))
        {
            var fence = text.Substring(i, 3);
            var search = text.IndexOf('\n', i);
            while (search >= 0)
            {
                var lineStart = search + 1;
                var k = lineStart;
                while (k < text.Length && text[k] == ' ') k++;
                if (Opens(text, k, fence))
                {
                    var lineEnd = text.IndexOf('\n', k);
                    return lineEnd < 0 ? text.Length : lineEnd;
                }
                search = text.IndexOf('\n', lineStart);
            }
            return text.Length; // an unclosed fence (chain cut off) protects the rest
        }
        if (text[i] == '`') return ClosingOnSameLine(text, i, "`", "`");
        if (text[i] == '\\' && i + 1 < text.Length && (i == 0 || text[i - 1] != '\\'))
        {
            if (text[i + 1] == '[') return Closing(text, i, 2, "\\]", lastClose);
            if (text[i + 1] == '(') return Closing(text, i, 2, "\\)", lastClose);
            return i;
        }
        if (text[i] == '$' && (i == 0 || text[i - 1] != '\\'))
        {
            if (Opens(text, i, "$$")) return Closing(text, i, 2, "$$", lastClose);
            return InlineDollarEnd(text, i);
        }
        return i;
    }

    private static int Closing(string text, int i, int openLength, string close, Dictionary<string, int> lastClose)
    {
        if (lastClose[close] < i + openLength) return i;
        var end = text.IndexOf(close, i + openLength, StringComparison.Ordinal);
        return end < 0 ? i : end + close.Length;
    }

    private static int ClosingOnSameLine(string text, int i, string open, string close)
    {
        var end = text.IndexOf(close, i + open.Length, StringComparison.Ordinal);
        var newline = text.IndexOf('\n', i);
        if (end < 0 || (newline >= 0 && newline < end)) return i;
        return end + close.Length;
    }

    /// <summary>Inline math closes before the next blank line; an unmatched <c>$</c> ("costs $5") is plain text.</summary>
    private static int InlineDollarEnd(string text, int i)
    {
        for (var k = i + 1; k < text.Length; k++)
        {
            if (text[k] == '$' && text[k - 1] != '\\') return k + 1;
            if (text[k] == '\n' && BlankLineFollows(text, k)) return i;
        }
        return i;
    }

    private static bool BlankLineFollows(string text, int newline)
    {
        var k = newline + 1;
        while (k < text.Length && (text[k] == ' ' || text[k] == '\t')) k++;
        return k < text.Length && text[k] == '\n';
    }

    private static bool Opens(string text, int i, string value) =>
        i + value.Length <= text.Length && string.CompareOrdinal(text, i, value, 0, value.Length) == 0;

    private static bool IsLineStart(string text, int i)
    {
        var k = i - 1;
        while (k >= 0 && text[k] == ' ') k--;
        return k < 0 || text[k] == '\n';
    }
}
