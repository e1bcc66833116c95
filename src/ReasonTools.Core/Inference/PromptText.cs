namespace ReasonTools.Core.Inference;

/// <summary>Whether a document given for a prompt is text. Pure.</summary>
internal static class PromptText
{
    // The control characters text does not hold (as for logs): all C0 but tab, line feed, vertical tab, form feed,
    // carriage return and ESC.
    private static readonly System.Buffers.SearchValues<char> BinaryControls = System.Buffers.SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001C\u001D\u001E\u001F");

    /// <summary>
    /// Where binary data starts: the first zero character, or the first control character when they are more than a
    /// tenth of what follows it; -1 for text. A stray control character in text is not binary data.
    /// </summary>
    internal static int BinaryStart(ReadOnlySpan<char> text)
    {
        var first = text.IndexOfAny(BinaryControls);
        if (first < 0) return -1;
        if (text[first] == '\0' || Count(text[first..]) > (text.Length - first) / 10) return first;
        return text.IndexOf('\0');
    }

    private static int Count(ReadOnlySpan<char> text)
    {
        var count = 0;
        for (var at = text.IndexOfAny(BinaryControls); at >= 0; count++)
        {
            var next = text[(at + 1)..].IndexOfAny(BinaryControls);
            at = next < 0 ? -1 : at + 1 + next;
        }
        return count;
    }
}
