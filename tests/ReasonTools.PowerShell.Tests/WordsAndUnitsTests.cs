using ReasonTools.Core.Inference;
using ReasonTools.PowerShell.Internal;
using ReasonTools.Testing;

namespace ReasonTools.PowerShell.Tests;

/// <summary>The words a PowerShell user reads: one count with a singular noun, one spelling of placements, JSON enum names.</summary>
public sealed class PluralWordsTests
{
    [Fact]
    public void The_first_generated_token_is_one_token_in_the_progress_line()
    {
        var progress = new ReasonProgress("r1", maxTokens: null);
        var first = progress.Next(new ReasonUpdate(ReasonUpdateKind.Token) { IsThinking = true, Text = "Let", Phase = new PhaseProgress(ReasonPhase.Thinking, 1, null, 50) });
        Assert.Equal("Thinking: 1 token, 20.0 tokens/s", first!.Status);
    }

    [Fact]
    public void A_phase_of_one_token_is_one_token_in_the_verbose_line()
    {
        Assert.Equal("Answering: 1 token in 0.5 s (2.0 tokens/s).", VerboseRun.Ended(new PhaseProgress(ReasonPhase.Answering, 1, null, 500)));
        Assert.Equal("Thinking: 1,200 tokens in 2.0 s (600.0 tokens/s).", VerboseRun.Ended(new PhaseProgress(ReasonPhase.Thinking, 1200, null, 2000)));
    }
}

[Collection(HostedCollection.Name)]
public sealed class HostedWordsTests(HostedFixture fixture)
{
    private HostedPowerShell Shell => fixture.Shell;

    private const string Fit = "[ReasonTools.Core.Hardware.ModelFit]::new('DeepSeek-R1-Distill-Qwen-7B', '7b', 'Q4_K_M', 4096, 5000000000, 'Partial', 20, $true, 12.5)";

    [Fact]
    public void ConvertTo_Json_writes_enums_by_the_names_the_CLI_JSON_uses()
    {
        var fit = Shell.Run($"{Fit} | ConvertTo-Json -Compress");
        Assert.Empty(fit.Errors);
        Assert.Contains("\"Placement\":\"partial\"", (string)fit.Output.Single()!, StringComparison.Ordinal);

        var model = SyntheticModels.GetFile(ScriptKind.ClosedChain);
        var result = Shell.Run($"Invoke-Reason 'q' -Model '{model}' -ContextSize 512 -Threads 1 -KeepAlive 0 | ConvertTo-Json -Depth 4 -Compress");
        Assert.Empty(result.Errors);
        Assert.Contains("\"FinishReason\":\"stop\"", (string)result.Output.Single()!, StringComparison.Ordinal);

        // Only the module's enums: PowerShell's own keep their usual number, and -EnumsAsStrings still gives its spelling.
        Assert.Equal("{\"Day\":1}", Shell.Run("@{ Day = [DayOfWeek]::Monday } | ConvertTo-Json -Compress").Output.Single());
        Assert.Contains("\"Placement\":\"Partial\"", (string)Shell.Run($"{Fit} | ConvertTo-Json -Compress -EnumsAsStrings").Output.Single()!, StringComparison.Ordinal);
    }

    [Fact]
    public void Tables_write_placements_and_speeds_as_the_reports_do()
    {
        var table = Shell.Run($"{Fit} | Format-Table | Out-String -Width 200");
        Assert.Empty(table.Errors);
        var text = (string)table.Output.Single()!;
        Assert.Contains("Tokens/s", text, StringComparison.Ordinal);
        Assert.Contains(" GPU + CPU ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Partial", text, StringComparison.Ordinal);
    }
}

[Collection(HostedCollection.Name)]
public sealed class HostedViewsTests(HostedFixture fixture)
{
    private HostedPowerShell Shell => fixture.Shell;

    [Fact]
    public void The_default_view_of_a_result_shows_the_whole_answer_and_nested_objects_read_as_text()
    {
        var model = SyntheticModels.GetFile(ScriptKind.SumProgramRight);
        var question = SyntheticModels.Get(ScriptKind.SumProgramRight).Question.Replace("'", "''", StringComparison.Ordinal);
        var run = Shell.Run($"$r = Invoke-Reason '{question}' -Model '{model}' -ContextSize 512 -Threads 1 -KeepAlive 0; $r.Answer; $r | Out-String -Width 200; $r | Format-List * | Out-String -Width 200");
        Assert.Empty(run.Errors);
        var answer = (string)run.Output[0]!;
        var view = (string)run.Output[1]!;
        var lines = answer.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length > 2, answer);
        Assert.All(lines, line => Assert.Contains(line, view, StringComparison.Ordinal));
        Assert.Matches(@"Timings\s+: \d+ thinking \+ \d+ answer tokens at [\d.]+ tokens/s", view);

        var everything = (string)run.Output[2]!;
        Assert.DoesNotContain("{ Name =", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("ReasonTimings {", everything, StringComparison.Ordinal);
        Assert.Matches(@"Settings\s+: temperature [\d.]+, top-p [\d.]+, seed \d+, context 512, 1 thread, 0 GPU layers", everything);
    }
}
