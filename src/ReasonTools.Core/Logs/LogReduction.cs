namespace ReasonTools.Core.Logs;

/// <summary>One record (a line, or a multi-line group such as a stack trace) as it appeared in the input.</summary>
/// <param name="Source">Input it came from.</param>
/// <param name="LineNumber">1-based number of its first line in <paramref name="Source"/>.</param>
/// <param name="EndLineNumber">Number of its last line (equal to <paramref name="LineNumber"/> for one line).</param>
/// <param name="RecordNumber">1-based position among all records of the run: orders records across sources.</param>
/// <param name="Severity">Recognised severity (an exception without a level counts as an error).</param>
/// <param name="HasException">It carries a stack trace or names an exception.</param>
/// <param name="Text">Its lines, joined by '\n'; a record longer than the reducer's cap ends with a note of what was cut.</param>
public sealed record LogRecordSample(
    string Source, long LineNumber, long EndLineNumber, long RecordNumber, LogSeverity Severity, bool HasException, string Text);

/// <summary>A group of records with the same template (same message once numbers, ids, paths and times are masked).</summary>
public sealed class LogTemplate
{
    internal LogTemplate(string template, int hash, LogSeverity severity, bool hasException, LogRecordSample first)
    {
        Template = template;
        Hash = hash;
        Severity = severity;
        HasException = hasException;
        First = first;
        Count = 1;
        LastSource = first.Source;
        LastLineNumber = first.LineNumber;
    }

    /// <summary>The masked text: "Retrying connection to &lt;ip&gt; (attempt &lt;n&gt;)".</summary>
    public string Template { get; }
    public LogSeverity Severity { get; }
    public bool HasException { get; }
    /// <summary>How many records had this template.</summary>
    public long Count { get; internal set; }
    /// <summary>The first record with this template, verbatim.</summary>
    public LogRecordSample First { get; }
    /// <summary>Source and first line of the last record with this template.</summary>
    public string LastSource { get; internal set; }
    public long LastLineNumber { get; internal set; }
    /// <summary>Timestamp text of the first and the last occurrence, when the lines carry one.</summary>
    public string? FirstTimestamp { get; internal set; }
    public string? LastTimestamp => _lastTimestamp is null || _lastTimestampLength == 0 ? null : new string(_lastTimestamp, 0, _lastTimestampLength);

    internal int Hash { get; }
    internal char[]? _lastTimestamp;
    internal int _lastTimestampLength;
}

/// <summary>Counts over everything the reducer saw.</summary>
public sealed record LogTotals
{
    public long Lines { get; init; }
    public long BlankLines { get; init; }
    public long Records { get; init; }
    /// <summary>Records of severity Error or Critical (exceptions without a level included).</summary>
    public long Errors { get; init; }
    public long Warnings { get; init; }
    /// <summary>UTF-8 size of the lines, terminators counted as one byte each.</summary>
    public long Bytes { get; init; }
    /// <summary>Distinct templates seen, evicted ones included.</summary>
    public long DistinctTemplates { get; init; }
    /// <summary>Templates evicted because the template table was full, and the records they held.</summary>
    public long EvictedTemplates { get; init; }
    public long EvictedRecords { get; init; }
    /// <summary>Evicted records of severity Warning or above (eviction prefers the least severe).</summary>
    public long EvictedWarningOrWorse { get; init; }
    /// <summary>Records whose text was longer than the cap and kept in part.</summary>
    public long TruncatedRecords { get; init; }
    /// <summary>Lines longer than the reader's cap, kept in part (their full size is in <see cref="Bytes"/>).</summary>
    public long CutLines { get; init; }
}

/// <summary>Per-input counts.</summary>
public sealed record LogSourceSummary(string Name, long Lines, long Records, long Errors, long Warnings);

/// <summary>An input that could not be read, and why (binary, missing, unreadable).</summary>
public sealed record LogSkippedSource(string Name, string Reason);

/// <summary>What <see cref="LogReducer.Complete"/> returns: ranked templates, the first error with what preceded
/// it, totals. Pure data; <see cref="LogPromptBuilder"/> turns it into a prompt.</summary>
public sealed class LogReduction
{
    internal LogReduction(IReadOnlyList<LogTemplate> templates, LogRecordSample? firstError, IReadOnlyList<LogRecordSample> context,
        LogTotals totals, IReadOnlyList<LogSourceSummary> sources, IReadOnlyList<LogSkippedSource> skipped)
    {
        Templates = templates;
        FirstError = firstError;
        ContextBeforeFirstError = context;
        Totals = totals;
        Sources = sources;
        SkippedSources = skipped;
    }

    /// <summary>Templates, most telling first: errors and exceptions, then warnings, then the rest; within a class the
    /// more severe, then the rarer, then the earlier.</summary>
    public IReadOnlyList<LogTemplate> Templates { get; }
    /// <summary>The first record of severity Error or above, or null when there is none.</summary>
    public LogRecordSample? FirstError { get; }
    /// <summary>The records just before <see cref="FirstError"/> in the same source, oldest first.</summary>
    public IReadOnlyList<LogRecordSample> ContextBeforeFirstError { get; }
    public LogTotals Totals { get; }
    public IReadOnlyList<LogSourceSummary> Sources { get; }
    public IReadOnlyList<LogSkippedSource> SkippedSources { get; }
    /// <summary>The first lines cut for length, with their full size (<see cref="LogTotals.CutLines"/> counts them all).</summary>
    public IReadOnlyList<LogCutLine> CutLines { get; internal init; } = [];
}
