using System.Management.Automation;
using ReasonTools.Core.Comparison;
using ReasonTools.Testing;

namespace ReasonTools.PowerShell.Tests;

/// <summary>What the cmdlets say while they work (progress phases, -Verbose, warnings) and what a stop keeps.</summary>
[Collection(HostedCollection.Name)]
public sealed class PhaseProgressTests(HostedFixture fixture)
{
    private HostedPowerShell Shell => fixture.Shell;

    private static string Quote(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";

    [Fact]
    public void Invoke_Reason_progress_goes_through_loading_the_prompt_thinking_and_answering_and_Verbose_says_the_settings_and_phase_times()
    {
        var file = SyntheticModels.GetFile(ScriptKind.ClosedChain);
        var result = Shell.Run($"Stop-ReasonModel; Invoke-Reason {Quote(SyntheticModels.Get(ScriptKind.ClosedChain).Question)} -Model {Quote(file)} -ContextSize 512 -Threads 1 -KeepAlive 0 -Verbose");

        Assert.Empty(result.Errors);
        string[] phases = ["Loading ", "Processing the prompt: ", "Thinking: ", "Answering: "];
        var order = result.Progress.Where(p => p.RecordType != ProgressRecordType.Completed)
            .Select(p => Array.FindIndex(phases, ph => p.StatusDescription.StartsWith(ph, StringComparison.Ordinal))).ToList();
        Assert.DoesNotContain(-1, order);
        Assert.Equal([0, 1, 2, 3], order.Distinct());
        Assert.Equal(order.OrderBy(i => i), order);
        Assert.Contains(result.Progress, p => System.Text.RegularExpressions.Regex.IsMatch(p.StatusDescription, @"^Processing the prompt: \d+ of \d+ tokens"));

        Assert.Contains(result.Verbose, v => v.StartsWith($"Model: {file} (", StringComparison.Ordinal));
        Assert.Contains(result.Verbose, v => v.StartsWith("Settings: context 512 tokens (-ContextSize), 1 thread (-Threads), 0 GPU layers (", StringComparison.Ordinal));
        foreach (var phase in new[] { @"^Loading: \d+\.\d s\.$", @"^Processing the prompt: \d+ tokens in \d+\.\d s", @"^Thinking: \d+ tokens in \d+\.\d s", @"^Answering: 7 tokens in \d+\.\d s" })
            Assert.True(result.Verbose.Any(v => System.Text.RegularExpressions.Regex.IsMatch(v, phase)), string.Join("\n", result.Verbose));
    }

    [Fact]
    public void A_result_cut_by_the_token_limit_warns_with_the_parameter_that_raises_it()
    {
        var result = Shell.Run($"Invoke-Reason 'List every case.' -Model {Quote(SyntheticModels.GetFile(ScriptKind.NeverCloses))} -MaxTokens 20 -ContextSize 512 -KeepAlive 0");

        Assert.Empty(result.Errors);
        Assert.Contains("The reasoning chain was cut by the token limit (20 tokens): raise it with -MaxTokens.", result.Warnings);
    }

    [Fact]
    public void Stopping_Compare_ReasonModel_keeps_the_rows_that_finished_and_each_cell_starts_a_fresh_nested_bar()
    {
        var dir = Directory.CreateTempSubdirectory("reasontools-ps-stop-");
        try
        {
            var set = Path.Combine(dir.FullName, "set.json");
            File.WriteAllText(set, """{ "name": "cases", "prompts": [ { "id": "a", "prompt": "List every case." }, { "id": "b", "prompt": "Again." } ] }""");
            var fast = SyntheticModels.GetFile(ScriptKind.ClosedChain);
            var slow = SyntheticModels.GetSlowFile(ScriptKind.NeverCloses);
            var slowLabel = Path.GetFileNameWithoutExtension(slow);
            var result = Shell.Run($"Compare-ReasonModel -Model {Quote(fast)}, {Quote(slow)} -PromptSet {Quote(set)} -Threads 1 -ContextSize 512 -KeepAlive 0", shell =>
            {
                var deadline = DateTime.UtcNow.AddMinutes(2);
                // The slow model's first prompt is generating: two rows have finished.
                while (!shell.Streams.Progress.ToList().Any(p => p.Activity == $"{slowLabel}, prompt a" && p.StatusDescription.StartsWith("Thinking: ", StringComparison.Ordinal)))
                {
                    Assert.True(DateTime.UtcNow < deadline, "the slow model never started thinking");
                    Thread.Sleep(10);
                }
                shell.Stop();
            });

            Assert.NotNull(result.Stopped);
            Assert.Equal(["a", "b"], result.Output.Cast<ComparisonRow>().Select(r => r.PromptId));
            // Each cell's nested bar begins with that cell, before any of its tokens.
            var cellStarts = result.Progress.Where(p => p.ParentActivityId >= 0 && p.StatusDescription == "Processing the prompt").Select(p => p.Activity).ToList();
            Assert.Contains($"{Path.GetFileNameWithoutExtension(fast)}, prompt b", cellStarts);
            Assert.Contains($"{slowLabel}, prompt a", cellStarts);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
