namespace ReasonTools.Core.Logs;

/// <summary>Limits that keep <see cref="LogReducer"/>'s memory bounded whatever the input size.</summary>
public sealed record LogReducerOptions
{
    /// <summary>Most distinct templates kept; beyond it the least useful are evicted (their counts are reported).</summary>
    public int MaxTemplates { get; init; } = 4096;

    /// <summary>Most characters of a record's text kept as its sample (a long stack trace is cut, its length noted).</summary>
    public int MaxRecordChars { get; init; } = 6000;

    /// <summary>Most lines grouped into one record before a new record is started.</summary>
    public int MaxRecordLines { get; init; } = 400;

    /// <summary>Most characters of a template key (the masked text used to group repeats).</summary>
    public int MaxTemplateChars { get; init; } = 320;

    /// <summary>How many records before the first error are kept as its context.</summary>
    public int ContextRecords { get; init; } = 3;

    /// <summary>Most characters of one context record kept.</summary>
    public int MaxContextChars { get; init; } = 1500;

    internal void Validate()
    {
        if (MaxTemplates < 16) throw new ArgumentOutOfRangeException(nameof(MaxTemplates), MaxTemplates, "At least 16 templates are needed.");
        if (MaxRecordChars < 200) throw new ArgumentOutOfRangeException(nameof(MaxRecordChars), MaxRecordChars, "At least 200 characters are needed.");
        if (MaxRecordLines < 1) throw new ArgumentOutOfRangeException(nameof(MaxRecordLines), MaxRecordLines, "At least one line is needed.");
        if (MaxTemplateChars < 32) throw new ArgumentOutOfRangeException(nameof(MaxTemplateChars), MaxTemplateChars, "At least 32 characters are needed.");
        if (ContextRecords < 0) throw new ArgumentOutOfRangeException(nameof(ContextRecords), ContextRecords, "Cannot be negative.");
        if (MaxContextChars < 80) throw new ArgumentOutOfRangeException(nameof(MaxContextChars), MaxContextChars, "At least 80 characters are needed.");
    }
}
