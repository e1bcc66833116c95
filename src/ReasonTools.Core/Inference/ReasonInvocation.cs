namespace ReasonTools.Core.Inference;

/// <summary>What kind of question a run asks.</summary>
public enum ReasonTask
{
    /// <summary>The question and any attached text, as they are.</summary>
    General,
    /// <summary>The attached text is a log: it is reduced to what matters and the model is asked for the root cause.</summary>
    LogAnalysis,
}

/// <summary>Everything a front gathered for one run: which model, the question, attached documents, settings.</summary>
public sealed record ReasonInvocation
{
    /// <summary>A GGUF path (catalog names and Ollama tags resolve to one).</summary>
    public required string Model { get; init; }
    public string? Question { get; init; }
    /// <summary>Text given along (pipeline strings, piped input already read).</summary>
    public IReadOnlyList<PromptDocument> Documents { get; init; } = [];
    /// <summary>Files or glob patterns. A log is streamed through the reducer whatever its size (gzip too); for a general question each file is read whole.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];
    /// <summary>Named streams read once (standard input): streamed for a log, read whole otherwise.</summary>
    public IReadOnlyList<(string Name, Stream Stream)> Streams { get; init; } = [];
    public ReasonTask Task { get; init; } = ReasonTask.General;
    public EngineOptions Engine { get; init; } = new();
    /// <summary>A previous result this run follows up: its prompts and answers (not its chain) go before the new question.</summary>
    public ReasonResult? Continue { get; init; }
    /// <summary>How long the model stays loaded after the run (null: the host's default, 5 minutes; 0 unloads at once).</summary>
    public TimeSpan? KeepAlive { get; init; }
    /// <summary>Sampling settings; its Prompt is built from the question and documents.</summary>
    public ReasonRequest Sampling { get; init; } = new();
}
