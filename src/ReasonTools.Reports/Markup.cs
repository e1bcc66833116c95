using System.Text;

namespace ReasonTools.Reports;

/// <summary>Escaping for text placed in HTML or SVG; the output is also well-formed XML.</summary>
internal static class Markup
{
    /// <summary>
    /// Escapes text for element content and quoted attribute values alike. Characters XML forbids
    /// (control characters, lone surrogates) become U+FFFD so a stray byte in a model's output cannot
    /// break the document.
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return string.Empty;
        StringBuilder? sb = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            string? replacement = c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => null,
            };
            if (replacement is null)
            {
                if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    sb?.Append(c).Append(text[i + 1]);
                    i++;
                    continue;
                }
                if (IsXmlChar(c))
                {
                    sb?.Append(c);
                    continue;
                }
                replacement = "\uFFFD";
            }
            sb ??= new StringBuilder(text.Length + 16).Append(text, 0, i);
            sb.Append(replacement);
        }
        return sb?.ToString() ?? text;
    }

    private static bool IsXmlChar(char c) =>
        c is '\t' or '\n' or '\r' || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD);
}
