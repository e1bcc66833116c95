using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace ReasonTools.Core.Logs;

/// <summary>What the first line of a record looks like, as far as grouping and ranking need to know.</summary>
internal enum LogLineKind : byte
{
    Plain,
    /// <summary>"Traceback (most recent call last):" — a Python traceback ends with an unindented exception line.</summary>
    PythonTraceback,
    /// <summary>"__CURSOR=..." — first field of a journald export record (KEY=VALUE lines up to a blank line).</summary>
    JournalExport,
}

/// <summary>Recognised prefix of one line: does it open a record, where is its timestamp, how severe is it.</summary>
internal struct LogLineHeader
{
    public bool StartsRecord;
    public LogSeverity Severity;
    public int TimestampStart;
    public int TimestampLength;
    public LogLineKind Kind;
}

/// <summary>
/// Span-based recogniser of the common log line shapes (ISO 8601, syslog 3164/5424, journald, log4j/logback/NLog/
/// Serilog/Python/.NET console patterns, klog, nginx/Apache access and error logs). It looks at a line's first
/// characters only and never allocates: it runs once per line on the hot path.
/// </summary>
internal static class LogLineClassifier
{
    private const int LevelSearchChars = 160;

    public static LogLineHeader Classify(ReadOnlySpan<char> s)
    {
        var h = default(LogLineHeader);
        if (s.IsEmpty) return h;
        int p = 0;
        char c0 = s[0];

        if (c0 == '<' && TrySyslogPriority(s, out int pri, out int afterPri))
        {
            h.StartsRecord = true;
            h.Severity = FromSyslogSeverity(pri & 7);
            p = afterPri;
            if (s.Length > p + 1 && s[p] == '1' && s[p + 1] == ' ') p += 2; // RFC 5424 version
        }

        int tsStart = p < s.Length && s[p] == '[' ? p + 1 : p;
        int tsLength = MatchTimestamp(s, tsStart);
        if (tsLength == 0 && tsStart != p) { tsStart = p; tsLength = MatchTimestamp(s, p); }
        int levelFrom = p;
        if (tsLength > 0)
        {
            h.StartsRecord = true;
            h.TimestampStart = tsStart;
            h.TimestampLength = tsLength;
            levelFrom = tsStart + tsLength;
        }
        else if (p == 0)
        {
            if (c0 == '{') h.StartsRecord = true; // one JSON object per line (Serilog compact, journalctl -o json, ...)
            else if (s.StartsWith("__CURSOR=", StringComparison.Ordinal)) { h.StartsRecord = true; h.Kind = LogLineKind.JournalExport; }
            else if (s.StartsWith("Traceback (most recent call last)", StringComparison.Ordinal))
            {
                h.StartsRecord = true; h.Kind = LogLineKind.PythonTraceback; h.Severity = LogSeverity.Error; return h;
            }
            else if (TryKlog(s, ref h)) return h;
            else if (TryAccessLog(s, ref h)) return h;
        }

        if (h.Severity == LogSeverity.Unknown)
        {
            var severity = FindLevel(s, levelFrom, p, out bool levelOpensLine);
            h.Severity = severity;
            if (levelOpensLine) h.StartsRecord = true;
        }
        return h;
    }

    /// <summary>True for lines that continue the record above whatever else they look like: indented lines and
    /// the unindented parts of Java, .NET, Go and PowerShell error output.</summary>
    public static bool IsContinuationLine(ReadOnlySpan<char> s)
    {
        char c = s[0];
        if (c == ' ' || c == '\t') return true;
        return c switch
        {
            'a' => s.StartsWith("at ", StringComparison.Ordinal),
            'A' => s.StartsWith("At line:", StringComparison.Ordinal) || (s.StartsWith("At ", StringComparison.Ordinal) && s.IndexOf(" char:", StringComparison.Ordinal) > 0),
            'C' => s.StartsWith("Caused by:", StringComparison.Ordinal),
            'S' => s.StartsWith("Suppressed:", StringComparison.Ordinal),
            '.' => s.StartsWith("...", StringComparison.Ordinal),
            '-' => s.StartsWith("---", StringComparison.Ordinal),
            '+' => s.Length == 1 || s[1] == ' ' || s[1] == '~',
            'g' => s.StartsWith("goroutine ", StringComparison.Ordinal),
            'D' => s.StartsWith("During handling of the above exception", StringComparison.Ordinal),
            'T' => s.StartsWith("The above exception was the direct cause", StringComparison.Ordinal)
                   || s.StartsWith("Traceback (most recent call last)", StringComparison.Ordinal),
            _ => false,
        };
    }

    /// <summary>A stack frame line (Java/.NET "at ...", Python "File ...", PowerShell "+ ..."): evidence of an exception.</summary>
    public static bool IsStackFrame(ReadOnlySpan<char> s)
    {
        var t = s.TrimStart();
        return t.StartsWith("at ", StringComparison.Ordinal) || t.StartsWith("File \"", StringComparison.Ordinal)
            || t.StartsWith("+ CategoryInfo", StringComparison.Ordinal) || t.StartsWith("+ FullyQualifiedErrorId", StringComparison.Ordinal);
    }

    /// <summary>Lines that name an exception without a level: "java.io.IOException: ...", "Unhandled exception. ...".</summary>
    public static bool MentionsException(ReadOnlySpan<char> s)
    {
        // One search finds both "Exception" and "exception" (it runs on most records; lines rarely have either).
        bool lowercase = false;
        for (int from = 0; from < s.Length;)
        {
            int k = s[from..].IndexOf("xception", StringComparison.Ordinal);
            if (k < 0) break;
            k += from;
            if (k > 0 && s[k - 1] == 'E') return true;
            lowercase |= k > 0 && s[k - 1] == 'e';
            from = k + 1;
        }
        return s.IndexOf("Error: ", StringComparison.Ordinal) >= 0
            || lowercase && s.IndexOf("Unhandled", StringComparison.OrdinalIgnoreCase) >= 0;
    }

    public static LogSeverity FromSyslogSeverity(int severity) => severity switch
    {
        <= 2 => LogSeverity.Critical,
        3 => LogSeverity.Error,
        4 => LogSeverity.Warning,
        5 or 6 => LogSeverity.Info,
        _ => LogSeverity.Debug,
    };

    private static bool TrySyslogPriority(ReadOnlySpan<char> s, out int pri, out int after)
    {
        pri = 0; after = 0;
        int i = 1;
        while (i < s.Length && i <= 4 && IsDigit(s[i])) pri = pri * 10 + (s[i++] - '0');
        if (i == 1 || i >= s.Length || s[i] != '>' || pri > 191) return false;
        after = i + 1;
        return true;
    }

    /// <summary>Length of a timestamp starting at <paramref name="p"/>, or 0.</summary>
    internal static int MatchTimestamp(ReadOnlySpan<char> s, int p)
    {
        if (p >= s.Length) return 0;
        var t = s[p..];
        if (t.Length < 8) return 0;
        char c = t[0];
        if (IsDigit(c))
        {
            // 2024-01-15T10:23:45.123Z, 2024-01-15 10:23:45,123 +02:00, 2024/01/15 10:23:45
            if (t.Length >= 10 && Digits(t, 0, 4) && (t[4] == '-' || t[4] == '/') && Digits(t, 5, 2) && t[7] == t[4] && Digits(t, 8, 2))
            {
                int i = 10;
                if (i + 1 < t.Length && (t[i] == 'T' || t[i] == ' '))
                {
                    int time = MatchTime(t, i + 1);
                    if (time > 0) { i += 1 + time; i += MatchZone(t, i); }
                }
                return i;
            }
            // 1/15/2024 10:23:45 AM
            int slash = 0;
            int k = 0;
            while (k < t.Length && k < 10 && (IsDigit(t[k]) || t[k] == '/')) { if (t[k] == '/') slash++; k++; }
            if (slash == 2 && k >= 8 && k < t.Length && t[k] == ' ' && Digits(t, k - 4, 4))
            {
                int time = MatchTime(t, k + 1);
                if (time > 0)
                {
                    int i = k + 1 + time;
                    if (i + 2 < t.Length + 1 && i + 3 <= t.Length && t[i] == ' ' && (t[i + 1] == 'A' || t[i + 1] == 'P') && t[i + 2] == 'M') i += 3;
                    return i;
                }
            }
            // 10:23:45.123 (logback, Serilog console)
            int only = MatchTime(t, 0);
            return only >= 8 ? only : 0;
        }
        if (c >= 'A' && c <= 'Z')
        {
            // Jan 15 10:23:45 [2024] (syslog), Mon Jan 15 10:23:45.123456 2024 (Apache error log)
            int i = 0;
            if (IsWeekday(t) && t.Length > 8 && t[3] == ' ') i = 4;
            if (!IsMonth(t[i..]) || t.Length < i + 15 || t[i + 3] != ' ') return 0;
            i += 4;
            if (t[i] == ' ') i++;
            if (!IsDigit(t[i])) return 0;
            i++;
            if (i < t.Length && IsDigit(t[i])) i++;
            if (i >= t.Length || t[i] != ' ') return 0;
            int time = MatchTime(t, i + 1);
            if (time == 0) return 0;
            i += 1 + time;
            if (i + 5 <= t.Length && t[i] == ' ' && Digits(t, i + 1, 4) && (i + 5 == t.Length || !IsDigit(t[i + 5]))) i += 5;
            return i;
        }
        return 0;
    }

    /// <summary>HH:mm[:ss[.fraction]]; 0 when absent.</summary>
    private static int MatchTime(ReadOnlySpan<char> t, int i)
    {
        if (i + 5 > t.Length || !Digits(t, i, 2) || t[i + 2] != ':' || !Digits(t, i + 3, 2)) return 0;
        int j = i + 5;
        if (j + 3 <= t.Length && t[j] == ':' && Digits(t, j + 1, 2))
        {
            j += 3;
            if (j + 1 < t.Length && (t[j] == '.' || t[j] == ',') && IsDigit(t[j + 1]))
            {
                j++;
                while (j < t.Length && IsDigit(t[j])) j++;
            }
        }
        return j - i;
    }

    /// <summary>Z, +02:00, +0200, " +00:00" (Serilog, Apache); 0 when absent.</summary>
    private static int MatchZone(ReadOnlySpan<char> t, int i)
    {
        if (i >= t.Length) return 0;
        if (t[i] == 'Z') return 1;
        int start = i;
        if (t[i] == ' ') i++;
        if (i + 5 > t.Length || (t[i] != '+' && t[i] != '-') || !Digits(t, i + 1, 2)) return 0;
        i += 3;
        if (t[i] == ':') i++;
        if (!Digits(t, i, 2)) return 0;
        return i + 2 - start;
    }

    /// <summary>klog/glog: "E0115 10:23:45.123456   1234 file.go:12] message".</summary>
    private static bool TryKlog(ReadOnlySpan<char> s, ref LogLineHeader h)
    {
        if (s.Length < 14 || "IWEF".IndexOf(s[0]) < 0 || !Digits(s, 1, 4) || s[5] != ' ') return false;
        int time = MatchTime(s, 6);
        if (time < 8) return false;
        h.StartsRecord = true;
        h.TimestampStart = 1;
        h.TimestampLength = 5 + time;
        h.Severity = s[0] switch { 'I' => LogSeverity.Info, 'W' => LogSeverity.Warning, 'E' => LogSeverity.Error, _ => LogSeverity.Critical };
        return true;
    }

    /// <summary>nginx/Apache access log: 'host - user [15/Jan/2024:10:23:45 +0000] "GET /x HTTP/1.1" 500 123 ...'.
    /// The status gives the severity: 5xx error, 4xx warning.</summary>
    private static bool TryAccessLog(ReadOnlySpan<char> s, ref LogLineHeader h)
    {
        char c0 = s[0];
        if (!(IsDigit(c0) || (c0 | 0x20) is >= 'a' and <= 'f' || c0 == ':')) return false;
        var head = s[..Math.Min(s.Length, 100)];
        int open = head.IndexOf(" [", StringComparison.Ordinal);
        if (open < 0) return false;
        int ts = open + 2;
        // dd/Mon/yyyy:HH:mm:ss zone
        if (ts + 26 > s.Length || !Digits(s, ts, 2) || s[ts + 2] != '/' || !IsMonth(s[(ts + 3)..]) || s[ts + 6] != '/'
            || !Digits(s, ts + 7, 4) || s[ts + 11] != ':') return false;
        int time = MatchTime(s, ts + 12);
        if (time < 8) return false;
        int close = s[ts..].IndexOf(']');
        if (close < 0) return false;
        close += ts;
        h.StartsRecord = true;
        h.TimestampStart = ts;
        h.TimestampLength = close - ts;
        h.Severity = LogSeverity.Info;
        int q = close + 1;
        if (q + 2 < s.Length && s[q] == ' ' && s[q + 1] == '"')
        {
            int endQuote = s[(q + 2)..].IndexOf('"');
            if (endQuote >= 0)
            {
                int st = q + 2 + endQuote + 1;
                if (st + 4 <= s.Length && s[st] == ' ' && Digits(s, st + 1, 3))
                    h.Severity = s[st + 1] switch { '5' => LogSeverity.Error, '4' => LogSeverity.Warning, _ => LogSeverity.Info };
            }
        }
        return true;
    }

    /// <summary>First level word within the line's head: "ERROR", "[WRN]", "|Info|", "level=warn", "[error]",
    /// "[core:crit]", ".NET's fail:". <paramref name="opensLine"/> is true when the level is the line's first word,
    /// which makes the line a record header even without a timestamp ("ERROR:root:...", "fail: App[0]").</summary>
    internal static LogSeverity FindLevel(ReadOnlySpan<char> s, int from, int lineStart, out bool opensLine)
    {
        opensLine = false;
        int end = Math.Min(s.Length, from + LevelSearchChars);
        bool previousIsWord = from > 0 && IsWordChar(s[from - 1]);
        for (int i = from; i < end;)
        {
            // The candidates are the letters that start a word; eight characters are tested at once, and only the
            // words that start with a level word's initial are measured.
            int width = Vector128.IsHardwareAccelerated && i + 8 <= s.Length ? 8 : 1;
            uint starts = width == 8 ? WordStarts(s, i, ref previousIsWord) : WordStart(s[i], ref previousIsWord);
            if (end - i < width) starts &= (1u << (end - i)) - 1;
            while (starts != 0)
            {
                int k = i + BitOperations.TrailingZeroCount(starts);
                starts &= starts - 1;
                if (!IsLevelInitial(s[k])) continue;
                int j = k + 1;
                while (j < s.Length && IsWordChar(s[j])) j++;
                int length = j - k;
                if (length > 11 || (LevelInitialsByLength[length] >> ((s[k] | 0x20) - 'a') & 1) == 0) continue;
                bool atStart = k == lineStart || (k == lineStart + 1 && s[lineStart] == '[');
                var severity = LevelWord(s.Slice(k, length), atStart, k > 0 ? s[k - 1] : '\0', j < s.Length ? s[j] : '\0');
                if (severity != LogSeverity.Unknown)
                {
                    opensLine = atStart;
                    return severity;
                }
            }
            i += width;
        }
        return LogSeverity.Unknown;
    }

    /// <summary>Bit k set: s[i + k] is an ASCII letter and s[i + k - 1] is not a word character (eight characters).</summary>
    private static uint WordStarts(ReadOnlySpan<char> s, int i, ref bool previousIsWord)
    {
        var v = Vector128.LoadUnsafe(ref Unsafe.As<char, ushort>(ref MemoryMarshal.GetReference(s)), (nuint)i);
        var letter = Vector128.LessThanOrEqual((v | Vector128.Create((ushort)0x20)) - Vector128.Create((ushort)'a'), Vector128.Create((ushort)('z' - 'a')));
        var word = letter | Vector128.LessThanOrEqual(v - Vector128.Create((ushort)'0'), Vector128.Create((ushort)9)) | Vector128.Equals(v, Vector128.Create((ushort)'_'));
        uint wordBits = word.ExtractMostSignificantBits();
        uint starts = letter.ExtractMostSignificantBits() & ~(wordBits << 1 | (previousIsWord ? 1u : 0u));
        previousIsWord = (wordBits & 0x80) != 0;
        return starts;
    }

    private static uint WordStart(char c, ref bool previousIsWord)
    {
        uint start = IsAsciiLetter(c) && !previousIsWord ? 1u : 0u;
        previousIsWord = IsWordChar(c);
        return start;
    }

    /// <summary>Bit k set: the letter 'a' + k (either case) starts a level word (E W I D T F C S V N A P).</summary>
    private const uint LevelInitials = 1u << ('e' - 'a') | 1u << ('w' - 'a') | 1u << ('i' - 'a') | 1u << ('d' - 'a') | 1u << ('t' - 'a')
        | 1u << ('f' - 'a') | 1u << ('c' - 'a') | 1u << ('s' - 'a') | 1u << ('v' - 'a') | 1u << ('n' - 'a') | 1u << ('a' - 'a') | 1u << ('p' - 'a');

    /// <summary>By word length: the initials (bit k: 'a' + k, either case) of the level words of that length, so that
    /// most words are dismissed before <see cref="LevelWord"/> looks at them.</summary>
    private static readonly uint[] LevelInitialsByLength =
    [
        0, 0, 0,
        Initials("ewidtvf"), // ERR WRN INF DBG TRC VRB FTL
        Initials("wicfdt"), // WARN INFO CRIT FINE FAIL fail crit dbug trce
        Initials("efdtapf"), // ERROR FATAL DEBUG TRACE EMERG ALERT PANIC FINER
        Initials("snf"), // SEVERE NOTICE FINEST
        Initials("wv"), // WARNING VERBOSE
        Initials("c"), // CRITICAL
        0, 0,
        Initials("i"), // INFORMATION
    ];

    private static uint Initials(string letters)
    {
        uint bits = 0;
        foreach (char c in letters) bits |= 1u << (c - 'a');
        return bits;
    }

    /// <summary>For an ASCII letter: can a level word start with it?</summary>
    private static bool IsLevelInitial(char letter) => (LevelInitials >> ((letter | 0x20) - 'a') & 1) != 0;

    /// <summary>The severity a word names, or Unknown. Each case-insensitive comparison is guarded by the word's
    /// first letter (level words are ASCII), so a word costs one or two character tests, not a string comparison per level.</summary>
    internal static LogSeverity LevelWord(ReadOnlySpan<char> w, bool atStart, char before, char after)
    {
        char first = (char)(w[0] | 0x20);
        bool upper = IsAllUpper(w);
        bool bracketed = (before == '[' || before == ':') && after == ']';
        switch (w.Length)
        {
            case 3:
                if (!upper) return LogSeverity.Unknown;
                return w switch
                {
                    "ERR" => LogSeverity.Error,
                    "WRN" => LogSeverity.Warning,
                    "INF" => LogSeverity.Info,
                    "DBG" => LogSeverity.Debug,
                    "TRC" or "VRB" => LogSeverity.Trace,
                    "FTL" => LogSeverity.Critical,
                    _ => LogSeverity.Unknown,
                };
            case 4:
                if (first == 'w' && w.Equals("WARN", StringComparison.OrdinalIgnoreCase)) return LogSeverity.Warning;
                if (first == 'i' && w.Equals("INFO", StringComparison.OrdinalIgnoreCase)) return LogSeverity.Info;
                if (upper) return w switch { "CRIT" => LogSeverity.Critical, "FINE" => LogSeverity.Debug, "FAIL" => LogSeverity.Error, _ => LogSeverity.Unknown };
                // Microsoft.Extensions.Logging console: "fail: ", "crit: ", "dbug: ", "trce: "; Apache/nginx "[crit]".
                if ((atStart && after == ':') || bracketed)
                    return w switch { "fail" => LogSeverity.Error, "crit" => LogSeverity.Critical, "dbug" => LogSeverity.Debug, "trce" => LogSeverity.Trace, _ => LogSeverity.Unknown };
                return LogSeverity.Unknown;
            case 5:
                switch (first)
                {
                    case 'e' when w.Equals("ERROR", StringComparison.OrdinalIgnoreCase): return LogSeverity.Error;
                    case 'f' when w.Equals("FATAL", StringComparison.OrdinalIgnoreCase): return LogSeverity.Critical;
                    case 'd' when w.Equals("DEBUG", StringComparison.OrdinalIgnoreCase): return LogSeverity.Debug;
                    case 't' when w.Equals("TRACE", StringComparison.OrdinalIgnoreCase): return LogSeverity.Trace;
                }
                if (upper || bracketed || (atStart && after == ':'))
                    return first switch
                    {
                        'e' when w.Equals("EMERG", StringComparison.OrdinalIgnoreCase) => LogSeverity.Critical,
                        'a' when w.Equals("ALERT", StringComparison.OrdinalIgnoreCase) => LogSeverity.Critical,
                        'p' when w.Equals("PANIC", StringComparison.OrdinalIgnoreCase) => LogSeverity.Critical,
                        'f' when w.Equals("FINER", StringComparison.OrdinalIgnoreCase) => LogSeverity.Trace,
                        _ => LogSeverity.Unknown,
                    };
                return LogSeverity.Unknown;
            case 6:
                if (first == 's' && w.Equals("SEVERE", StringComparison.OrdinalIgnoreCase)) return LogSeverity.Error;
                if (first == 'n' && w.Equals("NOTICE", StringComparison.OrdinalIgnoreCase)) return LogSeverity.Info;
                if (w.SequenceEqual("FINEST")) return LogSeverity.Trace;
                return LogSeverity.Unknown;
            case 7:
                if (first == 'w' && w.Equals("WARNING", StringComparison.OrdinalIgnoreCase)) return LogSeverity.Warning;
                if (first == 'v' && w.Equals("VERBOSE", StringComparison.OrdinalIgnoreCase)) return LogSeverity.Trace;
                return LogSeverity.Unknown;
            case 8:
                return first == 'c' && w.Equals("CRITICAL", StringComparison.OrdinalIgnoreCase) ? LogSeverity.Critical : LogSeverity.Unknown;
            case 11:
                return first == 'i' && w.Equals("INFORMATION", StringComparison.OrdinalIgnoreCase) ? LogSeverity.Info : LogSeverity.Unknown;
            default:
                return LogSeverity.Unknown;
        }
    }

    private static bool IsAllUpper(ReadOnlySpan<char> w)
    {
        foreach (char c in w) if (c is < 'A' or > 'Z') return false;
        return true;
    }

    private static bool IsWeekday(ReadOnlySpan<char> t) =>
        t.Length >= 3 && t[..3] is "Mon" or "Tue" or "Wed" or "Thu" or "Fri" or "Sat" or "Sun";

    private static bool IsMonth(ReadOnlySpan<char> t) =>
        t.Length >= 3 && t[..3] is "Jan" or "Feb" or "Mar" or "Apr" or "May" or "Jun" or "Jul" or "Aug" or "Sep" or "Oct" or "Nov" or "Dec";

    private static bool Digits(ReadOnlySpan<char> t, int i, int count)
    {
        if (i < 0 || i + count > t.Length) return false;
        for (int k = i; k < i + count; k++) if (!IsDigit(t[k])) return false;
        return true;
    }

    internal static bool IsDigit(char c) => (uint)(c - '0') <= 9;
    internal static bool IsAsciiLetter(char c) => (uint)((c | 0x20) - 'a') <= 'z' - 'a';
    internal static bool IsWordChar(char c) => IsAsciiLetter(c) || IsDigit(c) || c == '_';
}
