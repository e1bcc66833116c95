using static ReasonTools.Core.Logs.LogLineClassifier;

namespace ReasonTools.Core.Logs;

/// <summary>
/// Turns a line into its template: numbers, GUIDs, hex ids, IPs, file paths, URLs and the line's timestamp are
/// replaced by placeholders so that repeats of one message fall together. One pass over the characters into a
/// caller's buffer; no allocation, no regular expressions (it runs once per record on the hot path).
/// </summary>
internal static class LogTemplateMasker
{
    /// <summary>Writes the template of <paramref name="s"/> into <paramref name="dest"/> and returns its length;
    /// output beyond the buffer is cut (long tails do not split a template).</summary>
    public static int Mask(ReadOnlySpan<char> s, int tsStart, int tsLength, Span<char> dest)
    {
        int n = s.Length, o = 0, i = 0;
        int limit = dest.Length - 8; // room for the longest placeholder
        while (i < n && o < limit)
        {
            if (tsLength > 0 && i == tsStart) { o = Put(dest, o, "<ts>"); i += tsLength; continue; }
            char c = s[i];
            if (IsWordChar(c))
            {
                i = MaskWord(s, i, tsLength > 0 && tsStart > i ? tsStart : n, dest, ref o);
                continue;
            }
            if ((c == '/' || (c == '\\' && i + 1 < n && s[i + 1] == '\\')) && IsPathStart(s, i) && !FollowsHttpMethod(s, i))
            {
                int end = PathEnd(s, i, out int separators);
                if (separators >= 2) { o = Put(dest, o, "<path>"); i = end; continue; }
            }
            if (c == ' ' || c == '\t')
            {
                if (o > 0 && dest[o - 1] != ' ') dest[o++] = ' ';
                i++;
                continue;
            }
            dest[o++] = c;
            i++;
        }
        while (o > 0 && dest[o - 1] == ' ') o--;
        return o;
    }

    /// <summary>Masks the word starting at <paramref name="i"/> and whatever it opens (IP, GUID, URL, drive path).</summary>
    private static int MaskWord(ReadOnlySpan<char> s, int i, int stop, Span<char> dest, ref int o)
    {
        int n = s.Length;
        int j = i + 1;
        while (j < stop && IsWordChar(s[j])) j++;
        int length = j - i;
        bool allDigits = true, anyDigit = false, allHex = true, allLetters = true;
        for (int k = i; k < j; k++)
        {
            char c = s[k];
            bool digit = IsDigit(c);
            anyDigit |= digit;
            allDigits &= digit;
            allLetters &= IsAsciiLetter(c);
            allHex &= digit || (uint)((c | 0x20) - 'a') <= 'f' - 'a';
        }

        if (length == 8 && allHex && j + 28 <= n && IsGuid(s.Slice(i, 36))) { o = Put(dest, o, "<guid>"); return i + 36; }
        if (j < n && s[j] == ':')
        {
            if (allHex && length <= 4)
            {
                int end = Ipv6End(s, i);
                if (end > 0) { o = Put(dest, o, "<ip>"); return end; }
            }
            if (allLetters && j + 2 < n && s[j + 1] == '/' && s[j + 2] == '/')
            {
                int end = j + 3;
                while (end < n && !IsPathTerminator(s[end])) end++;
                o = Put(dest, o, "<url>");
                return end;
            }
            if (length == 1 && allLetters && j + 1 < n && s[j + 1] == '\\' && IsPathStart(s, i))
            {
                int end = PathEnd(s, j + 1, out _);
                o = Put(dest, o, "<path>");
                return end;
            }
        }
        if (allDigits)
        {
            int end = j, groups = 1;
            while (end + 1 < n && s[end] == '.' && IsDigit(s[end + 1]))
            {
                end++;
                while (end < n && IsDigit(s[end])) end++;
                groups++;
            }
            if (groups == 4)
            {
                if (end + 1 < n && s[end] == ':' && IsDigit(s[end + 1])) { end++; while (end < n && IsDigit(s[end])) end++; }
                o = Put(dest, o, "<ip>");
            }
            else o = Put(dest, o, "<n>");
            return end;
        }
        if (length > 2 && s[i] == '0' && (s[i + 1] | 0x20) == 'x' && allHex is false && IsHex(s.Slice(i + 2, length - 2)))
        {
            o = Put(dest, o, "<hex>");
            return j;
        }
        if (allHex && anyDigit && length >= 8) { o = Put(dest, o, "<hex>"); return j; }

        int limit = dest.Length - 8;
        for (int k = i; k < j && o < limit;)
        {
            if (IsDigit(s[k]))
            {
                o = Put(dest, o, "<n>");
                while (k < j && IsDigit(s[k])) k++;
            }
            else dest[o++] = s[k++];
        }
        return j;
    }

    private static bool IsGuid(ReadOnlySpan<char> g)
    {
        for (int k = 0; k < 36; k++)
        {
            char c = g[k];
            if (k is 8 or 13 or 18 or 23) { if (c != '-') return false; }
            else if (!(IsDigit(c) || (uint)((c | 0x20) - 'a') <= 'f' - 'a')) return false;
        }
        return g.Length == 36;
    }

    private static bool IsHex(ReadOnlySpan<char> t)
    {
        foreach (char c in t) if (!(IsDigit(c) || (uint)((c | 0x20) - 'a') <= 'f' - 'a')) return false;
        return true;
    }

    /// <summary>End of an IPv6 address starting at <paramref name="i"/> ("fe80::1", "2001:db8:0:0:0:0:0:1"), or 0.
    /// Times such as 10:23:45 have no "::", fewer than seven colons and no hex letter, so they are left alone.</summary>
    private static int Ipv6End(ReadOnlySpan<char> s, int i)
    {
        int e = i, colons = 0;
        bool doubleColon = false;
        while (e < s.Length)
        {
            char c = s[e];
            if (c == ':') { colons++; if (e > i && s[e - 1] == ':') doubleColon = true; }
            else if (!(IsDigit(c) || (uint)((c | 0x20) - 'a') <= 'f' - 'a')) break;
            e++;
        }
        return colons >= 2 && (doubleColon || colons >= 7) ? e : 0;
    }

    private static bool IsPathStart(ReadOnlySpan<char> s, int i) =>
        i == 0 || s[i - 1] is ' ' or '\t' or '"' or '\'' or '=' or '(' or '[' or '<' or ',' or ':';

    private static bool IsPathTerminator(char c) =>
        c is ' ' or '\t' or '"' or '\'' or ')' or ']' or ',' or ';' or '>' or '<' or '|';

    /// <summary>Request paths of access logs keep their shape ("GET /api/orders/&lt;n&gt;"): which endpoint fails matters.</summary>
    private static bool FollowsHttpMethod(ReadOnlySpan<char> s, int i)
    {
        if (i < 4 || s[i - 1] != ' ') return false;
        var before = s[..(i - 1)];
        return before.EndsWith("GET", StringComparison.Ordinal) || before.EndsWith("POST", StringComparison.Ordinal)
            || before.EndsWith("PUT", StringComparison.Ordinal) || before.EndsWith("DELETE", StringComparison.Ordinal)
            || before.EndsWith("PATCH", StringComparison.Ordinal) || before.EndsWith("HEAD", StringComparison.Ordinal)
            || before.EndsWith("OPTIONS", StringComparison.Ordinal);
    }

    private static int PathEnd(ReadOnlySpan<char> s, int i, out int separators)
    {
        separators = 0;
        int e = i;
        while (e < s.Length)
        {
            char c = s[e];
            if (IsPathTerminator(c) || c == ':') break;
            if (c == '/' || c == '\\') separators++;
            e++;
        }
        return e;
    }

    private static int Put(Span<char> dest, int o, string token)
    {
        token.AsSpan().CopyTo(dest[o..]);
        return o + token.Length;
    }
}
