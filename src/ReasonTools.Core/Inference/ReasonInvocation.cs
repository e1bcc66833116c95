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
    public IReadOnlyList<PromptDocument> Documents { get; init; } = [];
    public ReasonTask Task { get; init; } = ReasonTask.General;
    public EngineOptions Engine { get; init; } = new();
    /// <summary>Sampling settings; its Prompt is built from the question and documents.</summary>
    public ReasonRequest Sampling { get; init; } = new();
}
