namespace ReasonTools.Core.Remote;

/// <summary>Removes a secret (an API key) from text a server or the network stack wrote, before that text is cut or shown (pure).</summary>
public static class SecretRedaction
{
    /// <summary>What replaces the secret.</summary>
    public const string Placeholder = "[key removed]";

    // A shorter tail is too common a string to mean a cut key ("sk-" starts many words' worth of text).
    private const int MinimumTail = 4;

    /// <summary>
    /// <paramref name="text"/> with every occurrence of <paramref name="secret"/> replaced, and a tail that is the start
    /// of the secret (the text was cut in the middle of it, e.g. by a read limit) replaced too.
    /// </summary>
    public static string Redact(string text, string? secret)
    {
        if (string.IsNullOrEmpty(secret) || text.Length == 0) return text;
        var clean = text.Replace(secret, Placeholder, StringComparison.Ordinal);
        for (var tail = Math.Min(secret.Length - 1, clean.Length); tail >= Math.Min(MinimumTail, secret.Length); tail--)
            if (clean.AsSpan(clean.Length - tail).SequenceEqual(secret.AsSpan(0, tail)))
                return clean[..^tail] + Placeholder;
        return clean;
    }

    /// <summary>Redacts, then shortens to <paramref name="maxChars"/> (an ellipsis marks the cut), so no cut can split the secret.</summary>
    public static string RedactAndShorten(string text, string? secret, int maxChars)
    {
        var clean = Redact(text, secret);
        return clean.Length <= maxChars ? clean : clean[..maxChars] + "…";
    }
}
