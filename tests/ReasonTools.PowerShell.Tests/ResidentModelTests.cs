using System.Management.Automation;
using ReasonTools.Core.Hosting;
using ReasonTools.Core.Inference;
using ReasonTools.Testing;

namespace ReasonTools.PowerShell.Tests;

/// <summary>One session, one load: resident models, follow-up questions, listing and unloading.</summary>
[Collection(HostedCollection.Name)]
public sealed class ResidentModelTests(HostedFixture fixture)
{
    private HostedPowerShell Shell => fixture.Shell;
    private static string Quote(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";

    [Fact]
    public void Three_calls_load_the_model_once_a_piped_result_is_continued_and_Stop_ReasonModel_unloads_it()
    {
        var model = Quote(SyntheticModels.GetFile(ScriptKind.ClosedChain));
        var result = Shell.Run($"""
            Stop-ReasonModel
            $a = Invoke-Reason 'What is 2 + 3?' -Model {model} -Threads 1 -ContextSize 512
            $b = Invoke-Reason 'What is 2 + 3?' -Model {model} -Threads 1 -ContextSize 512
            $c = $b | Invoke-Reason 'And 2 + 4?' -Model {model} -Threads 1 -ContextSize 512
            $loaded = @(Get-ReasonModel -Loaded)
            $stopped = @(Stop-ReasonModel -PassThru)
            $a, $b, $c, $loaded.Count, $loaded[0], $stopped.Count, @(Get-ReasonModel -Loaded).Count
            """);

        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        var runs = result.Output.Take(3).Select(o => (ReasonResult)o!).ToList();
        Assert.False(runs[0].Timings.Resident);
        Assert.True(runs[0].Timings.LoadMs > 0);
        Assert.All(runs.Skip(1), r => Assert.True(r.Timings.Resident && r.Timings.LoadMs == 0));
        Assert.Equal("What is 2 + 3?", Assert.Single(runs[2].History).Prompt);
        Assert.True(runs[2].Timings.ReusedPromptTokens > 0);
        Assert.Equal(1, result.Output[3]);
        var resident = Assert.IsType<ResidentModel>(result.Output[4]);
        Assert.Equal(0, resident.InUse);
        Assert.True(resident.MemoryBytes > 0 && resident.Idle >= TimeSpan.Zero && resident.ExpiresAt is not null);
        Assert.Equal(1, result.Output[5]);
        Assert.Equal(0, result.Output[6]);
    }

    [Fact]
    public void Invoke_Reason_in_parallel_runspaces_shares_one_load_of_the_model_with_a_sequence_each()
    {
        var model = Quote(SyntheticModels.GetFile(ScriptKind.ClosedChain));
        var result = Shell.Run($$"""
            Stop-ReasonModel
            $module = (Get-Module ReasonTools).Path
            $answers = 1..3 | ForEach-Object -ThrottleLimit 3 -Parallel {
                Import-Module $using:module
                (Invoke-Reason 'What is 2 + 3?' -Model {{model}} -Threads 1 -ContextSize 512 -Seed $_).FinalAnswer
            }
            $loaded = @(Get-ReasonModel -Loaded)
            $null = Stop-ReasonModel
            ($answers -join ','), $loaded.Count, $loaded[0].Sequences
            """);

        Assert.True(result.Errors.Count == 0, string.Join("\n", result.Errors));
        Assert.Equal("5,5,5", result.Output[^3]);
        Assert.Equal(1, result.Output[^2]);
        Assert.True((int)result.Output[^1]! > 1, $"sequences: {result.Output[^1]}");
    }

    [Fact]
    public void A_keep_alive_of_zero_unloads_when_the_command_ends_and_a_bad_one_names_the_accepted_forms()
    {
        var model = Quote(SyntheticModels.GetFile(ScriptKind.ClosedChain));
        var result = Shell.Run($"""
            Stop-ReasonModel
            $null = Invoke-Reason 'What is 2 + 3?' -Model {model} -Threads 1 -ContextSize 512 -KeepAlive 0
            @(Get-ReasonModel -Loaded).Count
            """);
        Assert.Empty(result.Errors);
        Assert.Equal(0, result.Output[^1]);

        var bad = Shell.Run($"Invoke-Reason 'q' -Model {model} -KeepAlive soon");
        Assert.Contains("5m", Assert.Single(bad.Errors).ToString());
    }

    [Fact]
    public void Stop_ReasonModel_with_a_name_nothing_matches_says_what_is_loaded_instead()
    {
        var result = Shell.Run("Stop-ReasonModel -Name no-such-model");
        var error = Assert.Single(result.Errors);
        Assert.Equal("ModelNotLoaded,ReasonTools.PowerShell.StopReasonModelCommand", error.FullyQualifiedErrorId);
        Assert.Contains("Get-ReasonModel -Loaded", error.ErrorDetails?.RecommendedAction ?? error.CategoryInfo.ToString() + error);
    }
}
