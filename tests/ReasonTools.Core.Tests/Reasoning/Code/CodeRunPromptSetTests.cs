using ReasonTools.Core.Comparison;
using ReasonTools.Core.Reasoning.Grading;
using ReasonTools.Core.Reasoning.Grading.Code;

namespace ReasonTools.Core.Tests.Reasoning.Code;

/// <summary>prompts/code-run.json: every prompt's tests pass a reference solution and fail a buggy one, run in the sandbox.</summary>
public sealed class CodeRunPromptSetTests
{
    private static readonly Lazy<PromptSet> Set = new(() => PromptSet.Load(Path.Combine(Repository.Folder("prompts"), "code-run.json")));

    public static TheoryData<string> PromptIds => new(ReferenceAnswers.ByPrompt.Keys);

    [Fact]
    public void Every_prompt_of_the_set_has_reference_answers_and_the_seeds_tasks_are_there()
    {
        Assert.Equal(Set.Value.Prompts.Select(p => p.Id).Order(), ReferenceAnswers.ByPrompt.Keys.Order());
        Assert.Contains(Set.Value.Prompts, p => p.Id == "snake-game" && p.Grader == GraderKind.Browser);
        Assert.All(Set.Value.Prompts, p => Assert.True(p.IsGraded));
    }

    [Theory]
    [MemberData(nameof(PromptIds))]
    public async Task The_reference_solution_passes_every_test_and_the_buggy_one_fails(string id)
    {
        var prompt = Set.Value.Prompts.Single(p => p.Id == id);
        var (right, buggy) = ReferenceAnswers.ByPrompt[id];

        var pass = await CodeGrader.GradeAsync(right, prompt.Grader, prompt.Tests!, new CodeExecutionOptions(), CancellationToken.None);
        Assert.True(pass.Correct, pass.Reason);
        Assert.Equal(prompt.Tests!.Count, pass.TestsPassed);
        Assert.Equal(prompt.Tests.Count, pass.TestsTotal);
        Assert.NotNull(pass.Code);
        Assert.DoesNotContain("```", pass.Code);

        var fail = await CodeGrader.GradeAsync(buggy, prompt.Grader, prompt.Tests, new CodeExecutionOptions(), CancellationToken.None);
        Assert.False(fail.Correct, fail.Reason);
        Assert.True(fail.TestsPassed < fail.TestsTotal);
        Assert.Matches(@"test|check|assert|Error", fail.Reason);
    }

    [Fact]
    public async Task An_answer_to_the_program_prompt_in_a_helper_block_and_a_main_block_runs_joined_and_passes()
    {
        var prompt = Set.Value.Prompts.Single(p => p.Id == "earlier-smaller-count");
        var answer = """
            The counting helper (a Fenwick tree over ranks):
            ```python
            def count_smaller_before(a):
                ranks = {v: i + 1 for i, v in enumerate(sorted(set(a)))}
                tree = [0] * (len(ranks) + 1)
                out = []
                for v in a:
                    r, s = ranks[v] - 1, 0
                    while r > 0:
                        s += tree[r]
                        r -= r & -r
                    out.append(s)
                    r = ranks[v]
                    while r < len(tree):
                        tree[r] += 1
                        r += r & -r
                return out
            ```
            And the program that reads standard input:
            ```python
            import sys
            data = sys.stdin.read().split()
            print(' '.join(map(str, count_smaller_before(list(map(int, data[1:1 + int(data[0])]))))))
            ```
            """;

        var grade = await CodeGrader.GradeAsync(answer, prompt.Grader, prompt.Tests!, new CodeExecutionOptions(), CancellationToken.None);

        Assert.True(grade.Correct, grade.Reason);
        Assert.Equal(prompt.Tests!.Count, grade.TestsPassed);
        Assert.StartsWith("def count_smaller_before(a):", grade.Code);
    }
}
