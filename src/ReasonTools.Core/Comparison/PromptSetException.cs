namespace ReasonTools.Core.Comparison;

/// <summary>A prompt set file that cannot be used; the message names the file, the line and the field.</summary>
public sealed class PromptSetException : ReasonFailure
{
    public PromptSetException(string sourceName, int? line, string? field, string problem, Exception? inner = null)
        : base(FailureKind.BadInput, Compose(sourceName, line, field, problem), inner)
    {
        SourceName = sourceName;
        Setting = SettingNames.PromptSet;
        Line = line;
        Field = field;
        Problem = problem;
    }

    /// <summary>The file name (or the name the caller gave the text).</summary>
    public string SourceName { get; }

    /// <summary>1-based line of the offending value; null when the problem is the file as a whole.</summary>
    public int? Line { get; }

    /// <summary>JSON path of the offending field, such as <c>prompts[2].grader</c>; null when none.</summary>
    public string? Field { get; }

    /// <summary>The problem alone, without file and line.</summary>
    public string Problem { get; }

    private static string Compose(string sourceName, int? line, string? field, string problem)
    {
        var where = line is null ? sourceName : $"{sourceName} line {line}";
        return field is null ? $"{where}: {problem}" : $"{where}: {field} {problem}";
    }
}
