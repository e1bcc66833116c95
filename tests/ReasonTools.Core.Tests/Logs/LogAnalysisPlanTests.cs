using ReasonTools.Core.Logs;

namespace ReasonTools.Core.Tests.Logs;

public class LogAnalysisPlanTests
{
    private static readonly Lazy<(TestLogs.Generated Log, LogReduction Reduction)> Planted = new(() =>
    {
        var log = TestLogs.Noise(20_000, seed: 11);
        return (log, TestLogs.Reduce(log.Lines));
    });

    [Fact]
    public void Small_log_gets_a_single_prompt()
    {
        var r = TestLogs.Reduce(["2024-01-15 10:00:00 INFO up", "2024-01-15 10:00:01 ERROR down"]);
        var plan = LogAnalysisPlan.Create(r, new LogPromptOptions(), TestLogs.CharsOver4);
        Assert.False(plan.IsChunked);
        Assert.NotNull(plan.Single);
        Assert.Empty(plan.Chunks);
        Assert.Throws<InvalidOperationException>(() => plan.BuildReducePrompt([]));
    }

    [Theory]
    [InlineData("chars/4")]
    [InlineData("bytes")]
    public void Log_larger_than_the_budget_is_chunked_and_every_prompt_fits(string counterName)
    {
        var (log, reduction) = Planted.Value;
        var count = counterName == "bytes" ? TestLogs.Utf8Bytes : TestLogs.CharsOver4;
        var options = new LogPromptOptions { TokenBudget = 2600, ReserveForAnswer = 600 };
        var plan = LogAnalysisPlan.Create(reduction, options, count, maxChunks: 6);

        Assert.True(plan.IsChunked);
        Assert.Null(plan.Single);
        Assert.InRange(plan.Chunks.Count, 2, 6);
        foreach (var chunk in plan.Chunks)
        {
            Assert.True(chunk.FitsBudget);
            Assert.True(count(chunk.Text) <= options.PromptLimit);
            Assert.Contains("Overall question:", chunk.Text);
        }
        var withPlanted = Assert.Single(plan.Chunks, c => c.Text.Contains(TestLogs.PlantedMessage, StringComparison.Ordinal));
        Assert.Contains($"app.log:{log.PlantedLine}", withPlanted.Text);
        Assert.Contains(TestLogs.BeforePlanted, withPlanted.Text);
        Assert.Equal(600, plan.AnswerTokens);

        var answers = plan.Chunks.Select((_, k) => $"Part {k + 1}: " + string.Concat(Enumerable.Repeat("the migration failed at app.log:123; ", 200))).ToList();
        var reduce = plan.BuildReducePrompt(answers);
        Assert.True(reduce.FitsBudget);
        Assert.True(count(reduce.Text) <= options.PromptLimit);
        for (int k = 1; k <= plan.Chunks.Count; k++) Assert.Contains($"Part {k}: the migration failed", reduce.Text);
        Assert.Contains("Root cause", reduce.Text);
        Assert.Contains($"The first error is at app.log:{log.PlantedLine}.", reduce.Text);
    }

    [Fact]
    public void Chunks_are_in_order_of_appearance()
    {
        var plan = LogAnalysisPlan.Create(Planted.Value.Reduction, new LogPromptOptions { TokenBudget = 2600, ReserveForAnswer = 600 }, TestLogs.CharsOver4);
        var firstLines = plan.Chunks.Select(c => c.IncludedRecords.Min(r => r.RecordNumber)).ToList();
        Assert.Equal(firstLines.OrderBy(x => x), firstLines);
        Assert.Contains("<answer to part 1>", plan.ReducePromptPreview());
    }

    [Fact]
    public void Reduce_needs_one_answer_per_chunk()
    {
        var plan = LogAnalysisPlan.Create(Planted.Value.Reduction, new LogPromptOptions { TokenBudget = 2600, ReserveForAnswer = 600 }, TestLogs.CharsOver4);
        Assert.Throws<ArgumentException>(() => plan.BuildReducePrompt(["only one"]));
    }

    [Fact]
    public void Budget_below_the_instructions_is_a_typed_error()
    {
        var e = Assert.Throws<LogBudgetException>(() =>
            LogAnalysisPlan.Create(Planted.Value.Reduction, new LogPromptOptions { TokenBudget = 200, ReserveForAnswer = 100 }, TestLogs.CharsOver4));
        Assert.Contains("raise the context size", e.Message);
    }
}
