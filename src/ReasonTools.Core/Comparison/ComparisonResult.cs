using ReasonTools.Core.Inference;

namespace ReasonTools.Core.Comparison;

/// <summary>One model answering one prompt of a set (ARCHITECTURE.md: Comparison rows).</summary>
public sealed record ComparisonRow
{
    public required string Model { get; init; }
    public required string PromptId { get; init; }
    /// <summary>Graded answer; null when the prompt has no expected answer or the model could not run.</summary>
    public bool? Correct { get; init; }
    public string? FinalAnswer { get; init; }
    public int ThinkingTokens { get; init; }
    public int AnswerTokens { get; init; }
    public double TokensPerSecond { get; init; }
    public double? TimeToFirstAnswerTokenMs { get; init; }
    public double TotalMs { get; init; }
    public FinishReason? FinishReason { get; init; }
    /// <summary>Why the row has no result (model missing, does not fit, native failure), or how it was graded.</summary>
    public string? Note { get; init; }
    /// <summary>Code graders: the code that ran (extracted from the answer); null for the other graders.</summary>
    public string? Code { get; init; }
    /// <summary>Code graders: tests passed and tests in all; null for the other graders.</summary>
    public int? TestsPassed { get; init; }
    public int? TestsTotal { get; init; }
    /// <summary>The full result behind the row, when there is one (not serialized in the compact JSON).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ReasonResult? Result { get; init; }
    /// <summary>The failure behind a row with no result, so a front can word <see cref="Note"/> in its own terms.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ComparisonFailure? Failure { get; init; }
    /// <summary>Why the answer's code was not run (no sandbox, not allowed), so a front can name its own switch in <see cref="Note"/>.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ReasonFailure? CodeRefusal { get; init; }

    /// <summary>
    /// This row with <see cref="Note"/> worded by <paramref name="describe"/> (a front's wording of the failure or of the
    /// code refusal); unchanged without either.
    /// </summary>
    public ComparisonRow WordFailure(Func<Exception, string> describe)
    {
        ArgumentNullException.ThrowIfNull(describe);
        if (Failure is not null) return this with { Note = Failure.Note(describe(Failure.Error)) };
        return CodeRefusal is null ? this : this with { Note = describe(CodeRefusal) };
    }
}

/// <summary>Why a model gave no result for a row: it could not be opened (<see cref="WhileOpening"/>) or failed while answering.</summary>
public sealed record ComparisonFailure(Exception Error, bool WhileOpening)
{
    /// <summary>The row's note for the failure described as <paramref name="description"/>.</summary>
    public string Note(string description) => (WhileOpening ? "model could not run: " : "model failed: ") + description;
}

/// <summary>Per-model figures over all prompts of a comparison. Accuracy is null when no prompt had an expected answer.</summary>
public sealed record ComparisonSummary(
    string Model,
    double? Accuracy,
    double MeanTokensPerSecond,
    double MeanThinkingTokens,
    double MeanTotalMs);

public sealed record ComparisonResult(
    string PromptSetName,
    IReadOnlyList<ComparisonRow> Rows,
    IReadOnlyList<ComparisonSummary> Summary);
