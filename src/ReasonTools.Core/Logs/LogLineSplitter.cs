using System.Buffers;
using System.IO.Compression;
using System.Text;
using System.Text.Unicode;

namespace ReasonTools.Core.Logs;

/// <summary>
/// Reads one input as lines with bounded memory: detects gzip by its magic bytes and the encoding by BOM
/// (UTF-8, UTF-16 LE/BE; UTF-16 without BOM by its zero bytes; Latin-1 when the start is not valid UTF-8), rejects
/// binary data, and cuts lines longer than the cap with a marker while skipping the rest unbuffered.
/// </summary>
internal sealed class LogLineSplitter : IDisposable
{
    private const int ByteChunk = 1 << 16;
    private const int SniffBytes = 4096;
    internal const string TruncationMarker = " [... line truncated: ";

    private readonly string _name;
    private readonly Stream _stream;
    private readonly Encoding _encoding;
    private readonly Decoder _decoder;
    private readonly int _maxLineChars;
    private readonly byte[] _bytes;
    private readonly char[] _chars;
    private readonly char[] _emit;
    private int _start, _end, _searched;
    private int _prefixStart, _prefixEnd; // sniffed bytes not yet decoded
    private bool _eof, _skipping;
    private long _skipped;
    private long _skippedBytes;
    private int _currentStart, _currentLength;
    private bool _currentInEmit;
    private long _decodedBytes;
    // Set when binary data follows the text: the lines before it are taken, then MoveNext throws this.
    private LogInputException? _binaryAhead;
    private readonly List<LogCutLine> _cutLines = [];

    private LogLineSplitter(string name, Stream stream, Encoding encoding, byte[] bytes, int prefixStart, int prefixEnd, int maxLineChars)
    {
        _name = name;
        _stream = stream;
        _encoding = encoding;
        _decoder = encoding.GetDecoder();
        _maxLineChars = maxLineChars;
        _bytes = bytes;
        _prefixStart = prefixStart;
        _prefixEnd = prefixEnd;
        _chars = ArrayPool<char>.Shared.Rent(maxLineChars + ByteChunk + 64);
        _emit = ArrayPool<char>.Shared.Rent(maxLineChars + 96);
    }

    /// <summary>1-based number of <see cref="Current"/>.</summary>
    public long LineNumber { get; private set; }

    /// <summary>The first <see cref="MaxCutLinesKept"/> lines cut for length so far, with their full size.</summary>
    public IReadOnlyList<LogCutLine> CutLines => _cutLines;

    /// <summary>Lines cut for length so far (all of them, not only those in <see cref="CutLines"/>).</summary>
    public long CutLineCount { get; private set; }

    /// <summary>UTF-8 bytes of the cut lines that were skipped.</summary>
    public long CutBytes { get; private set; }

    internal const int MaxCutLinesKept = 8;

    /// <summary>The current line, valid until the next move.</summary>
    public ReadOnlySpan<char> Current => _currentInEmit ? _emit.AsSpan(0, _currentLength) : _chars.AsSpan(_currentStart, _currentLength);

    public static LogLineSplitter Open(LogSource source, int maxLineChars)
    {
        var raw = source.Open();
        try
        {
            var bytes = new byte[ByteChunk];
            int n = ReadFully(source.Name, raw, bytes, SniffBytes);
            Stream stream = raw;
            if (n >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B)
            {
                stream = new GZipStream(new PrefixedStream(bytes.AsSpan(0, n).ToArray(), raw), CompressionMode.Decompress);
                n = ReadFully(source.Name, stream, bytes, SniffBytes);
            }
            var (encoding, bom) = DetectEncoding(source.Name, bytes.AsSpan(0, n));
            return new LogLineSplitter(source.Name, stream, encoding, bytes, bom, n, maxLineChars);
        }
        catch
        {
            raw.Dispose();
            throw;
        }
    }

    private static (Encoding Encoding, int Bom) DetectEncoding(string name, ReadOnlySpan<byte> head)
    {
        if (head.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF])) return (new UTF8Encoding(false, false), 3);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE])) return (new UnicodeEncoding(false, false, false), 2);
        if (head.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF])) return (new UnicodeEncoding(true, false, false), 2);

        int zerosEven = 0, zerosOdd = 0, control = 0;
        for (int i = 0; i < head.Length; i++)
        {
            byte b = head[i];
            if (b == 0) { if ((i & 1) == 0) zerosEven++; else zerosOdd++; }
            else if (b < 0x20 && b is not (byte)'\n' and not (byte)'\r' and not (byte)'\t' and not 0x0C and not 0x1B) control++;
        }
        int half = Math.Max(1, head.Length / 2);
        // ASCII text in UTF-16 has a zero in every other byte.
        if (zerosOdd > half * 7 / 10 && zerosEven < half / 20) return (new UnicodeEncoding(false, false, false), 0);
        if (zerosEven > half * 7 / 10 && zerosOdd < half / 20) return (new UnicodeEncoding(true, false, false), 0);
        if (zerosEven + zerosOdd > 0)
            throw new LogInputException(name, "binary data (zero bytes near the start); not a text log — if it is compressed other than by gzip, decompress it first");
        if (control > head.Length / 10)
            throw new LogInputException(name, "binary data (many control characters near the start); not a text log");

        // A cut multi-byte sequence at the end of the sniffed block is not an error.
        var checkable = head;
        int back = 0;
        while (back < 3 && checkable.Length > 0 && (checkable[^1] & 0xC0) == 0x80) { checkable = checkable[..^1]; back++; }
        if (checkable.Length > 0 && checkable[^1] >= 0xC0) checkable = checkable[..^1];
        return Utf8.IsValid(checkable) ? (new UTF8Encoding(false, false), 0) : (Encoding.Latin1, 0);
    }

    private static int ReadFully(string name, Stream stream, byte[] buffer, int count)
    {
        int n = 0;
        try
        {
            while (n < count)
            {
                int r = stream.Read(buffer, n, count - n);
                if (r == 0) break;
                n += r;
            }
        }
        catch (InvalidDataException e) { throw new LogInputException(name, $"corrupt gzip data: {e.Message}", e); }
        catch (IOException e) { throw new LogInputException(name, $"read failed: {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new LogInputException(name, "access denied", e); }
        return n;
    }

    /// <summary>Moves to the next line; false at the end of the input.</summary>
    public bool MoveNext()
    {
        while (true)
        {
            if (TryTake()) return true;
            if (_binaryAhead is not null) throw _binaryAhead;
            if (_eof) return false;
            int n = _prefixEnd > _prefixStart ? TakePrefix() : ReadFully(_name, _stream, _bytes, ByteChunk);
            Decode(n);
        }
    }

    /// <summary>Moves to the next line reading asynchronously; false at the end of the input.</summary>
    public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTake()) return true;
            if (_binaryAhead is not null) throw _binaryAhead;
            if (_eof) return false;
            int n;
            if (_prefixEnd > _prefixStart) n = TakePrefix();
            else
            {
                try { n = await _stream.ReadAsync(_bytes.AsMemory(0, ByteChunk), cancellationToken).ConfigureAwait(false); }
                catch (InvalidDataException e) { throw new LogInputException(_name, $"corrupt gzip data: {e.Message}", e); }
                catch (IOException e) { throw new LogInputException(_name, $"read failed: {e.Message}", e); }
            }
            Decode(n);
        }
    }

    /// <summary>The sniffed bytes (after a BOM) are decoded first; they already sit at the start of the byte buffer.</summary>
    private int TakePrefix()
    {
        if (_prefixStart > 0) Buffer.BlockCopy(_bytes, _prefixStart, _bytes, 0, _prefixEnd - _prefixStart);
        int n = _prefixEnd - _prefixStart;
        _prefixStart = _prefixEnd = 0;
        return n;
    }

    private void Decode(int byteCount)
    {
        if (byteCount == 0)
        {
            _end += _decoder.GetChars([], _chars.AsSpan(_end), flush: true);
            _eof = true;
            return;
        }
        var bytes = _bytes.AsSpan(0, byteCount);
        int from = _end;
        while (!bytes.IsEmpty)
        {
            _decoder.Convert(bytes, _chars.AsSpan(_end), false, out int used, out int produced, out _);
            bytes = bytes[used..];
            _end += produced;
        }
        StopAtBinary(from);
        _decodedBytes += byteCount;
    }

    /// <summary>
    /// Text that turns binary part-way (see <see cref="BinaryText"/>): the lines before the chunk's first such character
    /// are kept, the rest of the input is not read, and the input ends with a <see cref="LogInputException"/> saying
    /// where — as binary data at the start is refused.
    /// </summary>
    private void StopAtBinary(int from)
    {
        var chunk = _chars.AsSpan(from, _end - from);
        int first = BinaryText.Start(chunk, out bool zero);
        if (first < 0) return;
        long textBytes = _decodedBytes + _encoding.GetByteCount(chunk[..first]);
        // Keep the lines that end before the binary data; the line it starts in is dropped.
        var text = _chars.AsSpan(_start, from + first - _start);
        int lastEnd = text.LastIndexOf('\n');
        _end = _start + lastEnd + 1;
        if (lastEnd < 0) _searched = 0;
        _eof = true;
        _binaryAhead = new LogInputException(_name,
            $"binary data ({(zero ? "zero bytes" : "many control characters")}) after {FormatSize(textBytes)} of text; the rest was not read");
    }

    internal static string FormatSize(long bytes) => bytes switch
    {
        >= 1L << 30 => $"{(bytes / (double)(1L << 30)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} GiB",
        >= 1L << 20 => $"{(bytes / (double)(1L << 20)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} MiB",
        >= 1L << 10 => $"{(bytes / (double)(1L << 10)).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} KiB",
        _ => $"{bytes} bytes",
    };

    /// <summary>Takes a line from what is decoded, or makes room for more and returns false.</summary>
    private bool TryTake()
    {
        var data = _chars.AsSpan(_start, _end - _start);
        if (_skipping)
        {
            int nl = data.IndexOf('\n');
            if (nl < 0)
            {
                _skipped += data.Length;
                _skippedBytes += Encoding.UTF8.GetByteCount(data);
                _start = _end = _searched = 0;
                if (!_eof) return false;
                EmitTruncated();
                return true;
            }
            int tail = nl > 0 && data[nl - 1] == '\r' ? nl - 1 : nl;
            _skipped += tail;
            _skippedBytes += Encoding.UTF8.GetByteCount(data[..tail]);
            _start += nl + 1;
            EmitTruncated();
            return true;
        }

        int found = data[_searched..].IndexOf('\n');
        if (found >= 0)
        {
            int length = _searched + found;
            int lineStart = _start;
            _start += length + 1;
            _searched = 0;
            SetCurrent(lineStart, length);
            return true;
        }
        if (_eof)
        {
            if (data.IsEmpty) return false;
            _start = _end;
            _searched = 0;
            SetCurrent(_end - data.Length, data.Length);
            return true;
        }
        if (data.Length >= _maxLineChars)
        {
            // Keep the head of an over-long line and skip the rest as it streams by.
            data[.._maxLineChars].CopyTo(_emit);
            _skipped = data.Length - _maxLineChars;
            _skippedBytes = Encoding.UTF8.GetByteCount(data[_maxLineChars..]);
            _skipping = true;
            _start = _end = _searched = 0;
            return false;
        }
        if (_start > 0)
        {
            data.CopyTo(_chars);
            _start = 0;
            _end = data.Length;
        }
        _searched = data.Length;
        return false;
    }

    private void SetCurrent(int start, int length)
    {
        LineNumber++;
        if (length > 0 && _chars[start + length - 1] == '\r') length--;
        if (length > _maxLineChars)
        {
            _chars.AsSpan(start, _maxLineChars).CopyTo(_emit);
            _skipped = length - _maxLineChars;
            _skippedBytes = Encoding.UTF8.GetByteCount(_chars.AsSpan(start + _maxLineChars, length - _maxLineChars));
            EmitTruncatedCore();
            return;
        }
        _currentInEmit = false;
        _currentStart = start;
        _currentLength = length;
    }

    private void EmitTruncated()
    {
        LineNumber++;
        _skipping = false;
        EmitTruncatedCore();
    }

    private void EmitTruncatedCore()
    {
        long kept = Encoding.UTF8.GetByteCount(_emit.AsSpan(0, _maxLineChars));
        CutLineCount++;
        CutBytes += _skippedBytes;
        if (_cutLines.Count < MaxCutLinesKept) _cutLines.Add(new LogCutLine(_name, LineNumber, kept, kept + _skippedBytes));
        _skippedBytes = 0;
        int n = _maxLineChars;
        TruncationMarker.AsSpan().CopyTo(_emit.AsSpan(n));
        n += TruncationMarker.Length;
        _skipped.TryFormat(_emit.AsSpan(n), out int written, default, System.Globalization.CultureInfo.InvariantCulture);
        n += written;
        " more characters]".AsSpan().CopyTo(_emit.AsSpan(n));
        n += " more characters]".Length;
        _currentInEmit = true;
        _currentLength = n;
        _skipped = 0;
    }

    public void Dispose()
    {
        _stream.Dispose();
        ArrayPool<char>.Shared.Return(_chars);
        ArrayPool<char>.Shared.Return(_emit);
    }

    /// <summary>Replays the bytes read to sniff the format, then the rest of the stream.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream inner) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_position < prefix.Length)
            {
                int n = Math.Min(buffer.Length, prefix.Length - _position);
                prefix.AsSpan(_position, n).CopyTo(buffer);
                _position += n;
                return n;
            }
            return inner.Read(buffer);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position < prefix.Length) return Read(buffer.Span);
            return await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
    }
}
