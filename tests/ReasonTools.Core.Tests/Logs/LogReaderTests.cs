using System.IO.Compression;
using System.Text;
using ReasonTools.Core.Logs;

namespace ReasonTools.Core.Tests.Logs;

public sealed class LogReaderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "reasontools-logreader-" + Guid.NewGuid().ToString("N"));

    public LogReaderTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Encode(Encoding encoding, string text) => [.. encoding.GetPreamble(), .. encoding.GetBytes(text)];

    public static TheoryData<string> Encodings => ["utf-8", "utf-8-bom", "utf-16le", "utf-16be", "utf-16le-nobom"];

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Encodings_are_detected(string name)
    {
        const string Text = "première ligne\r\nzweite Zeile — ünïcode\nthird";
        byte[] bytes = name switch
        {
            "utf-8" => Encoding.UTF8.GetBytes(Text),
            "utf-8-bom" => Encode(new UTF8Encoding(true), Text),
            "utf-16le" => Encode(new UnicodeEncoding(false, true), Text),
            "utf-16be" => Encode(new UnicodeEncoding(true, true), Text),
            _ => new UnicodeEncoding(false, false).GetBytes(Text),
        };
        var lines = LogReader.ReadLines(LogSource.FromFile(Write("enc.log", bytes))).ToList();
        Assert.Equal(["première ligne", "zweite Zeile — ünïcode", "third"], lines.Select(l => l.Text));
        Assert.Equal([1L, 2L, 3L], lines.Select(l => l.LineNumber));
    }

    [Fact]
    public void Latin1_text_is_read_rather_than_refused()
    {
        var path = Write("latin1.log", Encoding.Latin1.GetBytes("Fehler: Datei geöffnet\nok"));
        Assert.Equal("Fehler: Datei geöffnet", LogReader.ReadLines(LogSource.FromFile(path)).First().Text);
    }

    [Fact]
    public void Gzip_is_detected_by_magic_bytes_not_extension()
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
            gzip.Write(Encode(new UnicodeEncoding(false, true), "line one\nline two\n"));
        var path = Write("rotated.txt", memory.ToArray());
        Assert.Equal(["line one", "line two"], LogReader.ReadLines(LogSource.FromFile(path)).Select(l => l.Text));
    }

    [Fact]
    public void Binary_input_is_an_error_naming_the_file()
    {
        var path = Write("image.png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, 1, 2, 3]);
        var e = Assert.Throws<LogInputException>(() => LogReader.ReadLines(LogSource.FromFile(path)).ToList());
        Assert.Equal(path, e.SourceName);
        Assert.Contains("binary", e.Reason);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void Missing_file_is_an_error_for_that_file_only()
    {
        var good = Write("good.log", Encoding.UTF8.GetBytes("2024-01-15 10:00:00 ERROR real problem\n"));
        var bad = Write("bad.bin", [0, 1, 2, 3, 0, 0, 7]);
        var reducer = new LogReducer();
        var errors = LogReader.ReadInto(reducer, [LogSource.FromFile(Path.Combine(_dir, "missing.log")), LogSource.FromFile(bad), LogSource.FromFile(good)]);
        Assert.Equal(2, errors.Count);
        Assert.Equal("file not found", errors[0].Reason);
        Assert.Contains("binary", errors[1].Reason);
        var r = reducer.Complete();
        Assert.Equal(good, r.FirstError!.Source);
        Assert.Equal(2, r.SkippedSources.Count);
        var prompt = LogPromptBuilder.Build(r, new LogPromptOptions(), TestLogs.CharsOver4);
        Assert.Contains("Not readable: ", prompt.Text);
        Assert.Contains("missing.log (file not found)", prompt.Text);
    }

    [Fact]
    public void Planted_root_cause_in_a_gzipped_file_reaches_the_prompt_with_its_line_number()
    {
        var log = TestLogs.Noise();
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
        using (var writer = new StreamWriter(gzip, new UTF8Encoding(false)))
            foreach (var line in log.Lines) writer.Write(line + "\r\n");
        var path = Write("app.log.1", memory.ToArray());

        var reducer = new LogReducer();
        Assert.Empty(LogReader.ReadInto(reducer, [LogSource.FromFile(path)]));
        var r = reducer.Complete();
        Assert.Equal(log.Lines.Count, r.Totals.Lines);
        Assert.Equal(log.PlantedLine, r.FirstError!.LineNumber);
        var prompt = LogPromptBuilder.Build(r, new LogPromptOptions { TokenBudget = 4096, ReserveForAnswer = 1024 }, TestLogs.Utf8Bytes);
        Assert.True(prompt.Tokens <= 3072);
        Assert.Contains($"{path}:{log.PlantedLine}", prompt.Text);
        Assert.Contains($"{path}:{log.BeforePlantedLine} ", prompt.Text);
    }

    [Fact]
    public void ReadInto_reduces_exactly_like_adding_lines_one_by_one()
    {
        var lines = TestLogs.Noise(60_000, seed: 3).Lines;
        lines.InsertRange(100, ["__CURSOR=s=1", "PRIORITY=3", "MESSAGE=disk 7 failed", "", "Traceback (most recent call last):", "  File \"/x.py\", line 1", "KeyError: 'id'",
            "2024-01-15 10:00:00 ERROR boom", "java.lang.IllegalStateException: x 1", "\tat a.b(C.java:1)", new string('z', 9000) + " 123"]);
        var path = Write("same.log", Encoding.UTF8.GetBytes(string.Join("\n", lines)));
        var options = new LogReducerOptions { MaxTemplates = 512, MaxRecordChars = 4000 };

        var viaReader = new LogReducer(options);
        LogReader.ReadInto(viaReader, [LogSource.FromFile(path)]);
        var a = viaReader.Complete();
        var b = TestLogs.Reduce(lines, path, options);

        Assert.Equal(b.Totals, a.Totals);
        Assert.Equal(b.Templates.Select(t => (t.Template, t.Count, t.First.LineNumber, t.LastLineNumber)), a.Templates.Select(t => (t.Template, t.Count, t.First.LineNumber, t.LastLineNumber)));
        Assert.Equal(b.FirstError, a.FirstError);
    }

    [Fact]
    public void ReadInto_stops_when_cancelled()
    {
        var path = Write("big.log", Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("2024-01-15 10:00:00 INFO line\n", 200_000))));
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => LogReader.ReadInto(new LogReducer(), [LogSource.FromFile(path)], cancellationToken: cts.Token));
    }

    [Fact]
    public void Errors_go_to_the_callback_and_reading_continues()
    {
        var good = Write("good.log", Encoding.UTF8.GetBytes("a\nb"));
        var failures = new List<LogInputException>();
        var lines = LogReader.ReadLines([LogSource.FromFile(Path.Combine(_dir, "nope.log")), LogSource.FromFile(good)], failures.Add).ToList();
        Assert.Equal(2, lines.Count);
        Assert.Single(failures);
    }

    [Fact]
    public void Overlong_line_is_truncated_with_a_marker_and_streamed_not_loaded()
    {
        // 64 MiB on one line, generated as it is read: the reader must not hold it.
        var stream = new GeneratedStream(64L << 20, "\ntail line\n");
        var options = new LogReaderOptions { MaxLineChars = 1000 };
        long before = GC.GetAllocatedBytesForCurrentThread();
        var lines = LogReader.ReadLines(LogSource.FromStream("stdin", stream), options).ToList();
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(2, lines.Count);
        Assert.StartsWith(new string('x', 1000) + " [... line truncated: ", lines[0].Text);
        Assert.Contains($"{(64L << 20) - 1000} more characters]", lines[0].Text);
        Assert.Equal(new LogLine("stdin", 2, "tail line"), lines[1]);
        Assert.True(allocated < 8L << 20, $"allocated {allocated} bytes");
    }

    [Fact]
    public void Line_just_over_the_cap_in_one_buffer_is_truncated_too()
    {
        var text = new string('y', 1500) + "\r\nnext";
        var lines = LogReader.ReadLines(LogSource.FromText("t", text), new LogReaderOptions { MaxLineChars = 1000 }).ToList();
        Assert.EndsWith("[... line truncated: 500 more characters]", lines[0].Text);
        Assert.Equal("next", lines[1].Text);
    }

    [Fact]
    public void Globs_expand_in_order_and_a_pattern_without_match_fails_alone()
    {
        Write("logs/b.log", Encoding.UTF8.GetBytes("b1"));
        Write("logs/a.log", Encoding.UTF8.GetBytes("a1"));
        Write("logs/old/c.log", Encoding.UTF8.GetBytes("c1"));
        Write("logs/readme.txt", Encoding.UTF8.GetBytes("r"));
        var sources = LogSource.FromPaths([Path.Combine(_dir, "logs", "*.log"), Path.Combine(_dir, "logs", "**", "c.log"), Path.Combine(_dir, "none", "*.log")]);
        Assert.Equal(["a.log", "b.log", "c.log", "*.log"], sources.Select(s => Path.GetFileName(s.Name)));
        var failures = new List<LogInputException>();
        var texts = LogReader.ReadLines(sources, failures.Add).Select(l => l.Text).ToList();
        Assert.Equal(["a1", "b1", "c1"], texts);
        Assert.Equal("no file matches this pattern", Assert.Single(failures).Reason);
    }

    [Fact]
    public async Task Async_reading_gives_the_same_lines()
    {
        var path = Write("async.log", Encoding.UTF8.GetBytes("one\ntwo\n\nfour"));
        var lines = new List<LogLine>();
        await foreach (var line in LogReader.ReadLinesAsync(LogSource.FromFile(path))) lines.Add(line);
        Assert.Equal(["one", "two", "", "four"], lines.Select(l => l.Text));
        Assert.Equal(4, lines[^1].LineNumber);

        var reducer = new LogReducer();
        var errors = await LogReader.ReadIntoAsync(reducer, [LogSource.FromFile(path)]);
        Assert.Empty(errors);
        Assert.Equal(4, reducer.Complete().Totals.Lines);
    }

    [Fact]
    public void Stdin_stream_is_left_open()
    {
        var stream = new MemoryStream(Encoding.UTF8.GetBytes("x\ny"));
        Assert.Equal(2, LogReader.ReadLines(LogSource.FromStream("stdin", stream)).Count());
        Assert.True(stream.CanRead);
    }

    /// <summary>A stream of <c>count</c> 'x' bytes and then a tail, produced on demand.</summary>
    private sealed class GeneratedStream(long count, string tail) : Stream
    {
        private readonly byte[] _tail = Encoding.UTF8.GetBytes(tail);
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => count + _tail.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int length)
        {
            int n = 0;
            while (n < length && _position < Length)
            {
                buffer[offset + n++] = _position < count ? (byte)'x' : _tail[_position - count];
                _position++;
            }
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int length) => throw new NotSupportedException();
    }
}
