namespace ReasonTools.Core;

/// <summary>What kind of failure stopped an operation; each front turns a kind into its exit code or error category.</summary>
public enum FailureKind
{
    /// <summary>The user's input cannot be used: an empty prompt, an unreadable file, a malformed GGUF or prompt set, a prompt longer than the context.</summary>
    BadInput,
    /// <summary>The model asked for is not on this machine, or no name matches it.</summary>
    ModelNotFound,
    /// <summary>The model would not fit in this machine's memory, or there is no room on disk for it.</summary>
    DoesNotFit,
    /// <summary>llama.cpp failed: the libraries are missing, a model would not load, a decode failed.</summary>
    NativeRuntime,
    /// <summary>The user stopped the operation.</summary>
    Cancelled,
    /// <summary>A remote model endpoint failed; <c>RemoteModelException.Kind</c> says how.</summary>
    Remote,
}

/// <summary>
/// A failure the user can act on, as data: its <see cref="Kind"/>, the model, sizes and setting concerned, and the
/// suggested next steps. Core words the problem but never names a front's option or command: it asks an
/// <see cref="IFailureWording"/> for those, so the CLI says <c>--context 2048</c> and PowerShell <c>-ContextSize 2048</c>.
/// <see cref="Exception.Message"/> is the <see cref="FailureWording.Neutral"/> wording.
/// </summary>
public class ReasonFailure : Exception
{
    private readonly Func<IFailureWording, string> _describe;

    /// <summary>A failure whose description names no option or command.</summary>
    public ReasonFailure(FailureKind kind, string message, Exception? inner = null) : this(kind, _ => message, inner) { }

    /// <summary>A failure whose description names options or commands, through the front's <see cref="IFailureWording"/>.</summary>
    public ReasonFailure(FailureKind kind, Func<IFailureWording, string> describe, Exception? inner = null) : base(null, inner)
    {
        ArgumentNullException.ThrowIfNull(describe);
        Kind = kind;
        _describe = describe;
    }

    public FailureKind Kind { get; }

    /// <summary>The setting concerned, by its neutral name (<see cref="SettingNames"/>), or null.</summary>
    public string? Setting { get; init; }

    /// <summary>The model concerned (a catalog name, a path or a reference as given), or null.</summary>
    public string? Model { get; init; }

    /// <summary>The quantization concerned, or null.</summary>
    public string? Quantization { get; init; }

    /// <summary>Bytes the operation needs (memory, disk), when the failure is about room.</summary>
    public long? RequiredBytes { get; init; }

    /// <summary>Bytes there are, beside <see cref="RequiredBytes"/>.</summary>
    public long? AvailableBytes { get; init; }

    /// <summary>What the user could do next, most useful first; fronts may offer them in their own form.</summary>
    public IReadOnlyList<NextStep> NextSteps { get; init; } = [];

    /// <summary>The failure in a front's words.</summary>
    public string Describe(IFailureWording wording) => _describe(wording);

    /// <summary>The failure with neutral names for options and commands (logs, notebooks, callers of the library).</summary>
    public override string Message => _describe(FailureWording.Neutral);

    /// <summary>
    /// The one classification every front and the comparison runner share: the kind of a failure, or null for an
    /// exception that is no user-facing failure (a defect). Cancellation and plain file-system errors (an input file
    /// that cannot be read) are classified even though they are not <see cref="ReasonFailure"/>s.
    /// </summary>
    public static FailureKind? KindOf(Exception error) => error switch
    {
        ReasonFailure f => f.Kind,
        OperationCanceledException => FailureKind.Cancelled,
        IOException or UnauthorizedAccessException => FailureKind.BadInput,
        _ => null,
    };
}

/// <summary>What a suggested next step is.</summary>
public enum NextStepKind
{
    /// <summary>Download the catalog model <see cref="NextStep.Model"/> (a size such as 7b) in <see cref="NextStep.Quantization"/> (null: the default).</summary>
    Download,
    /// <summary>Use the <see cref="NextStep.Quantization"/> file of the same model, which needs <see cref="NextStep.RequiredBytes"/>.</summary>
    UseQuantization,
    /// <summary>Use <see cref="NextStep.Model"/> <see cref="NextStep.Quantization"/> instead; <see cref="NextStep.Detail"/> says why.</summary>
    UseModel,
    /// <summary>Set <see cref="NextStep.Setting"/> to <see cref="NextStep.Value"/> (a smaller or larger context, another folder).</summary>
    ChangeSetting,
    /// <summary>Give the path of a model file.</summary>
    GiveModelPath,
    /// <summary>Use the log analysis task, which reduces a log of any size.</summary>
    UseLogAnalysis,
    /// <summary>Give less text.</summary>
    ShortenInput,
    /// <summary>Free disk or memory.</summary>
    FreeSpace,
    /// <summary>Run the operation again (a download resumes).</summary>
    Retry,
}

/// <summary>One suggested next step, as data.</summary>
public sealed record NextStep(NextStepKind Kind)
{
    public string? Model { get; init; }
    public string? Quantization { get; init; }
    /// <summary>The setting to change (<see cref="SettingNames"/>), for <see cref="NextStepKind.ChangeSetting"/>.</summary>
    public string? Setting { get; init; }
    /// <summary>The value to give <see cref="Setting"/>, when there is one to suggest.</summary>
    public string? Value { get; init; }
    public long? RequiredBytes { get; init; }
    /// <summary>A short note on the step (an expected speed, "to download").</summary>
    public string? Detail { get; init; }
}

/// <summary>How a front names options, tasks and commands in failure messages.</summary>
public interface IFailureWording
{
    /// <summary>The option for a setting (<see cref="SettingNames"/>), with a value when given: "--context 2048", "-ContextSize 2048".</summary>
    string Setting(string name, string? value = null);

    /// <summary>The command that downloads catalog model <paramref name="size"/>: "reason pull 7b --quant Q8_0".</summary>
    string Download(string size, string? quantization);

    /// <summary>How the user picks the log analysis task: "--task logs", "-Task LogAnalysis".</summary>
    string LogAnalysisTask { get; }
}

/// <summary>Wordings Core itself offers.</summary>
public static class FailureWording
{
    /// <summary>Names settings as the contract does ("contextSize 2048") and downloads in words: for logs, notebooks and library callers.</summary>
    public static IFailureWording Neutral { get; } = new NeutralWording();

    private sealed class NeutralWording : IFailureWording
    {
        public string Setting(string name, string? value = null) => value is null ? $"the {name} setting" : $"{name} {value}";
        public string Download(string size, string? quantization) =>
            quantization is null ? $"a download of the {size} model" : $"a download of the {size} model in {quantization}";
        public string LogAnalysisTask => "the log analysis task";
    }
}

/// <summary>The neutral names of the settings every front binds (JSON's camelCase, as in <c>settings</c> of a ReasonResult).</summary>
public static class SettingNames
{
    public const string Model = "model";
    public const string Prompt = "prompt";
    public const string Files = "files";
    public const string Task = "task";
    public const string ContextSize = "contextSize";
    public const string MaxTokens = "maxTokens";
    public const string Temperature = "temperature";
    public const string TopP = "topP";
    public const string TopK = "topK";
    public const string Seed = "seed";
    public const string Threads = "threads";
    public const string GpuLayers = "gpuLayers";
    public const string Quantization = "quantization";
    /// <summary>The folder a download goes to.</summary>
    public const string Folder = "folder";
    public const string PromptSet = "promptSet";
    /// <summary>Run generated code without isolation where no sandbox is available (code graders).</summary>
    public const string AllowUnsandboxedCode = "allowUnsandboxedCode";

    /// <summary>Sequences generated together.</summary>
    public const string Parallel = "parallel";

    /// <summary>How long a model stays loaded after its last use.</summary>
    public const string KeepAlive = "keepAlive";
}
