using ReasonTools.Core.Logs;

namespace ReasonTools.Core.Tests.Logs;

public class LogPromptBuilderTests
{
    private static readonly Lazy<(TestLogs.Generated Log, LogReduction Reduction)> Planted = new(() =>
    {
        var log = TestLogs.Noise();
        return (log, TestLogs.Reduce(log.Lines));
    });

    public static TheoryData<string, int> Counters => new()
    {
        { "chars/4", 2000 }, { "chars/4", 6000 }, { "bytes", 3000 }, { "bytes", 12000 }, { "superadditive", 4000 },
    };

    private static Func<string, int> Counter(string name) => name switch
    {
        "chars/4" => TestLogs.CharsOver4,
        "bytes" => TestLogs.Utf8Bytes,
        _ => TestLogs.SuperAdditive,
    };

    [Fact]
    public void The_overview_counts_one_of_a_kind_in_the_singular()
    {
        var r = TestLogs.Reduce(["2024-01-15 10:00:00 WARN disk almost full", "2024-01-15 10:00:01 ERROR disk full"]);
        var overview = LogPromptBuilder.Overview(r);
        Assert.Contains("The log has 2 lines", overview, StringComparison.Ordinal);
        Assert.Contains("from 1 source: app.log (2 lines, 1 error)", overview, StringComparison.Ordinal);
        Assert.Contains(": 1 error, 1 warning, 2 distinct messages.", overview, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Counters))]
    public void Planted_root_cause_its_line_and_the_record_before_it_are_in_a_prompt_that_fits(string counterName, int promptTokens)
    {
        var (log, reduction) = Planted.Value;
        var count = Counter(counterName);
        var options = new LogPromptOptions { TokenBudget = promptTokens + 1024, ReserveForAnswer = 1024 };
        var prompt = LogPromptBuilder.Build(reduction, options, count);

        Assert.True(prompt.FitsBudget);
        Assert.Equal(count(prompt.Text), prompt.Tokens);
        Assert.True(prompt.Tokens <= promptTokens, $"{prompt.Tokens} tokens > {promptTokens}");
        Assert.Contains($"app.log:{log.PlantedLine}", prompt.Text);
        Assert.Contains(TestLogs.PlantedMessage, prompt.Text);
        Assert.Contains(TestLogs.PlantedException, prompt.Text);
        Assert.Contains($"app.log:{log.BeforePlantedLine} ", prompt.Text);
        Assert.Contains(TestLogs.BeforePlanted, prompt.Text);
        Assert.Contains("Root cause", prompt.Text);
        Assert.Contains("source:line", prompt.Text);
        Assert.True(prompt.Text.IndexOf(TestLogs.BeforePlanted, StringComparison.Ordinal) < prompt.Text.IndexOf(TestLogs.PlantedMessage, StringComparison.Ordinal));
    }

    [Fact]
    public void Reduction_finds_the_planted_error_first_and_counts_repeats()
    {
        var (log, reduction) = Planted.Value;
        Assert.Equal(log.PlantedLine, reduction.FirstError!.LineNumber);
        Assert.Equal(log.BeforePlantedLine, reduction.ContextBeforeFirstError[^1].LineNumber);
        var warning = Assert.Single(reduction.Templates, t => t.Template.Contains(TestLogs.RepeatedWarning, StringComparison.Ordinal));
        Assert.Equal(log.RepeatedWarnings, warning.Count);
        Assert.True(warning.Count > 1000);
        Assert.Equal(log.Lines.Count, reduction.Totals.Lines);
    }

    [Fact]
    public void Repeat_counts_appear_in_the_prompt()
    {
        var (log, reduction) = Planted.Value;
        var prompt = LogPromptBuilder.Build(reduction, new LogPromptOptions { TokenBudget = 8000, ReserveForAnswer = 1000 }, TestLogs.CharsOver4);
        var line = prompt.Text.Split('\n').Single(l => l.Contains(TestLogs.RepeatedWarning, StringComparison.Ordinal));
        Assert.Contains($"[×{log.RepeatedWarnings:N0}, last line ", line);
    }

    [Fact]
    public void Small_budget_drops_records_and_says_so()
    {
        var (_, reduction) = Planted.Value;
        var prompt = LogPromptBuilder.Build(reduction, new LogPromptOptions { TokenBudget = 1600, ReserveForAnswer = 600 }, TestLogs.CharsOver4);
        Assert.True(prompt.FitsBudget);
        Assert.True(prompt.Tokens <= 1000);
        Assert.True(prompt.DroppedTemplates > 0);
        Assert.StartsWith("Omitted: ", prompt.DroppedSummary);
        Assert.Contains(prompt.DroppedSummary, prompt.Text);
        Assert.Contains(TestLogs.PlantedMessage, prompt.Text);
    }

    [Fact]
    public void Generous_budget_keeps_everything_and_omits_nothing()
    {
        var r = TestLogs.Reduce(["2024-01-15 10:00:00 INFO up", "2024-01-15 10:00:01 ERROR down"]);
        var prompt = LogPromptBuilder.Build(r, new LogPromptOptions { Question = "Why did it go down?" }, TestLogs.CharsOver4);
        Assert.Equal("", prompt.DroppedSummary);
        Assert.Equal(0, prompt.DroppedTemplates);
        Assert.Equal(2, prompt.IncludedRecords.Count);
        Assert.Contains("Question: Why did it go down?", prompt.Text);
        Assert.DoesNotContain("Omitted", prompt.Text);
    }

    [Fact]
    public void Long_stack_trace_is_shortened_rather_than_dropped()
    {
        var lines = new List<string> { "2024-01-15 10:00:00 INFO about to fail", "2024-01-15 10:00:01 ERROR request failed", "java.lang.IllegalStateException: broken state" };
        for (int i = 0; i < 200; i++) lines.Add($"\tat com.example.Layer{i}.call(Layer{i}.java:{i + 1})");
        var r = TestLogs.Reduce(lines);
        var prompt = LogPromptBuilder.Build(r, new LogPromptOptions { TokenBudget = 2000, ReserveForAnswer = 800 }, TestLogs.CharsOver4);
        Assert.True(prompt.Tokens <= 1200);
        Assert.Contains("app.log:2-203", prompt.Text);
        Assert.Contains("java.lang.IllegalStateException: broken state", prompt.Text);
        Assert.Contains("lines omitted", prompt.Text);
        Assert.Contains("shortened", prompt.DroppedSummary);
        Assert.Equal(1, prompt.ShortenedRecords);
    }

    [Fact]
    public void Approximate_counter_overestimates_so_a_preview_never_promises_too_much()
    {
        Assert.Equal(0, LogPromptBuilder.ApproximateTokens(""));
        Assert.Equal(5, LogPromptBuilder.ApproximateTokens("2024-01-15 ERR")); // 14 bytes
        var prompt = LogPromptBuilder.Build(Planted.Value.Reduction, new LogPromptOptions { TokenBudget = 4000, ReserveForAnswer = 1000 }, LogPromptBuilder.ApproximateTokens);
        Assert.True(prompt.Text.Length / 4 < prompt.Tokens);
        Assert.True(prompt.Tokens <= 3000);
    }

    [Fact]
    public void Log_without_errors_says_so()
    {
        var prompt = LogPromptBuilder.Build(TestLogs.Reduce(["INFO fine", "INFO still fine"]), new LogPromptOptions(), TestLogs.CharsOver4);
        Assert.Contains("No record of level error or above was recognised.", prompt.Text);
    }

    [Fact]
    public void Budget_too_small_for_the_instructions_does_not_fit()
    {
        var prompt = LogPromptBuilder.Build(Planted.Value.Reduction, new LogPromptOptions { TokenBudget = 150, ReserveForAnswer = 100 }, TestLogs.CharsOver4);
        Assert.False(prompt.FitsBudget);
        Assert.Empty(prompt.IncludedRecords);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1000, 1000)]
    [InlineData(1000, -1)]
    public void Invalid_budgets_are_refused(int budget, int reserve) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LogPromptBuilder.Build(TestLogs.Reduce(["x"]), new LogPromptOptions { TokenBudget = budget, ReserveForAnswer = reserve }, TestLogs.CharsOver4));
}
