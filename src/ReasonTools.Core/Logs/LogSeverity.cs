namespace ReasonTools.Core.Logs;

/// <summary>How severe a log record is, as recognised from its level token, syslog priority or HTTP status.</summary>
/// <remarks>Ordered so that a larger value is more severe; <see cref="Unknown"/> ranks like <see cref="Info"/>.</remarks>
public enum LogSeverity
{
    /// <summary>No level was recognised.</summary>
    Unknown = 0,
    Trace = 1,
    Debug = 2,
    Info = 3,
    Warning = 4,
    Error = 5,
    /// <summary>Fatal, critical, emergency, alert, panic.</summary>
    Critical = 6,
}
