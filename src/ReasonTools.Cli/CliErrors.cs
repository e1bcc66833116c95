using ReasonTools.Core;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Gguf;
using ReasonTools.Core.Remote;

namespace ReasonTools.Cli;

/// <summary>
/// The CLI's one classification of failures: the core's <see cref="FailureKind"/> becomes the documented exit code,
/// and the failure is worded with <c>reason</c>'s options and commands (<see cref="CliWording"/>) on one line of stderr.
/// </summary>
internal static class CliErrors
{
    public static int Report(Exception e, TextWriter stderr)
    {
        var (code, message) = Classify(e);
        stderr.WriteLine($"reason: {ReasonTools.Reports.TerminalText.Clean(message)}");
        return code;
    }

    internal static (int Code, string Message) Classify(Exception e) => (ExitCode(e), Describe(e));

    /// <summary>ARCHITECTURE.md's exit codes by kind; a remote failure by what the user can do about it.</summary>
    internal static int ExitCode(Exception e) => ReasonFailure.KindOf(e) switch
    {
        FailureKind.BadInput => ExitCodes.BadInput,
        FailureKind.ModelNotFound or FailureKind.DoesNotFit => ExitCodes.ModelUnavailable,
        FailureKind.Cancelled => ExitCodes.Cancelled,
        FailureKind.Remote => ((RemoteModelException)e).Kind switch
        {
            RemoteErrorKind.InvalidReference or RemoteErrorKind.MissingKey => ExitCodes.BadInput,
            RemoteErrorKind.ModelNotFound or RemoteErrorKind.Unreachable or RemoteErrorKind.KeyRejected => ExitCodes.ModelUnavailable,
            _ => ExitCodes.RuntimeFailure,
        },
        _ => ExitCodes.RuntimeFailure,
    };

    /// <summary>The failure in the CLI's words; an unexpected exception names its type, as a defect should.</summary>
    internal static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "cancelled.",
        GgufFormatException g => $"not a valid GGUF model: {g.Describe(CliWording.Instance)}",
        PromptSetException s => $"invalid prompt set: {s.Describe(CliWording.Instance)}",
        ReasonFailure f => f.Describe(CliWording.Instance),
        IOException or UnauthorizedAccessException => e.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}

/// <summary><c>reason</c>'s names for the core's settings and commands.</summary>
internal sealed class CliWording : IFailureWording
{
    public static CliWording Instance { get; } = new();

    private static readonly Dictionary<string, string> Options = new(StringComparer.Ordinal)
    {
        [SettingNames.Model] = "--model",
        [SettingNames.Prompt] = "--prompt",
        [SettingNames.Files] = "--file",
        [SettingNames.Task] = "--task",
        [SettingNames.ContextSize] = "--context",
        [SettingNames.MaxTokens] = "--max-tokens",
        [SettingNames.Temperature] = "--temperature",
        [SettingNames.TopP] = "--top-p",
        [SettingNames.TopK] = "--top-k",
        [SettingNames.Seed] = "--seed",
        [SettingNames.Threads] = "--threads",
        [SettingNames.GpuLayers] = "--gpu-layers",
        [SettingNames.Quantization] = "--quant",
        [SettingNames.Folder] = "--dir",
        [SettingNames.PromptSet] = "--prompts",
        [SettingNames.AllowUnsandboxedCode] = "--allow-unsandboxed-code",
        [SettingNames.KeepAlive] = "--keep-alive",
    };

    /// <summary>The option that sets <paramref name="setting"/>, such as <c>--context</c>.</summary>
    public static string Option(string setting) => Options.TryGetValue(setting, out var option) ? option : "--" + setting;

    public string Setting(string name, string? value = null) => value is null ? Option(name) : $"{Option(name)} {value}";

    public string Download(string size, string? quantization) =>
        quantization is null ? $"reason pull {size}" : $"reason pull {size} --quant {quantization}";

    public string LogAnalysisTask => "--task logs";
}
