using ReasonTools.Core.Comparison;
using ReasonTools.Core.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Inference;

[Collection(EngineCollection.Name)]
public sealed class PhaseProgressTests
{
    [Fact]
    public async Task A_run_reports_loading_then_the_prompt_tokens_then_thinking_then_answering_with_their_counts()
    {
        var phases = new List<PhaseProgress>();
        LoadedModel? loaded = null;
        await foreach (var u in ReasonService.StreamAsync(new ReasonInvocation
                       {
                           Model = SyntheticModels.GetFile(ScriptKind.ClosedChain), Question = "What is 2 + 3?",
                           Engine = new EngineOptions { ContextSize = 512, Threads = 1 }, KeepAlive = TimeSpan.Zero,
                       }))
        {
            if (u.Phase is { } p) phases.Add(p);
            if (u.Kind == ReasonUpdateKind.ModelReady) loaded = u.Loaded;
        }

        Assert.Equal([ReasonPhase.Loading, ReasonPhase.ProcessingPrompt, ReasonPhase.Thinking, ReasonPhase.Answering],
            phases.Select(p => p.Phase).Distinct());
        var prompt = phases.Where(p => p.Phase == ReasonPhase.ProcessingPrompt).ToList();
        // Reported before the first batch (0 done), so a long first batch is never shown as loading, and at the end.
        Assert.Equal(0, prompt[0].Done);
        Assert.Equal(prompt[0].Total, prompt[^1].Done);
        Assert.Equal(7, phases.Last(p => p.Phase == ReasonPhase.Answering).Done);
        Assert.Equal(512, loaded!.ContextSize);
        Assert.Equal(1, loaded.Threads);
        Assert.False(string.IsNullOrEmpty(loaded.GpuLayers.Reason));
    }

    [Fact]
    public void A_length_result_names_the_setting_that_raises_its_limit()
    {
        var result = new ReasonResult
        {
            Model = new ModelInfo("m", null, null, null, null, null), Prompt = "p", Thinking = "t", Answer = "",
            FinishReason = FinishReason.Length, ReasoningComplete = false,
            Timings = new ReasonTimings { PromptTokens = 10 }, Settings = new GenerationSettings(0.6f, 0.95f, 1, 4096, 1, 0, 60),
        };
        Assert.Equal(new TokenLimit(60, SettingNames.MaxTokens, CutChain: true), TokenLimit.Of(result));
        Assert.Equal(SettingNames.ContextSize, TokenLimit.Of(result with { Timings = new ReasonTimings { PromptTokens = 4036 } })!.Setting);
        Assert.Null(TokenLimit.Of(result with { FinishReason = FinishReason.Stop }));
    }

    [Fact]
    public async Task A_cancelled_comparison_ends_with_the_finished_rows_and_the_interruption_instead_of_throwing()
    {
        using var stop = new CancellationTokenSource();
        var request = new ComparisonRequest
        {
            Models = [SyntheticModels.GetFile(ScriptKind.ClosedChain), SyntheticModels.GetFile(ScriptKind.ClosedChain)],
            PromptSet = new PromptSet("set", [new PromptSetItem("a", "What is 2 + 3?", "5", ReasonTools.Core.Reasoning.Grading.GraderKind.Number)]),
            Engine = new EngineOptions { ContextSize = 512, Threads = 1 }, KeepAlive = TimeSpan.Zero,
        };
        ComparisonResult? result = null;
        await foreach (var u in ComparisonRunner.RunAsync(request, stop.Token))
        {
            if (u.Kind == ComparisonUpdateKind.Row) stop.Cancel();
            if (u.Kind == ComparisonUpdateKind.Completed) result = u.Result;
        }
        Assert.Single(result!.Rows);
        Assert.Equal(new ComparisonInterruption(1, 2), result.Interrupted);
    }
}
