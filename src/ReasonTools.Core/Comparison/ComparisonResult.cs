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
    /// <summary><see cref="FinalAnswer"/> as plain text (LaTeX and markdown turned into what they say), for people to read.</summary>
    public string? FinalAnswerText => FinalAnswer is null ? null : Reasoning.FinalAnswerExtractor.PlainText(FinalAnswer);
    public int ThinkingTokens { get; init; }
    public int AnswerTokens { get; init; }
    public double TokensPerSecond { get; init; }
    public double? TimeToFirstAnswerTokenMs { get; init; }
    public double TotalMs { get; init; }
    public FinishReason? FinishReason { get; init; }
    /// <summary>
    /// Why the row has no result (a model that failed in the middle of a prompt), or how it was graded. Rows of a model
    /// that never ran have none: its <see cref="ComparisonSummary.NotRunReason"/> says why, once.
    /// </summary>
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

    /// <summary>True when the row's model never ran (could not be opened); the reason is in the model's summary.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool NotRun => Failure is { WhileOpening: true };

    /// <summary>
    /// This row with <see cref="Note"/> worded by <paramref name="describe"/> (a front's wording of the failure or of the
    /// code refusal); unchanged without either, and for a model that never ran (its summary says why, once).
    /// </summary>
    public ComparisonRow WordFailure(Func<Exception, string> describe)
    {
        ArgumentNullException.ThrowIfNull(describe);
        if (NotRun) return this;
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

/// <summary>
/// Per-model figures over all prompts of a comparison. Accuracy is null when no prompt had an expected answer or the
/// model never ran; the means are null when no prompt ran. <see cref="NotRunReason"/> says, once, why a model never ran.
/// </summary>
public sealed record ComparisonSummary(
    string Model,
    double? Accuracy,
    double? MeanTokensPerSecond,
    double? MeanThinkingTokens,
    double? MeanTotalMs)
{
    /// <summary>Mean time from the start of a prompt to the first answer token, over the prompts that reached an answer; null when none did.</summary>
    public double? MeanTimeToFirstAnswerTokenMs { get; init; }

    /// <summary>Why the model gave no result at all (missing, does not fit, failed to load); null when it ran.</summary>
    public string? NotRunReason { get; init; }

    /// <summary>True when the model ran on at least one prompt.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Ran => NotRunReason is null;

    /// <summary>The failure behind <see cref="NotRunReason"/>, so a front can word it in its own terms.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ComparisonFailure? Failure { get; init; }

    /// <summary>This summary with <see cref="NotRunReason"/> worded by <paramref name="describe"/>; unchanged for a model that ran.</summary>
    public ComparisonSummary WordFailure(Func<Exception, string> describe) =>
        Failure is null ? this : this with { NotRunReason = Failure.Note(describe(Failure.Error)) };
}

public sealed record ComparisonResult(
    string PromptSetName,
    IReadOnlyList<ComparisonRow> Rows,
    IReadOnlyList<ComparisonSummary> Summary)
{
    /// <summary>Set when the comparison was stopped before every cell ran: the rows and summary cover what finished.</summary>
    public ComparisonInterruption? Interrupted { get; init; }

    /// <summary>True when at least one model ran (a front exits with an error when none did).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool AnyModelRan => Summary.Any(s => s.Ran);

    /// <summary>Rows and summaries with their failures worded by <paramref name="describe"/> (a front's wording).</summary>
    public ComparisonResult WordFailures(Func<Exception, string> describe) => this with
    {
        Rows = [.. Rows.Select(r => r.WordFailure(describe))],
        Summary = [.. Summary.Select(s => s.WordFailure(describe))],
    };
}

/// <summary>A comparison stopped after <see cref="Finished"/> of its <see cref="Total"/> model × prompt cells.</summary>
public sealed record ComparisonInterruption(int Finished, int Total);
