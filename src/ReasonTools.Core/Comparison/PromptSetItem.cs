using ReasonTools.Core.Reasoning.Grading;

namespace ReasonTools.Core.Comparison;

/// <summary>One question of a prompt set.</summary>
/// <param name="Id">Unique within the set (compared ignoring case).</param>
/// <param name="Prompt">The question as sent to the model.</param>
/// <param name="Expected">The expected answer (a pattern for <see cref="GraderKind.Regex"/>); null when the prompt is not graded.</param>
/// <param name="Grader">How <paramref name="Expected"/> is compared; <see cref="GraderKind.Text"/> when the file names none.</param>
public sealed record PromptSetItem(string Id, string Prompt, string? Expected, GraderKind Grader)
{
    /// <summary>What a code grader runs the answer against; null for the other graders.</summary>
    public Reasoning.Grading.Code.CodeTests? Tests { get; init; }

    /// <summary>True when the prompt has an expected answer to grade against, or tests to run.</summary>
    public bool IsGraded => Expected is not null || Tests is not null;

    /// <summary>Grades a final answer against this prompt's expected answer; null when the prompt is not graded or runs code (see <see cref="Reasoning.Grading.Code.CodeGrader"/>).</summary>
    public GradeResult? Grade(string? finalAnswer, Inference.FinishReason? finishReason = null, bool reasoningComplete = true) =>
        Expected is null ? null : AnswerGrader.Grade(finalAnswer, Expected, Grader, finishReason, reasoningComplete);
}
