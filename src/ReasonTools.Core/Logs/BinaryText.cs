using System.Buffers;

namespace ReasonTools.Core.Logs;

/// <summary>Where decoded text turns to binary data, for logs and for documents given to a prompt alike. Pure.</summary>
internal static class BinaryText
{
    // Controls that do not occur in text: all C0 but tab, line feed, vertical tab, form feed, carriage return and ESC (colours).
    private static readonly SearchValues<char> BinaryControls = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001C\u001D\u001E\u001F");

    /// <summary>
    /// The first such control character when a zero character follows it or they are more than a tenth of
    /// <paramref name="text"/>; -1 for text (a stray control character is not binary data). <paramref name="zero"/> says
    /// which it was.
    /// </summary>
    public static int Start(ReadOnlySpan<char> text, out bool zero)
    {
        zero = false;
        int first = text.IndexOfAny(BinaryControls);
        if (first < 0) return -1;
        zero = text[first..].Contains('\0');
        if (zero) return first;
        int controls = 0;
        for (int at = first; at >= 0 && at < text.Length; controls++)
        {
            int next = text[(at + 1)..].IndexOfAny(BinaryControls);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return controls > text.Length / 10 ? first : -1;
    }
}
