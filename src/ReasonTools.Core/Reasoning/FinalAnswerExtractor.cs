using System.Text.RegularExpressions;

namespace ReasonTools.Core.Reasoning;

/// <summary>Finds the final answer a model committed to: its last <c>\boxed{…}</c>, or an "Answer:" line.</summary>
/// <remarks>
/// Order of preference: the answer part's last complete <c>\boxed{}</c> / <c>\fbox{}</c>; the answer part's last
/// answer line ("Answer:", "Final answer:", "**Answer:**", "答案：", or a "**Final Answer**" heading followed by a
/// line); then the same two in the thinking (a chain cut by the token limit often boxed its result before the end).
/// The answer part's own answer line beats a box in the thinking, because the chain may box a draft it later revises.
/// Empty boxes are skipped: the prompt's advice "within \boxed{}" is often quoted back.
/// </remarks>
public static partial class FinalAnswerExtractor
{
    /// <summary>Returns the trimmed content of the final answer, or null when the reply commits to none.</summary>
    public static string? Extract(string? answer, string? thinking)
    {
        answer ??= "";
        thinking ??= "";
        return LastBoxed(answer) ?? LastAnswerLine(answer) ?? LastBoxed(thinking) ?? LastAnswerLine(thinking);
    }

    /// <summary>
    /// The final answer as plain text, for people: LaTeX commands become what they stand for (<c>\text{12 chickens}</c> →
    /// "12 chickens", <c>\frac{1}{2}</c> → "1/2", <c>\sqrt{2}</c> → "√2", <c>\times</c> → "×"), math delimiters, markdown
    /// emphasis and grouping braces go. Text without LaTeX or markdown comes back unchanged.
    /// </summary>
    public static string PlainText(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var text = answer;
        // Innermost first, so \frac{\text{a}}{2} unwraps in passes.
        for (var pass = 0; pass < 8; pass++)
        {
            var before = text;
            text = Fraction().Replace(text, m => Group(m.Groups["num"].Value) + "/" + Group(m.Groups["den"].Value));
            text = SquareRoot().Replace(text, m => "√" + Group(m.Groups["arg"].Value));
            text = Wrapper().Replace(text, m => m.Groups["arg"].Value);
            if (text == before) break;
        }
        foreach (var (command, symbol) in Symbols) text = text.Replace(command, symbol, StringComparison.Ordinal);
        text = Command().Replace(text, m => m.Groups["name"].Value); // an unknown command keeps its name: \alpha → alpha
        text = text.Replace(@"\\", " ", StringComparison.Ordinal).Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal)
            .Replace("$", "", StringComparison.Ordinal).Replace("**", "", StringComparison.Ordinal).Replace("__", "", StringComparison.Ordinal);
        text = text.Replace(@"\", "", StringComparison.Ordinal).Replace(EscapedDollar, "$", StringComparison.Ordinal);
        return Spaces().Replace(text, " ").Trim();
    }

    // A fraction's part that is more than one number or name reads wrongly without brackets: (a+b)/2.
    private static string Group(string part)
    {
        var p = part.Trim();
        return SimpleTerm().IsMatch(p) ? p : "(" + p + ")";
    }

    // An escaped dollar is a currency sign, kept through the removal of math delimiters.
    private const string EscapedDollar = "\uE000";

    // Longest first where one command is a prefix of another (\leq before \le).
    private static readonly (string Command, string Symbol)[] Symbols =
    [
        ("\\left", ""), ("\\right", ""), ("^\\circ", "°"), ("^{\\circ}", "°"), ("\\circ", "°"),
        ("\\times", "×"), ("\\cdot", "·"), ("\\div", "÷"), ("\\pm", "±"), ("\\mp", "∓"),
        ("\\leq", "≤"), ("\\geq", "≥"), ("\\neq", "≠"), ("\\le", "≤"), ("\\ge", "≥"), ("\\ne", "≠"),
        ("\\approx", "≈"), ("\\infty", "∞"), ("\\pi", "π"), ("\\degree", "°"),
        ("\\%", "%"), ("\\$", EscapedDollar), ("\\&", "&"), ("\\#", "#"), ("\\_", "_"),
        ("\\,", " "), ("\\;", " "), ("\\:", " "), ("\\!", ""), ("\\quad", " "), ("\\qquad", " "), ("~", " "),
    ];

    /// <summary>Content of the last complete, non-empty <c>\boxed{…}</c> or <c>\fbox{…}</c> (nested braces allowed).</summary>
    /// <remarks>One pass over the text with a stack of open braces, so a runaway reply full of unclosed boxes stays linear.</remarks>
    public static string? LastBoxed(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var boxBraces = new HashSet<int>();
        foreach (Match match in BoxOpening().Matches(text)) boxBraces.Add(match.Index + match.Length - 1);
        if (boxBraces.Count == 0) return null;

        var open = new Stack<int>();
        var bestStart = -1;
        string? best = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\\' && i + 1 < text.Length && text[i + 1] is '{' or '}')
            {
                i++; // an escaped brace is content, not structure
                continue;
            }
            if (c == '{') open.Push(i);
            else if (c == '}' && open.Count > 0)
            {
                var start = open.Pop();
                if (!boxBraces.Contains(start) || start < bestStart) continue;
                var content = text.Substring(start + 1, i - start - 1);
                if (string.IsNullOrWhiteSpace(content)) continue;
                bestStart = start;
                best = content.Trim();
            }
        }
        return best;
    }

    /// <summary>Content of the last answer line, or null.</summary>
    public static string? LastAnswerLine(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        string? last = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            var labelled = AnswerLine().Match(line);
            var labelledValue = labelled.Success ? CleanLineValue(labelled.Groups["value"].Value) : "";
            if (labelledValue.Length > 0)
            {
                last = labelledValue;
                continue;
            }
            if (AnswerHeading().IsMatch(line))
            {
                var next = i + 1;
                while (next < lines.Length && lines[next].Trim().Length == 0) next++;
                if (next < lines.Length && !AnswerHeading().IsMatch(lines[next].Trim()))
                {
                    var value = CleanLineValue(lines[next]);
                    if (value.Length > 0) last = value;
                }
            }
        }
        return last;
    }

    /// <summary>Drops markdown emphasis, math delimiters and a closing full stop around a line's value.</summary>
    private static string CleanLineValue(string value)
    {
        var boxed = LastBoxed(value);
        if (boxed is not null) return boxed;
        var v = value.Trim();
        v = v.Trim('*', '_', ' ', '\t').Trim();
        if (v.StartsWith("\\[", StringComparison.Ordinal) && v.EndsWith("\\]", StringComparison.Ordinal)) v = v[2..^2].Trim();
        if (v.StartsWith("\\(", StringComparison.Ordinal) && v.EndsWith("\\)", StringComparison.Ordinal)) v = v[2..^2].Trim();
        if (v.Length >= 2 && v[0] == '$' && v[^1] == '$') v = v.Trim('$').Trim();
        v = v.TrimEnd('.', '。').Trim();
        return v;
    }

    [GeneratedRegex(@"\\(?:boxed|fbox)\s*\{")]
    private static partial Regex BoxOpening();

    [GeneratedRegex(@"\\[dt]?frac\s*\{(?<num>[^{}]*)\}\s*\{(?<den>[^{}]*)\}")]
    private static partial Regex Fraction();

    [GeneratedRegex(@"\\sqrt\s*\{(?<arg>[^{}]*)\}")]
    private static partial Regex SquareRoot();

    [GeneratedRegex(@"\\(?:boxed|fbox|text|textbf|textit|textrm|mathrm|mathbf|mathit|mathsf|operatorname|mbox|emph)\s*\{(?<arg>[^{}]*)\}")]
    private static partial Regex Wrapper();

    [GeneratedRegex(@"\\(?<name>[A-Za-z]+)")]
    private static partial Regex Command();

    [GeneratedRegex(@"^[\p{L}\p{N}.,]+$")]
    private static partial Regex SimpleTerm();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();

    [GeneratedRegex(@"^(?:[-*>#]+\s*)?(?:\*\*|__)?\s*(?:the\s+)?(?:final\s+answer|answer|最终答案|答案)\s*(?:is)?\s*(?:\*\*|__)?\s*[:：]\s*(?:\*\*|__)?(?<value>.*)$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AnswerLine();

    [GeneratedRegex(@"^(?:#+\s*)?(?:\*\*|__)?\s*(?:final\s+answer|answer|最终答案|答案)\s*[:：]?\s*(?:\*\*|__)?$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AnswerHeading();
}
