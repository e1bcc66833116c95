namespace ReasonTools.Core.Logs;

/// <summary>One log input could not be read (missing, binary, corrupt, access denied). It fails that input only:
/// <see cref="LogReader"/> reports it and goes on with the others.</summary>
public sealed class LogInputException : ReasonFailure
{
    public LogInputException(string sourceName, string reason, Exception? innerException = null)
        : base(FailureKind.BadInput, $"{sourceName}: {reason}", innerException)
    {
        SourceName = sourceName;
        Setting = SettingNames.Files;
        Reason = reason;
    }

    /// <summary>The input's name (a path, "stdin", a caller's label).</summary>
    public string SourceName { get; }

    /// <summary>Why it could not be read, in words a user can act on.</summary>
    public string Reason { get; }
}
