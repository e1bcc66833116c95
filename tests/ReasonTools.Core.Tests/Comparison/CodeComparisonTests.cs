using ReasonTools.Core.Comparison;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Reasoning.Grading;
using ReasonTools.Core.Reasoning.Grading.Code;
using ReasonTools.Core.Tests.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Comparison;

[Collection(EngineCollection.Name)]
public sealed class CodeComparisonTests
{
    [Fact]
    public async Task A_correct_program_and_a_buggy_one_are_graded_right_and_wrong_with_test_counts()
    {
        var set = new PromptSet("sum", [
            new PromptSetItem("sum", SyntheticModels.Get(ScriptKind.SumProgramRight).Question, null, GraderKind.Python)
            {
                Tests = new CodeTests { Cases = [new StdioCase("2 3\n", "5\n"), new StdioCase("2 2\n", "4\n"), new StdioCase("0 7\n", "7\n")] },
            },
        ]);
        ComparisonResult? result = null;
        await foreach (var u in ComparisonRunner.RunAsync(new ComparisonRequest
                       {
                           Models = [SyntheticModels.GetFile(ScriptKind.SumProgramRight), SyntheticModels.GetFile(ScriptKind.SumProgramWrong)],
                           PromptSet = set,
                           Engine = new EngineOptions { ContextSize = 512, Threads = 1 }, KeepAlive = TimeSpan.Zero,
                           Sampling = new ReasonRequest { Seed = 3 },
                       }))
            if (u.Kind == ComparisonUpdateKind.Completed) result = u.Result;

        var rows = result!.Rows;
        Assert.True(rows[0].Correct, rows[0].Note);
        Assert.Equal((3, 3), (rows[0].TestsPassed, rows[0].TestsTotal));
        Assert.Equal("a, b = map(int, input().split())\nprint(a + b)\n", rows[0].Code);
        Assert.Equal("all 3 tests passed", rows[0].Note);

        Assert.False(rows[1].Correct);
        Assert.Equal((1, 3), (rows[1].TestsPassed, rows[1].TestsTotal));
        Assert.Contains("print(a * b)", rows[1].Code);
        Assert.Equal("test 1 of 3: expected \"5\"; got \"6\"", rows[1].Note);
        Assert.Equal([1.0, 0.0], result.Summary.Select(s => s.Accuracy));
    }
}
