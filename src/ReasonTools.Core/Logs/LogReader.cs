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
    /// path). An input that fails is noted in the reducer (the prompt mentions it) and returned; the rest are read.</summary>
    public static IReadOnlyList<LogInputException> ReadInto(LogReducer reducer, IEnumerable<LogSource> sources,
        LogReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reducer);
        ArgumentNullException.ThrowIfNull(sources);
        options ??= new LogReaderOptions();
        options.Validate();
        var errors = new List<LogInputException>();
        foreach (var source in sources)
        {
            var splitter = TryOpen(source, options, errors.Add);
            if (splitter is null) { reducer.AddSkippedSource(source.Name, errors[^1].Reason); continue; }
            using (splitter)
            {
                try
                {
                    long lines = 0;
                    while (splitter.MoveNext())
                    {
                        if ((++lines & 0xFFFF) == 0) cancellationToken.ThrowIfCancellationRequested();
                        reducer.Add(source.Name, splitter.LineNumber, splitter.Current);
                    }
                }
                catch (LogInputException e)
                {
                    errors.Add(e);
                    reducer.AddSkippedSource(source.Name, $"{e.Reason} (after line {splitter.LineNumber})");
                }
            }
        }
        return errors;
    }

    /// <summary>Like <see cref="ReadInto"/>, reading asynchronously (standard input, slow disks).</summary>
    public static async Task<IReadOnlyList<LogInputException>> ReadIntoAsync(LogReducer reducer, IEnumerable<LogSource> sources,
        LogReaderOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reducer);
        ArgumentNullException.ThrowIfNull(sources);
        options ??= new LogReaderOptions();
        options.Validate();
        var errors = new List<LogInputException>();
        foreach (var source in sources)
        {
            var splitter = TryOpen(source, options, errors.Add);
            if (splitter is null) { reducer.AddSkippedSource(source.Name, errors[^1].Reason); continue; }
            using (splitter)
            {
                try
                {
                    while (await splitter.MoveNextAsync(cancellationToken).ConfigureAwait(false)) AddCurrent(reducer, source.Name, splitter);
                }
                catch (LogInputException e)
                {
                    errors.Add(e);
                    reducer.AddSkippedSource(source.Name, $"{e.Reason} (after line {splitter.LineNumber})");
                }
            }
        }
        return errors;
    }

    private static void AddCurrent(LogReducer reducer, string name, LogLineSplitter splitter) => reducer.Add(name, splitter.LineNumber, splitter.Current);

    private static string CurrentText(LogLineSplitter splitter) => splitter.Current.ToString();

    private static LogLineSplitter? TryOpen(LogSource source, LogReaderOptions options, Action<LogInputException> onError)
    {
        try { return LogLineSplitter.Open(source, options.MaxLineChars); }
        catch (LogInputException e) { onError(e); return null; }
    }
}
