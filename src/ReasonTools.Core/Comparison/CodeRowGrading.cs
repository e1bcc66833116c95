using ReasonTools.Core.Inference;
using ReasonTools.Core.Reasoning.Grading.Code;

namespace ReasonTools.Core.Comparison;

/// <summary>Adds the outcome of running a code answer to its comparison row.</summary>
public static class CodeRowGrading
{
    /// <summary>The row graded by running its answer when the prompt has a code grader; otherwise the row unchanged.</summary>
    public static async Task<ComparisonRow> GradeAsync(ComparisonRow row, PromptSetItem prompt, CodeExecutionOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(prompt);
        if (prompt.Tests is null || !CodeGrader.Runs(prompt.Grader) || row.Result is not { } result) return row;
        if (result.FinishReason == FinishReason.Cancelled) return row;
        var grade = await CodeGrader.GradeAsync(result.Answer, prompt.Grader, prompt.Tests, options, cancellationToken).ConfigureAwait(false);
        return row with
        {
            Correct = grade.Correct,
            Code = grade.Code,
            TestsPassed = grade.Correct is null ? null : grade.TestsPassed,
            TestsTotal = grade.TestsTotal,
            Note = grade.Reason,
            CodeRefusal = grade.Refusal,
        };
    }
}
