using System.Globalization;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace ReasonTools.Core.Logs;

/// <summary>
/// Streaming log reducer: feed it lines in order, then call <see cref="Complete"/> for a <see cref="LogReduction"/>.
/// It groups multi-line records (a stack trace is one record), collapses repeats into templates with counts, keeps
/// the first error and the records before it, and ranks what it kept. Pure (no I/O, no clock) and bounded: its
/// memory depends on <see cref="LogReducerOptions"/>, not on the input size. Not thread-safe.
/// </summary>
public sealed class LogReducer
{
    private static readonly string[] JournalFieldsKept =
        ["MESSAGE=", "PRIORITY=", "SYSLOG_IDENTIFIER=", "_SYSTEMD_UNIT=", "_PID=", "__REALTIME_TIMESTAMP=", "ERRNO=", "CODE_FILE=", "CODE_LINE="];

    private readonly LogReducerOptions _options;
    private readonly char[] _keyBuffer;

    // The record being assembled; it ends when a line opens the next one.
    private readonly char[] _record;
    private int _recordLength;
    private bool _pending;
    private string _pendingSource = "";
    private long _pendingFirstLine, _pendingLastLine;
    private int _pendingLines;
    private bool _pendingCut;
    private LogSeverity _pendingSeverity;
    private bool _pendingHasHeader, _pendingHasException, _previousIndented, _chainAnnounced;
    private LogLineKind _pendingKind;
    private int _keyStart, _keyLength, _tsStart, _tsLength, _summaryStart, _summaryLength;
    private int _headerMaskLength = -1; // the header's template is already in _keyBuffer when >= 0
    private readonly char[] _tracebackLast;
    private int _tracebackLastLength;

    // Template table: open addressing over _templates (slot holds index + 1).
    private readonly List<LogTemplate> _templates = [];
    private int[] _slots;

    // The last records before the first error (ring), kept only until the first error is seen.
    private readonly ContextSlot[] _context;
    private int _contextCount, _contextNext;
    private LogRecordSample? _firstError;
    private List<LogRecordSample> _firstErrorContext = [];

    private readonly List<SourceCounts> _sources = [];
    private SourceCounts? _currentSource;
    private readonly List<LogSkippedSource> _skipped = [];

    private readonly List<LogCutLine> _cutLines = [];
    private long _cutLineCount;
    private long _lines, _blankLines, _records, _errors, _warnings, _bytes, _distinct, _evictedTemplates, _evictedRecords, _evictedSevere, _truncated;
    private bool _completed;

    public LogReducer(LogReducerOptions? options = null)
    {
        _options = options ?? new LogReducerOptions();
        _options.Validate();
        _record = new char[_options.MaxRecordChars];
        _keyBuffer = new char[_options.MaxTemplateChars * 2 + 16];
        _tracebackLast = new char[_options.MaxTemplateChars];
        _slots = new int[SlotCount(_options.MaxTemplates)];
        _context = new ContextSlot[_options.ContextRecords];
        for (int i = 0; i < _context.Length; i++) _context[i] = new ContextSlot(_options.MaxContextChars);
    }

    /// <summary>Adds the next line of <paramref name="source"/>. Lines of one source must come in order; a change of
    /// source ends the current record.</summary>
    /// <exception cref="InvalidOperationException">After <see cref="Complete"/>.</exception>
    public void Add(string source, long lineNumber, ReadOnlySpan<char> line)
    {
        ArgumentNullException.ThrowIfNull(source);
        var header = IsBlank(line) ? default : LogLineClassifier.Classify(line);
        AddClassified(source, lineNumber, line, header, default, premasked: false);
    }

    internal LogReducerOptions Options => _options;

    internal static bool IsBlank(ReadOnlySpan<char> line) => line.IsEmpty || (char.IsWhiteSpace(line[0]) && line.IsWhiteSpace());

    /// <summary>The template of a line that opens a record, as <see cref="FinishRecord"/> would compute it; lets
    /// <see cref="LogReader.ReadInto"/> mask on its reading thread.</summary>
    internal static int MaskHeaderLine(ReadOnlySpan<char> line, in LogLineHeader header, LogReducerOptions options, Span<char> dest)
    {
        int keyLength = Math.Min(line.Length, options.MaxRecordChars);
        int tsStart = Math.Min(header.TimestampStart, keyLength);
        int tsLength = Math.Min(header.TimestampLength, keyLength - tsStart);
        return LogTemplateMasker.Mask(line[..keyLength], tsStart, tsLength, dest[..options.MaxTemplateChars]);
    }

    /// <summary><see cref="Add(string, long, ReadOnlySpan{char})"/> with the line already classified and, when
    /// <paramref name="premasked"/>, its template already computed by <see cref="MaskHeaderLine"/>.</summary>
    internal void AddClassified(string source, long lineNumber, ReadOnlySpan<char> line, in LogLineHeader header, ReadOnlySpan<char> maskedHeader, bool premasked)
    {
        if (_completed) throw new InvalidOperationException("The reducer is complete; create a new one for more input.");
        if (_currentSource is null || !ReferenceEquals(_currentSource.Name, source) && _currentSource.Name != source) SwitchSource(source);
        _lines++;
        _currentSource!.Lines++;
        _bytes += Encoding.UTF8.GetByteCount(line) + 1;

        if (IsBlank(line))
        {
            _blankLines++;
            // A blank line ends a journald export record; elsewhere it is skipped (Python chains contain them).
            if (_pending && _pendingKind == LogLineKind.JournalExport) FinishRecord();
            return;
        }

        // "Traceback" continues an error record (logging.exception) and a chained traceback ("During handling of
        // the above exception...").
        bool chained = header.Kind == LogLineKind.PythonTraceback && _pending
            && (_pendingKind == LogLineKind.PythonTraceback ? _chainAnnounced : _pendingSeverity >= LogSeverity.Error);
        if (_pending && (chained || (!header.StartsRecord && Continues(line))) && _pendingLines < _options.MaxRecordLines)
        {
            AppendContinuation(line);
            _pendingLastLine = lineNumber;
            return;
        }
        if (_pending) FinishRecord();
        StartRecord(lineNumber, line, header);
        if (premasked && header.Kind != LogLineKind.JournalExport)
        {
            maskedHeader.CopyTo(_keyBuffer);
            _headerMaskLength = maskedHeader.Length;
        }
    }

    /// <summary>Adds one line.</summary>
    public void Add(LogLine line) => Add(line.Source, line.LineNumber, line.Text);

    /// <summary>
    /// Notes lines the reader cut for length (their head was added as the line): the prompt names them, and the
    /// totals count their full size.
    /// </summary>
    internal void AddCutLines(IReadOnlyList<LogCutLine> first, long count, long skippedBytes)
    {
        foreach (var cut in first)
            if (_cutLines.Count < LogLineSplitter.MaxCutLinesKept) _cutLines.Add(cut);
        _cutLineCount += count;
        _bytes += skippedBytes;
    }

    /// <summary>Notes an input that could not be read, so the prompt can say so.</summary>
    public void AddSkippedSource(string source, string reason)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(reason);
        _skipped.Add(new LogSkippedSource(source, reason));
    }

    /// <summary>Ends the input and returns the reduction. Call once; the reducer accepts no lines afterwards.</summary>
    public LogReduction Complete()
    {
        if (_completed) throw new InvalidOperationException("Complete was already called.");
        if (_pending) FinishRecord();
        _completed = true;
        var ranked = _templates.ToArray();
        Array.Sort(ranked, CompareRank);
        var totals = new LogTotals
        {
            Lines = _lines, BlankLines = _blankLines, Records = _records, Errors = _errors, Warnings = _warnings, Bytes = _bytes,
            DistinctTemplates = _distinct, EvictedTemplates = _evictedTemplates, EvictedRecords = _evictedRecords,
            EvictedWarningOrWorse = _evictedSevere, TruncatedRecords = _truncated, CutLines = _cutLineCount,
        };
        var sources = _sources.Select(s => new LogSourceSummary(s.Name, s.Lines, s.Records, s.Errors, s.Warnings)).ToArray();
        return new LogReduction(ranked, _firstError, _firstErrorContext, totals, sources, _skipped.ToArray()) { CutLines = _cutLines.ToArray() };
    }

    /// <summary>Order of <see cref="LogReduction.Templates"/>: most telling first.</summary>
    internal static int CompareRank(LogTemplate a, LogTemplate b)
    {
        int c = RankClass(a).CompareTo(RankClass(b));
        if (c != 0) return c;
        c = b.Severity.CompareTo(a.Severity);
        if (c != 0) return c;
        c = a.Count.CompareTo(b.Count);
        return c != 0 ? c : a.First.RecordNumber.CompareTo(b.First.RecordNumber);
    }

    /// <summary>0: errors; 1: warnings and exceptions below error; 2: info and unlevelled; 3: debug and trace.</summary>
    internal static int RankClass(LogTemplate t) => t.Severity switch
    {
        >= LogSeverity.Error => 0,
        LogSeverity.Warning => 1,
        _ when t.HasException => 1,
        LogSeverity.Debug or LogSeverity.Trace => 3,
        _ => 2,
    };

    private bool Continues(ReadOnlySpan<char> line)
    {
        if (LogLineClassifier.IsContinuationLine(line)) return true;
        if (_pendingKind == LogLineKind.PythonTraceback)
        {
            // The exception line closes a traceback: it follows the indented frames.
            return _previousIndented;
        }
        // In a log whose records open with a timestamp or level, a line without one belongs to the record above
        // ("java.lang.IllegalStateException: ..." under "ERROR [main] Request failed").
        return _pendingHasHeader;
    }

    private void SwitchSource(string source)
    {
        if (_pending) FinishRecord();
        _currentSource = _sources.Find(s => s.Name == source);
        if (_currentSource is null) { _currentSource = new SourceCounts(source); _sources.Add(_currentSource); }
        _contextCount = 0; // context before an error comes from the same input only
    }

    private void StartRecord(long lineNumber, ReadOnlySpan<char> line, in LogLineHeader header)
    {
        _pending = true;
        _pendingSource = _currentSource!.Name;
        _pendingFirstLine = _pendingLastLine = lineNumber;
        _pendingLines = 1;
        _pendingCut = false;
        _pendingSeverity = header.Severity;
        _pendingHasHeader = header.StartsRecord;
        _pendingKind = header.Kind;
        _pendingHasException = header.Kind == LogLineKind.PythonTraceback
            || (header.Severity is LogSeverity.Unknown or >= LogSeverity.Warning && LogLineClassifier.MentionsException(line));
        _summaryStart = _summaryLength = 0;
        _tracebackLastLength = 0;
        _previousIndented = _chainAnnounced = false;
        _headerMaskLength = -1;
        _recordLength = 0;
        if (header.Kind == LogLineKind.JournalExport)
        {
            // The cursor says nothing to a reader; the MESSAGE field becomes the key line.
            _keyStart = _keyLength = _tsStart = _tsLength = 0;
            return;
        }
        _keyStart = 0;
        _keyLength = Append(line);
        _tsStart = Math.Min(header.TimestampStart, _keyLength);
        _tsLength = Math.Min(header.TimestampLength, _keyLength - _tsStart);
    }

    private void AppendContinuation(ReadOnlySpan<char> line)
    {
        _pendingLines++;
        bool indented = line[0] is ' ' or '\t';
        if (_pendingKind == LogLineKind.JournalExport)
        {
            AppendJournalField(line);
            return;
        }
        _chainAnnounced = line.StartsWith("During handling of the above exception", StringComparison.Ordinal)
            || line.StartsWith("The above exception was the direct cause", StringComparison.Ordinal);
        bool frame = LogLineClassifier.IsStackFrame(line);
        if (frame) _pendingHasException = true;
        if (line.StartsWith("Traceback (most recent call last)", StringComparison.Ordinal))
        {
            _pendingKind = LogLineKind.PythonTraceback;
            _pendingHasException = true;
        }
        int start = _recordLength + (_recordLength > 0 ? 1 : 0);
        int kept = Append(line);
        if (_pendingKind == LogLineKind.PythonTraceback && !indented)
        {
            // The last unindented line of a traceback names the exception ("ValueError: bad input").
            int n = Math.Min(line.Length, _tracebackLast.Length);
            line[..n].CopyTo(_tracebackLast);
            _tracebackLastLength = n;
        }
        else if (_summaryLength == 0 && !frame && kept > 0 && LogLineClassifier.MentionsException(line))
        {
            _summaryStart = start;
            _summaryLength = kept;
            _pendingHasException = true;
        }
        _previousIndented = indented;
    }

    private void AppendJournalField(ReadOnlySpan<char> line)
    {
        if (line.StartsWith("PRIORITY=", StringComparison.Ordinal) && line.Length > 9 && LogLineClassifier.IsDigit(line[9]))
            _pendingSeverity = LogLineClassifier.FromSyslogSeverity(line[9] - '0');
        foreach (var field in JournalFieldsKept)
        {
            if (!line.StartsWith(field, StringComparison.Ordinal)) continue;
            int start = _recordLength + (_recordLength > 0 ? 1 : 0);
            int kept = field == "__REALTIME_TIMESTAMP=" ? AppendJournalTime(line, field.Length) : Append(line);
            if (field == "MESSAGE=") { _keyStart = start + 8; _keyLength = Math.Max(0, kept - 8); }
            else if (field == "SYSLOG_IDENTIFIER=") { _summaryStart = start; _summaryLength = kept; }
            return;
        }
    }

    /// <summary>"__REALTIME_TIMESTAMP=1705312345123456" (microseconds since 1970) gets its UTC time appended: a model
    /// cannot read the number as a time.</summary>
    private int AppendJournalTime(ReadOnlySpan<char> line, int prefix)
    {
        Span<char> text = stackalloc char[96];
        if (line.Length > 40 || !long.TryParse(line[prefix..], NumberStyles.None, CultureInfo.InvariantCulture, out long micros)
            || micros > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds() * 1000L) return Append(line);
        line.CopyTo(text);
        int n = line.Length;
        " (".AsSpan().CopyTo(text[n..]);
        n += 2;
        DateTime.UnixEpoch.AddTicks(micros * 10).TryFormat(text[n..], out int written, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);
        n += written;
        text[n++] = ')';
        return Append(text[..n]);
    }

    /// <summary>Appends a line to the record text within the cap; returns how many characters were kept.</summary>
    private int Append(ReadOnlySpan<char> line)
    {
        int room = _record.Length - _recordLength - (_recordLength > 0 ? 1 : 0);
        if (room <= 0) { _pendingCut = true; return 0; }
        if (_recordLength > 0) _record[_recordLength++] = '\n';
        int n = Math.Min(room, line.Length);
        line[..n].CopyTo(_record.AsSpan(_recordLength));
        _recordLength += n;
        if (n < line.Length) _pendingCut = true;
        return n;
    }

    private void FinishRecord()
    {
        _pending = false;
        var severity = _pendingSeverity;
        if (severity == LogSeverity.Unknown && _pendingHasException) severity = LogSeverity.Error;
        _records++;
        var counts = _currentSource!;
        counts.Records++;
        if (severity >= LogSeverity.Error) { _errors++; counts.Errors++; }
        else if (severity == LogSeverity.Warning) { _warnings++; counts.Warnings++; }
        if (_pendingCut) _truncated++;

        var key = BuildKey();
        int hash = Hash(key, severity);
        var template = Find(key, hash, severity);
        if (template is null)
        {
            var sample = TakeSample(severity);
            template = new LogTemplate(key.ToString(), hash, severity, _pendingHasException, sample)
            {
                FirstTimestamp = _tsLength > 0 ? new string(_record, _keyStart + _tsStart, _tsLength) : null,
            };
            Insert(template);
            _distinct++;
        }
        else
        {
            template.Count++;
            template.LastSource = _pendingSource;
            template.LastLineNumber = _pendingFirstLine;
        }
        if (_tsLength > 0)
        {
            template._lastTimestamp ??= new char[40];
            int n = Math.Min(_tsLength, 40);
            _record.AsSpan(_keyStart + _tsStart, n).CopyTo(template._lastTimestamp);
            template._lastTimestampLength = n;
        }

        if (_firstError is null)
        {
            if (severity >= LogSeverity.Error)
            {
                _firstError = template.Count == 1 ? template.First : TakeSample(severity);
                _firstErrorContext = TakeContext();
            }
            else if (_context.Length > 0) PushContext(severity);
        }
    }

    private ReadOnlySpan<char> BuildKey()
    {
        var buffer = _keyBuffer.AsSpan();
        int half = _options.MaxTemplateChars;
        int n = _headerMaskLength >= 0 ? _headerMaskLength
            : LogTemplateMasker.Mask(_record.AsSpan(_keyStart, _keyLength), _tsStart, _tsLength, buffer[..half]);
        ReadOnlySpan<char> summary = _tracebackLastLength > 0 ? _tracebackLast.AsSpan(0, _tracebackLastLength)
            : _summaryLength > 0 ? _record.AsSpan(_summaryStart, _summaryLength) : default;
        if (!summary.IsEmpty)
        {
            buffer[n++] = '\n';
            n += LogTemplateMasker.Mask(summary, 0, 0, buffer.Slice(n, half));
        }
        return buffer[..n];
    }

    private LogRecordSample TakeSample(LogSeverity severity) =>
        new(_pendingSource, _pendingFirstLine, _pendingLastLine, _records, severity, _pendingHasException, RecordText(_record.AsSpan(0, _recordLength)));

    private string RecordText(ReadOnlySpan<char> kept)
    {
        if (!_pendingCut) return new string(kept);
        long lines = _pendingLastLine - _pendingFirstLine + 1;
        return string.Concat(kept, $"\n[... record cut: {lines} lines in all, first {kept.Length} characters kept]");
    }

    private LogTemplate? Find(ReadOnlySpan<char> key, int hash, LogSeverity severity)
    {
        int mask = _slots.Length - 1;
        for (int slot = hash & mask; ; slot = (slot + 1) & mask)
        {
            int index = _slots[slot];
            if (index == 0) return null;
            var t = _templates[index - 1];
            if (t.Hash == hash && t.Severity == severity && key.SequenceEqual(t.Template)) return t;
        }
    }

    private void Insert(LogTemplate template)
    {
        if (_templates.Count >= _options.MaxTemplates) Evict();
        _templates.Add(template);
        Place(template, _templates.Count);
    }

    private void Place(LogTemplate template, int indexPlusOne)
    {
        int mask = _slots.Length - 1;
        int slot = template.Hash & mask;
        while (_slots[slot] != 0) slot = (slot + 1) & mask;
        _slots[slot] = indexPlusOne;
    }

    /// <summary>The table is full: drop the least telling half (least severe, then rarest, then latest), never the
    /// first error's template, and count what went.</summary>
    private void Evict()
    {
        var order = _templates.ToArray();
        Array.Sort(order, (a, b) =>
        {
            int c = ((int)b.Severity).CompareTo((int)a.Severity); // as int: Enum.CompareTo boxes, and this runs per eviction
            if (c != 0) return c;
            c = b.Count.CompareTo(a.Count);
            return c != 0 ? c : a.First.RecordNumber.CompareTo(b.First.RecordNumber);
        });
        int keep = _options.MaxTemplates / 2;
        _templates.Clear();
        for (int i = 0; i < order.Length; i++)
        {
            var t = order[i];
            if (i < keep || ReferenceEquals(t.First, _firstError)) { _templates.Add(t); continue; }
            _evictedTemplates++;
            _evictedRecords += t.Count;
            if (t.Severity >= LogSeverity.Warning) _evictedSevere += t.Count;
        }
        Array.Clear(_slots);
        for (int i = 0; i < _templates.Count; i++) Place(_templates[i], i + 1);
    }

    private void PushContext(LogSeverity severity)
    {
        var slot = _context[_contextNext];
        int n = Math.Min(_recordLength, slot.Text.Length);
        _record.AsSpan(0, n).CopyTo(slot.Text);
        slot.Length = n;
        slot.Cut = n < _recordLength || _pendingCut;
        slot.Source = _pendingSource;
        slot.FirstLine = _pendingFirstLine;
        slot.LastLine = _pendingLastLine;
        slot.RecordNumber = _records;
        slot.Severity = severity;
        slot.HasException = _pendingHasException;
        _contextNext = (_contextNext + 1) % _context.Length;
        if (_contextCount < _context.Length) _contextCount++;
    }

    private List<LogRecordSample> TakeContext()
    {
        var list = new List<LogRecordSample>(_contextCount);
        for (int k = _contextCount; k >= 1; k--)
        {
            var slot = _context[(_contextNext - k + _context.Length) % _context.Length];
            string text = new(slot.Text, 0, slot.Length);
            if (slot.Cut) text += "\n[... record cut]";
            list.Add(new LogRecordSample(slot.Source, slot.FirstLine, slot.LastLine, slot.RecordNumber, slot.Severity, slot.HasException, text));
        }
        return list;
    }

    /// <summary>A fast non-cryptographic hash of the template (eight bytes a step); collisions only cost a compare.</summary>
    private static int Hash(ReadOnlySpan<char> key, LogSeverity severity)
    {
        const ulong Prime = 0x9E3779B97F4A7C15;
        ulong h = Prime ^ ((ulong)key.Length << 8) ^ (ulong)severity;
        var words = MemoryMarshal.Cast<char, ulong>(key);
        foreach (ulong w in words) h = BitOperations.RotateLeft((h ^ w) * Prime, 31);
        for (int i = words.Length * 4; i < key.Length; i++) h = BitOperations.RotateLeft((h ^ key[i]) * Prime, 31);
        h ^= h >> 29;
        h *= 0xBF58476D1CE4E5B9;
        h ^= h >> 32;
        return (int)h;
    }

    private static int SlotCount(int maxTemplates)
    {
        int n = 16;
        while (n < maxTemplates * 2) n <<= 1;
        return n;
    }

    private sealed class ContextSlot(int capacity)
    {
        public readonly char[] Text = new char[capacity];
        public int Length;
        public bool Cut;
        public string Source = "";
        public long FirstLine, LastLine, RecordNumber;
        public LogSeverity Severity;
        public bool HasException;
    }

    private sealed class SourceCounts(string name)
    {
        public string Name { get; } = name;
        public long Lines, Records, Errors, Warnings;
    }
}
