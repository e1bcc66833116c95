using ReasonTools.Core.Comparison;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Reasoning.Grading;
using ReasonTools.Core.Tests.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Comparison;

[Collection(EngineCollection.Name)]
public sealed class ComparisonRunnerTests
{
    private static readonly PromptSet Chickens = new("farm", [
        new PromptSetItem("chickens", SyntheticModels.Get(ScriptKind.ChickensRight).Question, "12 chickens, 13 rabbits", GraderKind.Text),
    ]);

    [Fact]
    public async Task Two_models_are_graded_right_and_wrong_and_summarised()
    {
        var right = SyntheticModels.GetFile(ScriptKind.ChickensRight);
        var wrong = SyntheticModels.GetFile(ScriptKind.ChickensWrong);
        var updates = new List<ComparisonUpdate>();
        await foreach (var u in ComparisonRunner.RunAsync(new ComparisonRequest
                       {
                           Models = [right, wrong], PromptSet = Chickens,
                           Engine = new EngineOptions { ContextSize = 512, Threads = 1 }, KeepAlive = TimeSpan.Zero,
                           Sampling = new ReasonRequest { Seed = 3 },
                       }))
            updates.Add(u);

        var rows = updates.Where(u => u.Kind == ComparisonUpdateKind.Row).Select(u => u.Row!).ToList();
        Assert.Equal(2, rows.Count);
        Assert.True(rows[0].Correct);
        Assert.Equal("12 chickens, 13 rabbits", rows[0].FinalAnswer);
        Assert.False(rows[1].Correct);
        Assert.Equal("13 chickens, 12 rabbits", rows[1].FinalAnswer);
        Assert.All(rows, r => Assert.Equal(FinishReason.Stop, r.FinishReason));
        Assert.All(rows, r => Assert.True(r.ThinkingTokens > 0 && r.TokensPerSecond > 0));

        var result = updates[^1].Result!;
        Assert.Equal(ComparisonUpdateKind.Completed, updates[^1].Kind);
        Assert.Equal([1.0, 0.0], result.Summary.Select(s => s.Accuracy));
        Assert.Equal(rows[0].ThinkingTokens, result.Summary[0].MeanThinkingTokens);
        Assert.Equal(rows[1].TokensPerSecond, result.Summary[1].MeanTokensPerSecond!.Value, 6);
        Assert.Equal([1, 2], updates.Where(u => u.Kind == ComparisonUpdateKind.Row).Select(u => u.Completed));
        Assert.All(updates, u => Assert.Equal(2, u.Total));
        Assert.Equal(0, ReasonEngine.LiveContexts);
    }

    [Fact]
    public async Task Four_prompts_at_once_give_the_same_graded_rows_in_the_same_order_as_one_at_a_time()
    {
        var question = SyntheticModels.Get(ScriptKind.ChickensRight).Question;
        var set = new PromptSet("farm", [.. Enumerable.Range(1, 5).Select(i => new PromptSetItem($"farm-{i}", question, "12 chickens, 13 rabbits", GraderKind.Text))]);
        async Task<(List<ComparisonUpdate> Updates, ComparisonResult Result)> Run(int parallel)
        {
            var updates = new List<ComparisonUpdate>();
            await foreach (var u in ComparisonRunner.RunAsync(new ComparisonRequest
                           {
                               Models = [SyntheticModels.GetFile(ScriptKind.ChickensRight), SyntheticModels.GetFile(ScriptKind.ChickensWrong)],
                               PromptSet = set, Parallel = parallel, KeepAlive = TimeSpan.Zero,
                               Engine = new EngineOptions { ContextSize = 512, Threads = 1 },
                               Sampling = new ReasonRequest { Temperature = 0, MaxTokens = 200 },
                           }))
                updates.Add(u);
            return (updates, updates[^1].Result!);
        }

        var (oneUpdates, one) = await Run(1);
        var (fourUpdates, four) = await Run(4);

        static object Graded(ComparisonRow r) => (r.Model, r.PromptId, r.Correct, r.FinalAnswer, r.ThinkingTokens, r.AnswerTokens, r.FinishReason);
        Assert.Equal(one.Rows.Select(Graded), four.Rows.Select(Graded));
        Assert.Equal(10, four.Rows.Count);
        Assert.Equal(one.Summary.Select(s => s.Accuracy), four.Summary.Select(s => s.Accuracy));
        Assert.Equal([1.0, 0.0], four.Summary.Select(s => s.Accuracy));
        Assert.Equal(Enumerable.Range(1, 10), fourUpdates.Where(u => u.Kind == ComparisonUpdateKind.Row).Select(u => u.Completed));
        // One at a time, each prompt starts after the row before it; four at once, four start before the first row. Rows come
        // out in prompt order, so when the second prompt finishes before the first, the fifth takes its place before row 1.
        static int StartedBeforeFirstRow(List<ComparisonUpdate> updates) =>
            updates.TakeWhile(u => u.Kind != ComparisonUpdateKind.Row).Count(u => u.Kind == ComparisonUpdateKind.PromptStarted);
        Assert.Equal(1, StartedBeforeFirstRow(oneUpdates));
        Assert.InRange(StartedBeforeFirstRow(fourUpdates), 4, 5);
        Assert.Equal(0, ReasonEngine.LiveContexts);
    }

    [Fact]
    public async Task A_model_that_does_not_exist_is_not_run_with_its_reason_once_and_the_others_still_run()
    {
        var missing = Path.Combine(Path.GetTempPath(), "deleted-model.gguf");
        var right = SyntheticModels.GetFile(ScriptKind.ChickensRight);
        var updates = new List<ComparisonUpdate>();
        await foreach (var u in ComparisonRunner.RunAsync(new ComparisonRequest
                       {
                           Models = [missing, right], PromptSet = Chickens,
                           Engine = new EngineOptions { ContextSize = 512, Threads = 1 }, KeepAlive = TimeSpan.Zero,
                       }))
            updates.Add(u);
        var result = updates[^1].Result!;

        var notRun = Assert.Single(updates, u => u.Kind == ComparisonUpdateKind.ModelNotRun);
        Assert.Equal("deleted-model", notRun.Model);
        Assert.Contains("not found", notRun.Failure!.Error.Message);
        Assert.Equal(2, result.Rows.Count);
        var failed = result.Rows[0];
        Assert.Equal("deleted-model", failed.Model);
        Assert.True(failed.NotRun);
        Assert.Null(failed.Correct);
        Assert.Null(failed.FinishReason);
        Assert.Null(failed.Note);
        Assert.True(result.Rows[1].Correct);
        var summary = result.Summary.Single(s => s.Model == "deleted-model");
        Assert.False(summary.Ran);
        Assert.Null(summary.Accuracy);
        Assert.Null(summary.MeanTokensPerSecond);
        Assert.Contains("not found", summary.NotRunReason);
        Assert.True(result.AnyModelRan);
    }

    [Fact]
    public async Task A_catalog_size_that_is_not_here_is_labelled_by_its_catalog_name_not_by_a_cut_file_name()
    {
        ComparisonResult? result = null;
        await foreach (var u in ComparisonRunner.RunAsync(new ComparisonRequest
                       {
                           Models = ["70b"], PromptSet = Chickens,
                           Engine = new EngineOptions { ContextSize = 512, Threads = 1 }, KeepAlive = TimeSpan.Zero,
                       }))
            if (u.Kind == ComparisonUpdateKind.Completed) result = u.Result;

        Assert.Equal("R1-Llama-70B", Assert.Single(result!.Rows).Model);
        Assert.False(result.AnyModelRan);
        Assert.Contains("not on this machine", Assert.Single(result.Summary).NotRunReason);
    }

    [Fact]
    public async Task A_model_too_large_for_this_machine_becomes_a_row_with_the_numbers_and_the_others_still_run()
    {
        // A 70B-shaped F16 header over a sparse file: about 140 GB that no machine of this kind can hold.
        var big = Path.Combine(Path.GetTempPath(), $"reasontools-too-large-{Environment.ProcessId}.gguf");
        RealShapeModels.WriteSparse(big, new Testing.ModelShape("too large", 80, 8192, 64, 8, 28672, 1024, 131072, 500000f));
        try
        {
            ComparisonResult? result = null;
            await foreach (var u in ComparisonRunner.RunAsync(new ComparisonRequest
                           {
                               Models = [big, SyntheticModels.GetFile(ScriptKind.ChickensRight)], PromptSet = Chickens,
                               Engine = new EngineOptions { ContextSize = 512, Threads = 1 }, KeepAlive = TimeSpan.Zero,
                           }))
                if (u.Kind == ComparisonUpdateKind.Completed) result = u.Result;

            var notRun = result!.Summary[0].NotRunReason;
            Assert.Contains("does not fit", notRun);
            Assert.Contains("this machine allows", notRun);
            Assert.DoesNotContain("? tokens/s", notRun);
            Assert.Null(result.Rows[0].FinishReason);
            Assert.True(result.Rows[1].Correct);
        }
        finally
        {
            File.Delete(big);
        }
    }

    [Fact]
    public void A_model_with_no_graded_prompt_has_no_accuracy_rather_than_zero()
    {
        var rows = new[]
        {
            new ComparisonRow { Model = "m", PromptId = "free", Correct = null, FinishReason = FinishReason.Stop, TokensPerSecond = 10, ThinkingTokens = 4 },
            new ComparisonRow { Model = "gone", PromptId = "free", Note = "model could not run: missing" },
        };
        var summary = ComparisonRunner.Summarize(rows, new HashSet<string>());
        Assert.Null(summary.Single(s => s.Model == "m").Accuracy);
        Assert.Null(summary.Single(s => s.Model == "gone").Accuracy);
        Assert.Equal(10, summary.Single(s => s.Model == "m").MeanTokensPerSecond);
    }

    [Fact]
    public void A_row_without_a_final_answer_is_graded_wrong_and_says_the_chain_was_cut()
    {
        var prompt = new PromptSetItem("p", "q", "5", GraderKind.Number);
        var result = new ReasonResult
        {
            Model = new ModelInfo("m", null, null, null, null, null), Prompt = "q", Thinking = "long...", Answer = "",
            FinishReason = FinishReason.Length, ReasoningComplete = false,
            Timings = new ReasonTimings { ThinkingTokens = 100 }, Settings = new GenerationSettings(0.6f, 0.95f, 1, 512, 1, 0, 100),
        };
        var row = ComparisonRunner.ToRow("m", prompt, result);
        Assert.False(row.Correct);
        Assert.Contains("token limit", row.Note);
    }
}
