using System.Text;

namespace ReasonTools.Reports;

/// <summary>
/// Text from outside the tool (model output, server replies, prompt-set fields, file names, log lines) made safe to
/// write to a terminal or a text stream: C0 and C1 control characters other than newline and tab, and DEL, become
/// visible placeholders, so no escape sequence can retitle the terminal, clear the screen or plant an OSC 8 link.
/// A CR before LF is dropped (Windows line ends). The tool's own styling is written separately and is not passed
/// through here. HTML and JSON escape these characters themselves (pure).
/// </summary>
public static class TerminalText
{
    /// <summary>Placeholder for a C1 control character (U+0080–U+009F), which has no control picture.</summary>
    public const char C1Placeholder = '\uFFFD';

    /// <summary><paramref name="text"/> with every unsafe control character replaced; the same instance when there is none.</summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var first = FirstUnsafe(text);
        if (first < 0) return text;
        var clean = new StringBuilder(text.Length + 8);
        clean.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            if (!IsUnsafe(c)) clean.Append(c);
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n') continue;
            else clean.Append(Placeholder(c));
        }
        return clean.ToString();
    }

    /// <summary>The visible stand-in for control character <paramref name="c"/>: its Unicode control picture (␛ for ESC), ␡ for DEL, � for C1.</summary>
    public static char Placeholder(char c) => c switch
    {
        < '\x20' => (char)(0x2400 + c),
        '\x7f' => '\u2421',
        _ => C1Placeholder,
    };

    private static bool IsUnsafe(char c) => (c < '\x20' && c != '\n' && c != '\t') || (c >= '\x7f' && c <= '\x9f');

    private static int FirstUnsafe(string text)
    {
        for (var i = 0; i < text.Length; i++)
            if (IsUnsafe(text[i])) return i;
        return -1;
    }
}
