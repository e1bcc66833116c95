using System.Text;
using ReasonTools.Core.Logs;

namespace ReasonTools.Core.Tests.Logs;

/// <summary>What the model is told about input the reader could not take whole: lines cut for length, text that turns binary.</summary>
public sealed class LogInputLimitsTests
{
    private const long MiB = 1L << 20;

    [Fact]
    public void A_single_huge_line_is_reported_to_the_model_as_cut_with_its_full_size()
    {
        // 64 MiB of one line and a short second one, streamed without being held in memory.
        var source = LogSource.FromStream("big.log", new GeneratedStream(64 * MiB, "\n2024-01-15 10:00:00 ERROR disk full\n"u8.ToArray()), leaveOpen: false);
        var reducer = new LogReducer();

        Assert.Empty(LogReader.ReadInto(reducer, [source]));
        var reduction = reducer.Complete();
        var prompt = LogPromptBuilder.Build(reduction, new LogPromptOptions(), TestLogs.CharsOver4);

        Assert.Contains("Line 1 of big.log was cut at 16.0 KiB of 64.0 MiB", prompt.Text);
        Assert.Equal(1, reduction.Totals.CutLines);
        Assert.InRange(reduction.Totals.Bytes, 64 * MiB, 65 * MiB);
        Assert.Contains("(64.0 MiB)", prompt.Text);
    }

    [Fact]
    public void Several_cut_lines_are_listed_by_source_and_line()
    {
        var text = string.Join("\n", Enumerable.Range(1, 12).Select(i => i % 2 == 0 ? new string('y', 20_000) : $"2024-01-15 10:00:0{i % 10} INFO short {i}"));
        var reducer = new LogReducer();
        LogReader.ReadInto(reducer, [LogSource.FromText("many.log", text)]);
        var overview = LogPromptBuilder.Overview(reducer.Complete());

        Assert.Contains("6 very long lines were cut (only their start is shown): many.log:2 at 16.0 KiB of 19.5 KiB, many.log:4 at", overview);
    }

    [Fact]
    public void A_stream_that_turns_binary_after_a_megabyte_stops_there_with_a_note_and_no_control_characters_reach_the_prompt()
    {
        var text = new StringBuilder();
        int lines = 0;
        while (text.Length < 1.5 * MiB) text.Append("2024-01-15 10:00:00 INFO request ").Append(++lines).Append(" served\n");
        var binary = new byte[256 * 1024];
        new Random(5).NextBytes(binary);
        var bytes = Encoding.UTF8.GetBytes(text.ToString()).Concat("2024-01-15 10:00:01 INFO half a line"u8.ToArray()).Concat(binary).ToArray();
        var reducer = new LogReducer();

        var errors = LogReader.ReadInto(reducer, [LogSource.FromStream("stdin", new MemoryStream(bytes), leaveOpen: false)]);
        var reduction = reducer.Complete();
        var prompt = LogPromptBuilder.Build(reduction, new LogPromptOptions(), TestLogs.CharsOver4).Text;

        Assert.Contains("binary data", Assert.Single(errors).Reason);
        Assert.Equal(lines, reduction.Totals.Lines);
        Assert.Contains($"stdin (binary data (zero bytes) after 1.5 MiB of text; the rest was not read (after line {lines}))", prompt);
        Assert.DoesNotContain(prompt, c => c < ' ' && c is not '\n' and not '\t');
    }

    [Fact]
    public void Reading_lines_one_by_one_stops_at_binary_data_after_the_text_before_it()
    {
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(1, 40_000).Select(i => $"line {i}\n"))).Concat(new byte[] { 0, 1, 2, 0, 0, 3 }).ToArray();
        var read = new List<LogLine>();
        LogInputException? error = null;

        foreach (var line in LogReader.ReadLines([LogSource.FromStream("stdin", new MemoryStream(bytes))], e => error = e)) read.Add(line);

        Assert.Equal(40_000, read.Count);
        Assert.Equal("line 40000", read[^1].Text);
        Assert.Contains("binary data (zero bytes)", error!.Reason);
    }

    [Fact]
    public void Colour_codes_and_a_stray_control_character_do_not_make_a_log_binary()
    {
        var text = string.Concat(Enumerable.Range(1, 30_000).Select(i => $"\u001b[32mINFO\u001b[0m step {i}{(i == 20_000 ? "\u0007" : "")}\n"));
        var lines = LogReader.ReadLines(LogSource.FromText("colour.log", text)).ToList();

        Assert.Equal(30_000, lines.Count);
    }

    /// <summary>A stream of <c>length</c> 'x' bytes and then a tail, generated as it is read.</summary>
    private sealed class GeneratedStream(long length, byte[] tail) : Stream
    {
        private long _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => length + tail.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int n = 0;
            if (_position < length)
            {
                n = (int)Math.Min(buffer.Length, length - _position);
                buffer[..n].Fill((byte)'x');
            }
            else if (_position < length + tail.Length)
            {
                n = (int)Math.Min(buffer.Length, length + tail.Length - _position);
                tail.AsSpan((int)(_position - length), n).CopyTo(buffer);
            }
            _position += n;
            return n;
        }

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
