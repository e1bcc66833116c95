namespace ReasonTools.Core.Logs;

/// <summary>One line of a log input: where it came from, its 1-based line number in that source, and its text.</summary>
/// <param name="Source">Name of the input (file path, "stdin", a caller's label).</param>
/// <param name="LineNumber">1-based line number within <paramref name="Source"/>.</param>
/// <param name="Text">The line without its terminator; an over-long line ends with a truncation marker.</param>
public readonly record struct LogLine(string Source, long LineNumber, string Text);

/// <summary>A line longer than the reader's cap: its first <paramref name="KeptBytes"/> were kept, of <paramref name="FullBytes"/> (UTF-8).</summary>
public sealed record LogCutLine(string Source, long LineNumber, long KeptBytes, long FullBytes);
