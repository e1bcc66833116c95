using ReasonTools.Core.Logs;

namespace ReasonTools.Core.Tests.Logs;

public class LogReducerTests
{
    [Fact]
    public void Java_stack_trace_interleaved_with_other_lines_is_one_record()
    {
        var r = TestLogs.Reduce("""
            2024-01-15 10:00:00,001 INFO  [main] c.e.App - starting
            2024-01-15 10:00:01,002 ERROR [main] c.e.Db - Query failed
            java.sql.SQLException: connection reset
            	at com.example.Db.query(Db.java:10)
            	at com.example.App.run(App.java:20)
            Caused by: java.net.SocketException: reset by peer
            	at java.net.Socket.read(Socket.java:99)
            	... 3 more
            2024-01-15 10:00:02,003 INFO  [main] c.e.App - still running
            2024-01-15 10:00:03,004 WARN  [main] c.e.App - retrying
            """);
        Assert.Equal(4, r.Totals.Records);
        var error = Assert.Single(r.Templates, t => t.Severity == LogSeverity.Error);
        Assert.True(error.HasException);
        Assert.Equal(2, error.First.LineNumber);
        Assert.Equal(8, error.First.EndLineNumber);
        Assert.Contains("Caused by: java.net.SocketException", error.First.Text);
        Assert.DoesNotContain("still running", error.First.Text);
        Assert.Equal(1, r.Totals.Errors);
        Assert.Equal(1, r.Totals.Warnings);
    }

    [Fact]
    public void Dotnet_unhandled_exception_without_level_is_an_error_record()
    {
        var r = TestLogs.Reduce("""
            Starting worker
            Unhandled exception. System.InvalidOperationException: Sequence contains no elements
               at System.Linq.ThrowHelper.ThrowNoElementsException()
               at Worker.Program.Main(String[] args) in /src/Program.cs:line 12
            Worker stopped
            """);
        var e = Assert.IsType<LogRecordSample>(r.FirstError);
        Assert.Equal(2, e.LineNumber);
        Assert.Equal(4, e.EndLineNumber);
        Assert.Equal(LogSeverity.Error, e.Severity);
        Assert.Equal("Starting worker", Assert.Single(r.ContextBeforeFirstError).Text);
    }

    [Fact]
    public void Python_traceback_ends_at_its_exception_line()
    {
        var r = TestLogs.Reduce("""
            Traceback (most recent call last):
              File "/app/main.py", line 10, in <module>
                run()
              File "/app/main.py", line 6, in run
                raise ValueError("bad input 42")
            ValueError: bad input 42
            Next job started
            """);
        Assert.Equal(2, r.Totals.Records);
        var e = r.FirstError!;
        Assert.Equal(6, e.EndLineNumber);
        Assert.EndsWith("ValueError: bad input 42", e.Text);
        Assert.Contains(r.Templates, t => t.Template.Contains("ValueError: bad input <n>", StringComparison.Ordinal));
    }

    [Fact]
    public void Python_logging_exception_with_chained_traceback_stays_one_record()
    {
        var r = TestLogs.Reduce("""
            2024-01-15 10:00:00,001 - worker - ERROR - job failed
            Traceback (most recent call last):
              File "/app/job.py", line 3, in run
                connect()
            ConnectionError: refused

            During handling of the above exception, another exception occurred:

            Traceback (most recent call last):
              File "/app/job.py", line 5, in run
                raise RuntimeError("job aborted")
            RuntimeError: job aborted
            2024-01-15 10:00:01,001 - worker - INFO - next job
            """);
        Assert.Equal(2, r.Totals.Records);
        Assert.Equal(12, r.FirstError!.EndLineNumber);
        Assert.Contains(r.Templates, t => t.Template.EndsWith("RuntimeError: job aborted", StringComparison.Ordinal));
    }

    [Fact]
    public void PowerShell_error_record_is_one_error()
    {
        var r = TestLogs.Reduce("""
            Get-Item : Cannot find path 'C:\missing' because it does not exist.
            At line:1 char:1
            + Get-Item C:\missing
            + ~~~~~~~~~~~~~~~~~~~
                + CategoryInfo          : ObjectNotFound: (C:\missing:String) [Get-Item], ItemNotFoundException
                + FullyQualifiedErrorId : PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand
            Done.
            """);
        Assert.Equal(2, r.Totals.Records);
        Assert.Equal(LogSeverity.Error, r.FirstError!.Severity);
        Assert.Equal(6, r.FirstError.EndLineNumber);
    }

    [Fact]
    public void Journald_export_records_are_grouped_with_priority_and_message()
    {
        var r = TestLogs.Reduce("""
            __CURSOR=s=739ad463;i=4ece7;b=6c7c6013
            __REALTIME_TIMESTAMP=1705312345123456
            _BOOT_ID=6c7c6013a8164f4d8fb4f4f7f7b0b0b0
            PRIORITY=6
            SYSLOG_IDENTIFIER=systemd
            MESSAGE=Started nginx.service.

            __CURSOR=s=739ad463;i=4ece8;b=6c7c6013
            __REALTIME_TIMESTAMP=1705312346123456
            PRIORITY=3
            SYSLOG_IDENTIFIER=nginx
            MESSAGE=bind() to 0.0.0.0:80 failed (98: Address already in use)

            """);
        Assert.Equal(2, r.Totals.Records);
        var e = r.FirstError!;
        Assert.Equal(8, e.LineNumber);
        Assert.Contains("MESSAGE=bind() to 0.0.0.0:80 failed", e.Text);
        Assert.DoesNotContain("__CURSOR", e.Text);
        Assert.Contains("__REALTIME_TIMESTAMP=1705312346123456 (2024-01-15T09:52:26.123456Z)", e.Text);
        Assert.Contains(r.Templates, t => t.Template.StartsWith("bind() to <ip> failed", StringComparison.Ordinal));
    }

    [Fact]
    public void Repeats_are_counted_with_first_and_last_occurrence()
    {
        var lines = Enumerable.Range(0, 500).Select(i => $"2024-01-15 10:{i / 60 % 60:00}:{i % 60:00},000 WARN  [pool] c.e.Pool - {TestLogs.RepeatedWarning} (waited {i * 7} ms)")
            .Prepend("2024-01-15 09:59:59,000 INFO  [main] c.e.App - started").ToList();
        var r = TestLogs.Reduce(lines);
        var warning = Assert.Single(r.Templates, t => t.Severity == LogSeverity.Warning);
        Assert.Equal(500, warning.Count);
        Assert.Equal(2, warning.First.LineNumber);
        Assert.Equal(501, warning.LastLineNumber);
        Assert.Equal("2024-01-15 10:00:00,000", warning.FirstTimestamp);
        Assert.Equal("2024-01-15 10:08:19,000", warning.LastTimestamp);
        Assert.Equal(2, r.Totals.DistinctTemplates);
    }

    [Fact]
    public void Ranking_puts_errors_first_then_warnings_and_rare_before_frequent()
    {
        var lines = new List<string>();
        for (int i = 0; i < 50; i++) lines.Add($"2024-01-15 10:00:00 INFO frequent info {i}");
        lines.Add("2024-01-15 10:00:01 INFO rare info");
        for (int i = 0; i < 20; i++) lines.Add($"2024-01-15 10:00:02 ERROR frequent error {i}");
        lines.Add("2024-01-15 10:00:03 WARN a warning");
        lines.Add("2024-01-15 10:00:04 ERROR rare error");
        lines.Add("2024-01-15 10:00:05 DEBUG debug detail");
        var order = TestLogs.Reduce(lines).Templates.Select(t => t.First.Text[20..]).ToList();
        Assert.Equal(["ERROR rare error", "ERROR frequent error 0", "WARN a warning", "INFO rare info", "INFO frequent info 0", "DEBUG debug detail"], order);
    }

    [Fact]
    public void Context_before_the_first_error_comes_from_the_same_source()
    {
        var reducer = new LogReducer();
        reducer.Add("a.log", 1, "2024-01-15 10:00:00 INFO from a");
        reducer.Add("b.log", 1, "2024-01-15 10:00:00 INFO first of b");
        reducer.Add("b.log", 2, "2024-01-15 10:00:01 ERROR fails in b");
        var r = reducer.Complete();
        Assert.Equal("b.log", r.FirstError!.Source);
        var context = Assert.Single(r.ContextBeforeFirstError);
        Assert.Equal("b.log", context.Source);
        Assert.Equal(2, r.Sources.Count);
    }

    [Fact]
    public void Template_table_is_bounded_and_keeps_errors_when_full()
    {
        var options = new LogReducerOptions { MaxTemplates = 64 };
        var lines = new List<string>();
        for (int i = 0; i < 5000; i++) lines.Add($"2024-01-15 10:00:00 INFO unique message {Word(i)}");
        lines.Insert(2500, "2024-01-15 10:00:00 ERROR the one that matters");
        var r = TestLogs.Reduce(lines, options: options);
        Assert.True(r.Templates.Count <= 64);
        Assert.Equal(5001, r.Totals.DistinctTemplates);
        Assert.True(r.Totals.EvictedTemplates > 4000);
        Assert.Equal(0, r.Totals.EvictedWarningOrWorse);
        Assert.Equal("2024-01-15 10:00:00 ERROR the one that matters", r.Templates[0].First.Text);
        Assert.Equal(r.Totals.Records, r.Templates.Sum(t => t.Count) + r.Totals.EvictedRecords);

        static string Word(int i) => new(i.ToString().Select(c => (char)('a' + c - '0')).ToArray());
    }

    [Fact]
    public void Records_longer_than_the_cap_are_cut_and_say_so()
    {
        var lines = new List<string> { "2024-01-15 10:00:00 ERROR huge failure", "java.lang.StackOverflowError" };
        for (int i = 0; i < 300; i++) lines.Add($"\tat com.example.Recursion.call(Recursion.java:{i})");
        var r = TestLogs.Reduce(lines, options: new LogReducerOptions { MaxRecordChars = 1000 });
        var e = r.FirstError!;
        Assert.Equal(302, e.EndLineNumber);
        Assert.True(e.Text.Length < 1200);
        Assert.Contains("record cut: 302 lines in all", e.Text);
        Assert.Equal(1, r.Totals.TruncatedRecords);
    }

    [Fact]
    public void Totals_count_lines_blank_lines_and_bytes()
    {
        var r = TestLogs.Reduce(["INFO é", "", "INFO b"]);
        Assert.Equal(3, r.Totals.Lines);
        Assert.Equal(1, r.Totals.BlankLines);
        Assert.Equal(2, r.Totals.Records);
        Assert.Equal(8 + 1 + 7, r.Totals.Bytes); // "é" is two bytes; each line ends with one
    }

    [Fact]
    public void Complete_ends_the_input()
    {
        var reducer = new LogReducer();
        reducer.Add("a", 1, "x");
        reducer.Complete();
        Assert.Throws<InvalidOperationException>(() => reducer.Add("a", 2, "y"));
        Assert.Throws<InvalidOperationException>(() => reducer.Complete());
    }

    [Fact]
    public void Invalid_options_are_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogReducer(new LogReducerOptions { MaxTemplates = 1 }));
}
