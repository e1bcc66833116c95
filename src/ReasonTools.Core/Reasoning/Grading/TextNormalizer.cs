using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ReasonTools.Core.Reasoning.Grading;

/// <summary>Reduces a short answer to the form the text grader compares.</summary>
internal static partial class TextNormalizer
{
    /// <summary>
    /// Unwraps <c>\text{}</c>-like commands, drops math delimiters and LaTeX spacing, folds full-width forms (NFKC),
    /// collapses whitespace, removes spaces next to punctuation and CJK characters, drops closing punctuation and
    /// lower-cases (invariant) unless <paramref name="keepCase"/>.
    /// </summary>
    public static string Normalize(string text, bool keepCase = false)
    {
        // NFKC would turn x² into x2; keep it a power, as LaTeX writes it.
        var s = text.Replace("²", "^2", StringComparison.Ordinal).Replace("³", "^3", StringComparison.Ordinal)
            .Normalize(NormalizationForm.FormKC);
        s = UnwrapTextCommands(s);
        s = s.Replace("\\left", "", StringComparison.Ordinal).Replace("\\right", "", StringComparison.Ordinal);
        s = LatexSpacing().Replace(s, " ");
        s = s.Replace("\\(", "", StringComparison.Ordinal).Replace("\\)", "", StringComparison.Ordinal)
             .Replace("\\[", "", StringComparison.Ordinal).Replace("\\]", "", StringComparison.Ordinal)
             .Replace("\\$", "$", StringComparison.Ordinal).Replace("$", "", StringComparison.Ordinal)
             .Replace("\\%", "%", StringComparison.Ordinal).Replace("**", "", StringComparison.Ordinal)
             .Replace('~', ' ');
        s = Whitespace().Replace(s, " ").Trim();
        s = SpaceAroundPunctuation().Replace(s, "$1");
        s = SpaceBeforeCjk().Replace(s, "$1");
        s = SpaceAfterCjk().Replace(s, "$1");
        s = s.TrimEnd('.', '。', '!', '！', ';', ' ').Trim();
        return keepCase ? s : s.ToLower(CultureInfo.InvariantCulture);
    }

    /// <summary>Replaces <c>\text{x}</c>, <c>\mathrm{x}</c> and kin by x, innermost first, nested braces allowed.</summary>
    public static string UnwrapTextCommands(string s)
    {
        while (true)
        {
            var match = TextCommand().Match(s);
            if (!match.Success) return s;
            var open = match.Index + match.Length - 1;
            var close = MatchingBrace(s, open);
            if (close < 0) return s.Remove(match.Index, match.Length);
            s = string.Concat(s.AsSpan(0, match.Index), s.AsSpan(open + 1, close - open - 1), s.AsSpan(close + 1));
        }
    }

    /// <summary>Index of the brace closing the one at <paramref name="open"/>, or -1.</summary>
    public static int MatchingBrace(string s, int open)
    {
        var depth = 0;
        for (var i = open; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 1 < s.Length && s[i + 1] is '{' or '}') { i++; continue; }
            if (s[i] == '{') depth++;
            else if (s[i] == '}' && --depth == 0) return i;
        }
        return -1;
    }

    [GeneratedRegex(@"\\(?:text|textbf|textit|textrm|texttt|mathrm|mathbf|mathit|mathsf|mathtt|operatorname|boxed|fbox|emph)\s*\{")]
    private static partial Regex TextCommand();

    [GeneratedRegex(@"\\[,;:! ]|\\quad|\\qquad")]
    private static partial Regex LatexSpacing();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"\s*([,;:()\[\]{}=+\-*/^<>|、])\s*")]
    private static partial Regex SpaceAroundPunctuation();

    [GeneratedRegex(@"\s+([\p{IsCJKUnifiedIdeographs}\p{IsCJKSymbolsandPunctuation}])")]
    private static partial Regex SpaceBeforeCjk();

    [GeneratedRegex(@"([\p{IsCJKUnifiedIdeographs}\p{IsCJKSymbolsandPunctuation}])\s+")]
    private static partial Regex SpaceAfterCjk();
}
