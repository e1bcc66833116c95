using System.Buffers;
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
            int stop = tsLength > 0 && tsStart > i ? tsStart : n;
            // Everything up to the next digit or slash is copied as it is (vectorised search); only the word holding
            // that character, or the path or URL it starts, needs a closer look.
            int found = NextSpecial(s, i, stop);
            int p = found < 0 ? stop : i + found;
            int w = p;
            if (found >= 0) while (w > i && IsWordChar(s[w - 1])) w--;
            int count = Math.Min(w - i, limit - o);
            s.Slice(i, count).CopyTo(dest[o..]);
            o += count;
            if (found >= 0 && count == w - i && w - 9 >= i && s[w - 1] == '-' && w + 27 <= n && IsGuid(s.Slice(w - 9, 36)))
            {
                // A GUID whose first group has no digit was copied as a word: take it back.
                o = Put(dest, o - 9, "<guid>");
                i = w + 27;
                continue;
            }
            i = w;
            if (found < 0 || o >= limit) continue;

            char c = s[w];
            if (IsWordChar(c))
            {
                i = MaskWord(s, w, stop, dest, ref o);
                continue;
            }
            if (c == '/' && w >= 1 && s[w - 1] == ':' && w + 1 < n && s[w + 1] == '/')
            {
                // scheme://... : the scheme is already copied; take it back.
                int back = 1;
                while (back < o && IsAsciiLetter(dest[o - back - 1])) back++;
                if (back > 1)
                {
                    o -= back;
                    int end = s[w..].IndexOfAny(PathTerminators);
                    o = Put(dest, o, "<url>");
                    i = end < 0 ? n : w + end;
                    continue;
                }
            }
            if (c == '\\' && w >= 2 && s[w - 1] == ':' && IsAsciiLetter(s[w - 2]) && (w == 2 || IsPathStart(s, w - 2)) && o >= 2)
            {
                o -= 2; // "C:" already copied
                o = Put(dest, o, "<path>");
                i = PathEnd(s, w, out _);
                continue;
            }
            if ((c == '/' || (c == '\\' && w + 1 < n && s[w + 1] == '\\')) && IsPathStart(s, w) && !FollowsHttpMethod(s, w))
            {
                int end = PathEnd(s, w, out int separators);
                if (separators >= 2) { o = Put(dest, o, "<path>"); i = end; continue; }
            }
            dest[o++] = c;
            i = w + 1;
        }
        return o;
    }

    private static readonly SearchValues<char> Special = SearchValues.Create("0123456789/\\");

    /// <summary>Offset from <paramref name="i"/> of the next digit or slash before <paramref name="stop"/>, or -1. The
    /// first characters are tested one by one: in log lines the next digit is often a few characters away
    /// ("1.2.3-4+deb12u5"), where the vectorised search costs more than it saves.</summary>
    private static int NextSpecial(ReadOnlySpan<char> s, int i, int stop)
    {
        int near = Math.Min(stop, i + 8);
        for (int p = i; p < near; p++)
        {
            char c = s[p];
            if (IsDigit(c) || c == '/' || c == '\\') return p - i;
        }
        if (near == stop) return -1;
        int found = s[near..stop].IndexOfAny(Special);
        return found < 0 ? -1 : near - i + found;
    }

    /// <summary>Masks the word starting at <paramref name="i"/> and whatever it opens (IP, GUID).</summary>
    private static int MaskWord(ReadOnlySpan<char> s, int i, int stop, Span<char> dest, ref int o)
    {
        int n = s.Length;
        int j = i; // s[i] is a word character and i < stop
        bool allDigits = true, anyDigit = false, allHex = true;
        do
        {
            char c = s[j];
            bool digit = IsDigit(c);
            anyDigit |= digit;
            allDigits &= digit;
            allHex &= digit || (uint)((c | 0x20) - 'a') <= 'f' - 'a';
            j++;
        }
        while (j < stop && IsWordChar(s[j]));
        int length = j - i;

        if (length == 8 && allHex && j + 28 <= n && IsGuid(s.Slice(i, 36))) { o = Put(dest, o, "<guid>"); return i + 36; }
        if (j < n && s[j] == ':' && allHex && length <= 4)
        {
            int end = Ipv6End(s, i);
            if (end > 0) { o = Put(dest, o, "<ip>"); return end; }
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

    private static readonly SearchValues<char> PathTerminators = SearchValues.Create(" \t\"')],;><|");
    private static readonly SearchValues<char> PathEnds = SearchValues.Create(" \t\"')],;><|:");

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

    /// <summary>Where the path starting at <paramref name="i"/> ends (a terminator or ':'), and how many '/' or '\\'
    /// it holds; both found by vectorised searches.</summary>
    private static int PathEnd(ReadOnlySpan<char> s, int i, out int separators)
    {
        var rest = s[i..];
        int end = rest.IndexOfAny(PathEnds);
        var path = end < 0 ? rest : rest[..end];
        separators = path.Count('/') + path.Count('\\');
        return i + path.Length;
    }

    private static int Put(Span<char> dest, int o, string token)
    {
        token.AsSpan().CopyTo(dest[o..]);
        return o + token.Length;
    }
}
