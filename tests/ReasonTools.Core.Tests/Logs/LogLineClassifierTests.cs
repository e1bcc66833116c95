using ReasonTools.Core.Logs;

namespace ReasonTools.Core.Tests.Logs;

public class LogLineClassifierTests
{
    [Theory]
    [InlineData("2024-01-15T10:23:45.123Z ERROR something broke", LogSeverity.Error, "2024-01-15T10:23:45.123Z")]
    [InlineData("2024-01-15 10:23:45,123 WARN  [main] c.x.Foo - slow", LogSeverity.Warning, "2024-01-15 10:23:45,123")]
    [InlineData("10:23:45.123 [main] DEBUG c.x.Foo - detail", LogSeverity.Debug, "10:23:45.123")]
    [InlineData("2024-01-15 10:23:45.1234|FATAL|App.Program|crashed", LogSeverity.Critical, "2024-01-15 10:23:45.1234")]
    [InlineData("[10:23:45 ERR] Unhandled exception", LogSeverity.Error, "10:23:45")]
    [InlineData("2024-01-15 10:23:45.123 +00:00 [WRN] Disk low", LogSeverity.Warning, "2024-01-15 10:23:45.123 +00:00")]
    [InlineData("2024-01-15 10:23:45,123 - shop.api - ERROR - boom", LogSeverity.Error, "2024-01-15 10:23:45,123")]
    [InlineData("Jan 15 10:23:45 web01 sshd[812]: error: maximum authentication attempts exceeded", LogSeverity.Error, "Jan 15 10:23:45")]
    [InlineData("Jan  5 10:23:45 web01 systemd[1]: Started Session 4.", LogSeverity.Unknown, "Jan  5 10:23:45")]
    [InlineData("<11>1 2024-01-15T10:23:45.003Z web01 app 123 ID47 - disk failure", LogSeverity.Error, "2024-01-15T10:23:45.003Z")]
    [InlineData("2024/01/15 10:23:45 [error] 812#812: *5 connect() failed (111: Connection refused)", LogSeverity.Error, "2024/01/15 10:23:45")]
    [InlineData("[Mon Jan 15 10:23:45.123456 2024] [core:crit] [pid 1234] AH00037: Symbolic link not allowed", LogSeverity.Critical, "Mon Jan 15 10:23:45.123456 2024")]
    [InlineData("E0115 10:23:45.123456    1234 controller.go:112] sync failed", LogSeverity.Error, "0115 10:23:45.123456")]
    [InlineData("1/15/2024 10:23:45 AM Information: service started", LogSeverity.Info, "1/15/2024 10:23:45 AM")]
    public void Recognises_timestamp_and_level_of_common_formats(string line, LogSeverity severity, string timestamp)
    {
        var h = LogLineClassifier.Classify(line);
        Assert.True(h.StartsRecord);
        Assert.Equal(severity, h.Severity);
        Assert.Equal(timestamp, line.Substring(h.TimestampStart, h.TimestampLength));
    }

    [Theory]
    [InlineData("10.0.0.1 - - [15/Jan/2024:10:23:45 +0000] \"GET /api/x HTTP/1.1\" 503 12 \"-\" \"curl\"", LogSeverity.Error)]
    [InlineData("10.0.0.1 - bob [15/Jan/2024:10:23:45 +0000] \"POST /login HTTP/1.1\" 401 0 \"-\" \"curl\"", LogSeverity.Warning)]
    [InlineData("::1 - - [15/Jan/2024:10:23:45 +0000] \"GET / HTTP/2.0\" 200 512", LogSeverity.Info)]
    public void Access_log_severity_comes_from_the_status(string line, LogSeverity severity)
    {
        var h = LogLineClassifier.Classify(line);
        Assert.True(h.StartsRecord);
        Assert.Equal(severity, h.Severity);
        Assert.Equal("15/Jan/2024:10:23:45 +0000", line.Substring(h.TimestampStart, h.TimestampLength));
    }

    [Theory]
    [InlineData("fail: Microsoft.AspNetCore.Server.Kestrel[13]", LogSeverity.Error)]
    [InlineData("warn: Microsoft.AspNetCore.DataProtection[35]", LogSeverity.Warning)]
    [InlineData("ERROR:root:could not connect", LogSeverity.Error)]
    [InlineData("[WARNING] deprecated option", LogSeverity.Warning)]
    [InlineData("{\"@t\":\"2024-01-15T10:23:45Z\",\"@l\":\"Error\",\"@mt\":\"boom\"}", LogSeverity.Error)]
    public void Level_at_line_start_opens_a_record_without_timestamp(string line, LogSeverity severity)
    {
        var h = LogLineClassifier.Classify(line);
        Assert.True(h.StartsRecord);
        Assert.Equal(severity, h.Severity);
    }

    [Theory]
    [InlineData("2024-01-15 10:23:45 INFO processed 3 items, 0 errors", LogSeverity.Info)]
    [InlineData("2024-01-15 10:23:45 INFO c.x.ErrorController - ok", LogSeverity.Info)]
    [InlineData("2024-01-15 10:23:45 [pool-error_handler] started", LogSeverity.Unknown)]
    [InlineData("a quiet line with no level", LogSeverity.Unknown)]
    public void Level_words_inside_messages_and_names_do_not_mislead(string line, LogSeverity severity) =>
        Assert.Equal(severity, LogLineClassifier.Classify(line).Severity);

    [Theory]
    [InlineData("\tat com.example.Foo.bar(Foo.java:12)", true)]
    [InlineData("   at App.Program.Main() in /src/Program.cs:line 12", true)]
    [InlineData("Caused by: java.io.IOException: closed", true)]
    [InlineData("\t... 42 more", true)]
    [InlineData("--- End of inner exception stack trace ---", true)]
    [InlineData("At line:1 char:1", true)]
    [InlineData("+ Get-Item C:\\missing", true)]
    [InlineData("2024-01-15 10:23:45 INFO next", false)]
    [InlineData("plain text", false)]
    public void Continuation_lines(string line, bool continuation) =>
        Assert.Equal(continuation, LogLineClassifier.IsContinuationLine(line));
}
