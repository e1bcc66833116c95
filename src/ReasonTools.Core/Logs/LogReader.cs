using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace ReasonTools.Core.Logs;

/// <summary>Options of <see cref="LogReader"/>.</summary>
public sealed record LogReaderOptions
{
    /// <summary>Longest line kept whole; longer lines keep this many characters and end with a truncation marker
    /// (the rest is skipped without being held in memory).</summary>
    public int MaxLineChars { get; init; } = 16_384;

    internal void Validate()
    {
        if (MaxLineChars < 64) throw new ArgumentOutOfRangeException(nameof(MaxLineChars), MaxLineChars, "At least 64 characters are needed.");
    }
}

/// <summary>
/// Reads log inputs as numbered lines with bounded memory, whatever their size: gzip detected by magic bytes,
/// UTF-8/UTF-16 by BOM, binary input refused. An input that cannot be read fails alone, as a
/// <see cref="LogInputException"/>. This is the I/O half; <see cref="LogReducer"/> is the pure half.
/// </summary>
public static class LogReader
{
    /// <summary>The lines of one input.</summary>
    /// <exception cref="LogInputException">The input cannot be read (thrown when enumeration reaches the problem).</exception>
    public static IEnumerable<LogLine> ReadLines(LogSource source, LogReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return ReadLines([source], e => throw e, options, cancellationToken);
    }

    /// <summary>The lines of several inputs in turn; an input that fails is passed to <paramref name="onError"/>
    /// (lines already read from it stay read) and the next input follows.</summary>
    public static IEnumerable<LogLine> ReadLines(IEnumerable<LogSource> sources, Action<LogInputException> onError,
        LogReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(onError);
        options ??= new LogReaderOptions();
        options.Validate();
        return Iterate(sources, onError, options, cancellationToken);
    }

    private static IEnumerable<LogLine> Iterate(IEnumerable<LogSource> sources, Action<LogInputException> onError, LogReaderOptions options, CancellationToken cancellationToken)
    {
        foreach (var source in sources)
        {
            var splitter = TryOpen(source, options, onError);
            if (splitter is null) continue;
            using (splitter)
            {
                while (true)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    LogInputException? error = null;
                    bool more;
                    try { more = splitter.MoveNext(); }
                    catch (LogInputException e) { error = e; more = false; }
                    if (error is not null) { onError(error); break; }
                    if (!more) break;
                    yield return new LogLine(source.Name, splitter.LineNumber, splitter.Current.ToString());
                }
            }
        }
    }

    /// <summary>The lines of one input, read asynchronously.</summary>
    /// <exception cref="LogInputException">The input cannot be read.</exception>
    public static IAsyncEnumerable<LogLine> ReadLinesAsync(LogSource source, LogReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        return ReadLinesAsync([source], e => throw e, options, cancellationToken);
    }

    /// <summary>The lines of several inputs, read asynchronously; failures go to <paramref name="onError"/>.</summary>
    public static IAsyncEnumerable<LogLine> ReadLinesAsync(IEnumerable<LogSource> sources, Action<LogInputException> onError,
        LogReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(onError);
        options ??= new LogReaderOptions();
        options.Validate();
        return IterateAsync(sources, onError, options, cancellationToken);
    }

    private static async IAsyncEnumerable<LogLine> IterateAsync(IEnumerable<LogSource> sources, Action<LogInputException> onError,
        LogReaderOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var source in sources)
        {
            var splitter = TryOpen(source, options, onError);
            if (splitter is null) continue;
            using (splitter)
            {
                while (true)
                {
                    LogInputException? error = null;
                    bool more;
                    try { more = await splitter.MoveNextAsync(cancellationToken).ConfigureAwait(false); }
                    catch (LogInputException e) { error = e; more = false; }
                    if (error is not null) { onError(error); break; }
                    if (!more) break;
                    yield return new LogLine(source.Name, splitter.LineNumber, CurrentText(splitter));
                }
            }
        }
    }

    /// <summary>Feeds every line of the inputs into <paramref name="reducer"/> without allocating per line (the fast
    /// path): one thread reads, decodes, classifies and masks lines while the calling thread groups and counts them,
    /// through a few recycled blocks of lines, so memory stays bounded. An input that fails is noted in the reducer (the prompt mentions it) and returned;
    /// the rest are read.</summary>
    public static IReadOnlyList<LogInputException> ReadInto(LogReducer reducer, IEnumerable<LogSource> sources,
        LogReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reducer);
        ArgumentNullException.ThrowIfNull(sources);
        options ??= new LogReaderOptions();
        options.Validate();
        var list = sources.ToList();
        var errors = new List<LogInputException>();
        int blockChars = Math.Max(1 << 20, options.MaxLineChars * 4);
        using var free = new BlockingCollection<LineBlock>(new ConcurrentQueue<LineBlock>());
        using var full = new BlockingCollection<LineBlock>(new ConcurrentQueue<LineBlock>());
        for (int i = 0; i < PipelineBlocks; i++) free.Add(new LineBlock(blockChars, reducer.Options));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = Task.Factory.StartNew(() => Produce(list, options, free, full, stop.Token), stop.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            // The last line read of the source being read, for an error part-way through it.
            long lastLine = 0;
            string? lastSource = null;
            foreach (var block in full.GetConsumingEnumerable(cancellationToken))
            {
                if (!ReferenceEquals(block.Source, lastSource)) (lastSource, lastLine) = (block.Source, 0);
                AddLines(reducer, block);
                if (block.Count > 0) lastLine = block.FirstLine + block.Count - 1;
                if (block.CutLineCount > 0) reducer.AddCutLines(block.CutLines!, block.CutLineCount, block.CutBytes);
                if (block.Error is { } error)
                {
                    errors.Add(error);
                    reducer.AddSkippedSource(error.SourceName, lastLine > 0 ? $"{error.Reason} (after line {lastLine})" : error.Reason);
                }
                free.Add(block);
            }
        }
        finally
        {
            stop.Cancel();
            try { producer.Wait(CancellationToken.None); }
            catch (AggregateException) { } // rethrown below unless the reducing side failed first
        }
        producer.GetAwaiter().GetResult(); // surfaces an unexpected failure of the reading thread
        cancellationToken.ThrowIfCancellationRequested();
        return errors;
    }

    private static void AddLines(LogReducer reducer, LineBlock block)
    {
        var chars = block.Chars.AsSpan();
        var keys = block.Keys.AsSpan();
        for (int k = 0; k < block.Count; k++)
        {
            int keyLength = block.KeyLengths[k];
            reducer.AddClassified(block.Source, block.FirstLine + k, chars.Slice(block.Starts[k], block.Lengths[k]), block.Headers[k],
                keyLength >= 0 ? keys.Slice(block.KeyStarts[k], keyLength) : default, premasked: keyLength >= 0);
        }
    }

    private const int PipelineBlocks = 4;

    private static void Produce(List<LogSource> sources, LogReaderOptions options, BlockingCollection<LineBlock> free,
        BlockingCollection<LineBlock> full, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var source in sources)
            {
                LogInputException? openError = null;
                var splitter = TryOpen(source, options, e => openError = e);
                if (splitter is null)
                {
                    var failed = free.Take(cancellationToken);
                    failed.Reset(source.Name, 1);
                    failed.Error = openError;
                    full.Add(failed, cancellationToken);
                    continue;
                }
                using (splitter)
                {
                    var block = free.Take(cancellationToken);
                    block.Reset(source.Name, 1);
                    try
                    {
                        while (splitter.MoveNext())
                        {
                            var line = splitter.Current;
                            if (!block.TryAdd(line))
                            {
                                full.Add(block, cancellationToken);
                                block = free.Take(cancellationToken);
                                block.Reset(source.Name, splitter.LineNumber);
                                block.TryAdd(line);
                            }
                        }
                    }
                    catch (LogInputException e)
                    {
                        block.Error = e;
                    }
                    // The last block of a source carries what the splitter cut from it.
                    block.CutLines = splitter.CutLines.ToArray();
                    block.CutLineCount = splitter.CutLineCount;
                    block.CutBytes = splitter.CutBytes;
                    full.Add(block, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            full.CompleteAdding();
        }
    }

    /// <summary>Consecutive lines of one source, copied into one buffer with their classification and, for lines that
    /// open a record, their template; recycled between the two threads.</summary>
    private sealed class LineBlock(int capacity, LogReducerOptions options)
    {
        private const int MaxLines = 1 << 15;
        public readonly char[] Keys = new char[capacity];
        public readonly LogLineHeader[] Headers = new LogLineHeader[MaxLines];
        public readonly int[] KeyStarts = new int[MaxLines];
        public readonly int[] KeyLengths = new int[MaxLines];
        private int _keysUsed;

        public readonly char[] Chars = new char[capacity];
        // Bounded by lines as well as characters: a file of empty lines must not grow these.
        public readonly int[] Starts = new int[MaxLines];
        public readonly int[] Lengths = new int[MaxLines];
        public string Source = "";
        public long FirstLine;
        public int Count;
        public LogInputException? Error;
        public LogCutLine[]? CutLines;
        public long CutLineCount, CutBytes;
        private int _used;

        public void Reset(string source, long firstLine)
        {
            Source = source;
            FirstLine = firstLine;
            Count = 0;
            _used = 0;
            _keysUsed = 0;
            Error = null;
            CutLines = null;
            CutLineCount = CutBytes = 0;
        }

        public bool TryAdd(ReadOnlySpan<char> line)
        {
            if (_used + line.Length > Chars.Length || Count == MaxLines || _keysUsed + options.MaxTemplateChars > Keys.Length) return false;
            line.CopyTo(Chars.AsSpan(_used));
            Starts[Count] = _used;
            Lengths[Count] = line.Length;
            var header = LogReducer.IsBlank(line) ? default : LogLineClassifier.Classify(line);
            Headers[Count] = header;
            KeyLengths[Count] = -1;
            if (header.StartsRecord && header.Kind != LogLineKind.JournalExport)
            {
                int n = LogReducer.MaskHeaderLine(line, header, options, Keys.AsSpan(_keysUsed));
                KeyStarts[Count] = _keysUsed;
                KeyLengths[Count] = n;
                _keysUsed += n;
            }
            Count++;
            _used += line.Length;
            return true;
        }
    }

    /// <summary><see cref="ReadInto"/> off the calling thread (the pipelined fast path runs on worker threads); the
    /// reducer must not be touched until the task completes.</summary>
    public static Task<IReadOnlyList<LogInputException>> ReadIntoAsync(LogReducer reducer, IEnumerable<LogSource> sources,
        LogReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reducer);
        ArgumentNullException.ThrowIfNull(sources);
        return Task.Run(() => ReadInto(reducer, sources, options, cancellationToken), cancellationToken);
    }

    private static string CurrentText(LogLineSplitter splitter) => splitter.Current.ToString();

    private static LogLineSplitter? TryOpen(LogSource source, LogReaderOptions options, Action<LogInputException> onError)
    {
        try { return LogLineSplitter.Open(source, options.MaxLineChars); }
        catch (LogInputException e) { onError(e); return null; }
    }
}
