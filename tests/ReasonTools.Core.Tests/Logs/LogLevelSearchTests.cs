using System.Text;
using ReasonTools.Core.Logs;

namespace ReasonTools.Core.Tests.Logs;

/// <summary>The level search tests eight characters at once; these pin it to the word-by-word rule it replaced, on
/// the lines where a vector step could go wrong: words across an eight-character step, the end of the search
/// window, short lines, digits and underscores before letters, non-ASCII letters.</summary>
public class LogLevelSearchTests
{
    [Theory]
    [InlineData("Mar  2 06:25:00 host01 sshd[812]: error: maximum authentication attempts exceeded", LogSeverity.Error)]
    [InlineData("Mar  2 06:25:00 host01 systemd[1]: Started cron.service - Daily job 12.", LogSeverity.Unknown)]
    [InlineData("Mar  2 06:25:00 host01 kernel: [ 12.345] EXT4-fs error (device sda1): inode #5", LogSeverity.Error)]
    [InlineData("2024-03-02 06:25:00 status half-configured libc6:amd64 2.36-9+deb12u4", LogSeverity.Unknown)]
    [InlineData("Setting up libssl3:amd64 (3.0.11-1~deb12u2) ...", LogSeverity.Unknown)]
    [InlineData("dpkg: warning: old systemd package post-removal script subprocess returned error exit status 1", LogSeverity.Warning)]
    [InlineData("E: Sub-process /usr/bin/dpkg returned an error code (1)", LogSeverity.Error)]
    [InlineData("abcdefg ERROR x", LogSeverity.Error)] // the level starts at the eighth character
    [InlineData("abcdef WARNING", LogSeverity.Warning)] // ... and runs across the step
    [InlineData("x_ERROR 1ERROR ERROR_2", LogSeverity.Unknown)] // no word boundary before or after any of them
    [InlineData("ÄERROR", LogSeverity.Error)] // a non-ASCII letter is not a word character
    [InlineData("Érror ÉRROR naïve INFO", LogSeverity.Info)]
    public void System_log_lines_get_the_level_they_name(string line, LogSeverity severity)
    {
        Assert.Equal(severity, LogLineClassifier.Classify(line).Severity);
        Assert.Equal(Reference(line, 0, 0, out bool opens), LogLineClassifier.FindLevel(line, 0, 0, out bool actual));
        Assert.Equal(opens, actual);
    }

    [Fact]
    public void Level_search_gives_the_word_by_word_answer_at_every_offset_and_window_end()
    {
        var random = new Random(11);
        string[] words = ["ERROR", "warn", "Info", "fail", "crit", "WRN", "DBG", "x", "error_", "_error", "E1", "FINEST", "Information", "CRITICAL",
            "status", "ünïcode", "12", "[", "]", ":", "abcdefghijk", "VERBOSE", "notice", "Severe", "panic", "EMERG"];
        var line = new StringBuilder();
        for (int n = 0; n < 3000; n++)
        {
            line.Clear();
            for (int w = random.Next(1, 50); w > 0; w--)
                line.Append(words[random.Next(words.Length)]).Append(" :[]_-"[random.Next(6)]);
            string s = line.ToString();
            int from = random.Next(Math.Min(s.Length, 20));
            int start = random.Next(2) == 0 ? from : Math.Max(0, from - 1);
            var expected = Reference(s, from, start, out bool expectedOpens);
            Assert.True(expected == LogLineClassifier.FindLevel(s, from, start, out bool opens), $"'{s}' from {from}");
            Assert.Equal(expectedOpens, opens);
        }
    }

    /// <summary>The search as it was written before it was vectorised: walk the words of the window in order.</summary>
    private static LogSeverity Reference(string s, int from, int lineStart, out bool opensLine)
    {
        opensLine = false;
        int end = Math.Min(s.Length, from + 160);
        for (int i = from; i < end;)
        {
            if (!LogLineClassifier.IsAsciiLetter(s[i])) { i++; continue; }
            int j = i + 1;
            while (j < s.Length && LogLineClassifier.IsWordChar(s[j])) j++;
            if (j - i is >= 3 and <= 11 && (i == 0 || !LogLineClassifier.IsWordChar(s[i - 1])))
            {
                bool atStart = i == lineStart || (i == lineStart + 1 && s[lineStart] == '[');
                var severity = LogLineClassifier.LevelWord(s.AsSpan(i, j - i), atStart, i > 0 ? s[i - 1] : '\0', j < s.Length ? s[j] : '\0');
                if (severity != LogSeverity.Unknown) { opensLine = atStart; return severity; }
            }
            i = j;
        }
        return LogSeverity.Unknown;
    }
}
