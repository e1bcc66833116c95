using ReasonTools.Core.Gguf;
using ReasonTools.Core.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Inference;

/// <summary>
/// Runs scripted synthetic models through the real llama.cpp and checks the exact text, the split into
/// reasoning and answer, the final answer, why generation stopped, timings and cancellation.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class ReasonEngineTests
{
    private static async Task<ReasonEngine> Load(ScriptKind kind, int context = 1024) =>
        await ReasonEngine.LoadAsync(SyntheticModels.GetFile(kind), new EngineOptions { ContextSize = context, Threads = 1 });

    private static ReasonRequest Ask(ScriptKind kind, int? maxTokens = null) =>
        new() { Prompt = SyntheticModels.Get(kind).Question, MaxTokens = maxTokens, Seed = 42 };

    [Fact]
    public async Task A_closed_chain_is_split_into_thinking_and_answer_with_the_boxed_final_answer()
    {
        var script = SyntheticModels.Get(ScriptKind.ClosedChain);
        using var engine = await Load(ScriptKind.ClosedChain);

        var result = await engine.RunAsync(Ask(ScriptKind.ClosedChain));

        Assert.Equal(script.ThinkingText.Trim(), result.Thinking.Trim());
        Assert.Equal(script.AnswerText!.Trim(), result.Answer.Trim());
        Assert.Equal("5", result.FinalAnswer);
        Assert.Equal(FinishReason.Stop, result.FinishReason);
        Assert.True(result.ReasoningComplete);
        Assert.Equal(script.GeneratedTokenCount, result.Timings.GeneratedTokens);
        Assert.Equal(result.Timings.GeneratedTokens, result.Timings.ThinkingTokens + result.Timings.AnswerTokens);
        Assert.True(result.Timings.AnswerTokens > 0);
        // The scripted chain is one paragraph of short lines: one step holding all of it.
        Assert.Equal(script.ThinkingText.Trim(), Assert.Single(result.Steps));
    }

    [Fact]
    public async Task Every_timing_and_setting_is_filled()
    {
        using var engine = await Load(ScriptKind.ClosedChain);
        var result = await engine.RunAsync(Ask(ScriptKind.ClosedChain));
        var t = result.Timings;

        Assert.True(t.LoadMs > 0);
        Assert.True(t.PromptTokens > 5);
        Assert.True(t.PromptMs > 0);
        Assert.True(t.PromptTokensPerSecond > 0);
        Assert.True(t.GenerationMs > 0);
        Assert.True(t.TokensPerSecond > 0);
        Assert.NotNull(t.TimeToFirstTokenMs);
        Assert.True(t.TimeToFirstAnswerTokenMs > t.TimeToFirstTokenMs);
        Assert.True(t.TotalMs >= t.TimeToFirstAnswerTokenMs);
        Assert.Equal(new GenerationSettings(0.6f, 0.95f, 42u, 1024, 1, 0, 1024 - t.PromptTokens), result.Settings with { ThreadChoice = null });
        Assert.Equal("set explicitly", result.Settings.ThreadChoice!.Reason);
        Assert.Equal("qwen2", result.Model.Architecture);
        Assert.Equal(new FileInfo(SyntheticModels.GetFile(ScriptKind.ClosedChain)).Length, result.Model.FileSizeBytes);
        Assert.True(result.Model.Parameters > 0);
    }

    [Fact]
    public async Task Streamed_tokens_add_up_to_the_result_and_arrive_in_order()
    {
        using var engine = await Load(ScriptKind.ClosedChain);
        var kinds = new List<ReasonUpdateKind>();
        var thinking = new System.Text.StringBuilder();
        var answer = new System.Text.StringBuilder();
        ReasonResult? result = null;
        await foreach (var update in engine.StreamAsync(Ask(ScriptKind.ClosedChain)))
        {
            kinds.Add(update.Kind);
            if (update.Kind == ReasonUpdateKind.Token) (update.IsThinking ? thinking : answer).Append(update.Text);
            if (update.Kind == ReasonUpdateKind.Completed) result = update.Result;
        }

        Assert.Equal(ReasonUpdateKind.PromptProgress, kinds[0]);
        Assert.Equal(ReasonUpdateKind.Completed, kinds[^1]);
        Assert.Equal(1, kinds.Count(k => k == ReasonUpdateKind.Completed));
        Assert.Equal(result!.Thinking.Trim(), thinking.ToString().Trim());
        Assert.Equal(result.Answer.Trim(), answer.ToString().Trim());
        Assert.DoesNotContain("</think>", thinking.ToString() + answer);
    }

    [Fact]
    public async Task A_chain_cut_by_the_token_limit_stops_with_length_and_no_answer()
    {
        var script = SyntheticModels.Get(ScriptKind.NeverCloses);
        using var engine = await Load(ScriptKind.NeverCloses);

        var result = await engine.RunAsync(Ask(ScriptKind.NeverCloses, maxTokens: 32));

        Assert.Equal(FinishReason.Length, result.FinishReason);
        Assert.False(result.ReasoningComplete);
        Assert.Equal(32, result.Timings.GeneratedTokens);
        Assert.Equal(32, result.Timings.ThinkingTokens);
        Assert.Equal(script.TextOfFirstTokens(32).Trim(), result.Thinking.Trim());
        Assert.Equal("", result.Answer);
        Assert.Null(result.FinalAnswer);
        Assert.Null(result.Timings.TimeToFirstAnswerTokenMs);
    }

    [Fact]
    public async Task A_looping_chain_is_stopped_by_the_loop_detector()
    {
        var script = SyntheticModels.Get(ScriptKind.Loop);
        using var engine = await Load(ScriptKind.Loop);

        var result = await engine.RunAsync(Ask(ScriptKind.Loop, maxTokens: 600));

        Assert.Equal(FinishReason.Loop, result.FinishReason);
        Assert.True(result.Timings.GeneratedTokens < 600, $"stopped after {result.Timings.GeneratedTokens} tokens");
        Assert.StartsWith(script.LoopPrefix!.Trim(), result.Thinking.Trim());
        Assert.Contains(script.LoopCycle!.Trim(), result.Thinking);
    }

    [Fact]
    public async Task Loop_detection_can_be_turned_off()
    {
        using var engine = await Load(ScriptKind.Loop);
        var result = await engine.RunAsync(Ask(ScriptKind.Loop, maxTokens: 200) with { DetectLoops = false });
        Assert.Equal(FinishReason.Length, result.FinishReason);
        Assert.Equal(200, result.Timings.GeneratedTokens);
    }

    [Fact]
    public async Task A_character_split_across_tokens_is_never_streamed_broken()
    {
        using var engine = await Load(ScriptKind.SplitUtf8);
        var pieces = new List<string>();
        ReasonResult? result = null;
        await foreach (var update in engine.StreamAsync(Ask(ScriptKind.SplitUtf8)))
        {
            if (update.Kind == ReasonUpdateKind.Token) pieces.Add(update.Text);
            if (update.Kind == ReasonUpdateKind.Completed) result = update.Result;
        }

        Assert.DoesNotContain(pieces, p => p.Contains('\uFFFD'));
        Assert.Contains("café", result!.Thinking);
        Assert.Contains("√9", result.Thinking);
        Assert.Equal(SyntheticModels.Get(ScriptKind.SplitUtf8).ThinkingText.Trim(), result.Thinking.Trim());
        Assert.Equal("3", result.FinalAnswer);
    }

    [Fact]
    public async Task A_cancelled_generation_stops_within_one_token_frees_its_context_and_the_next_run_works()
    {
        using var engine = await Load(ScriptKind.NeverCloses);
        using var cts = new CancellationTokenSource();
        var tokensSeen = 0;
        ReasonResult? result = null;
        await foreach (var update in engine.StreamAsync(Ask(ScriptKind.NeverCloses), cts.Token))
        {
            if (update.Kind == ReasonUpdateKind.Token && ++tokensSeen == 3) cts.Cancel();
            if (update.Kind == ReasonUpdateKind.Completed) result = update.Result;
        }

        Assert.Equal(FinishReason.Cancelled, result!.FinishReason);
        // The generator waits for the reader, so it can be one token in the channel and one being handed over
        // ahead of what was seen; after Cancel() it stops at the next token boundary.
        Assert.InRange(result.Timings.GeneratedTokens, 3, 5);
        Assert.Equal(0, ReasonEngine.LiveContexts);

        var next = await engine.RunAsync(Ask(ScriptKind.NeverCloses, maxTokens: 8));
        Assert.Equal(FinishReason.Length, next.FinishReason);
        Assert.Equal(SyntheticModels.Get(ScriptKind.NeverCloses).TextOfFirstTokens(8).Trim(), next.Thinking.Trim());
    }

    [Fact]
    public async Task A_consumer_that_stops_reading_early_cancels_the_generation_and_frees_the_context()
    {
        using var engine = await Load(ScriptKind.NeverCloses);
        await foreach (var update in engine.StreamAsync(Ask(ScriptKind.NeverCloses)))
            if (update.Kind == ReasonUpdateKind.Token) break;

        Assert.Equal(0, ReasonEngine.LiveContexts);
        var next = await engine.RunAsync(Ask(ScriptKind.NeverCloses, maxTokens: 4));
        Assert.Equal(4, next.Timings.GeneratedTokens);
    }

    [Fact]
    public async Task Cancelling_before_the_prompt_is_decoded_reports_cancelled_without_tokens()
    {
        using var engine = await Load(ScriptKind.ClosedChain);
        var result = await engine.RunAsync(Ask(ScriptKind.ClosedChain), new CancellationToken(canceled: true));
        Assert.Equal(FinishReason.Cancelled, result.FinishReason);
        Assert.Equal(0, result.Timings.GeneratedTokens);
        Assert.Equal(0, ReasonEngine.LiveContexts);
    }

    [Fact]
    public async Task The_model_is_loaded_once_and_answers_many_requests()
    {
        using var engine = await Load(ScriptKind.ClosedChain);
        for (var i = 0; i < 3; i++)
        {
            var result = await engine.RunAsync(Ask(ScriptKind.ClosedChain) with { Seed = (uint)i });
            Assert.Equal("5", result.FinalAnswer);
        }
    }

    [Fact]
    public async Task The_prompt_follows_the_R1_template_and_forces_the_chain_open()
    {
        using var engine = await Load(ScriptKind.ClosedChain);
        var prompt = engine.FormatPrompt(new ReasonRequest { Prompt = "Why?" });
        Assert.Equal("<｜User｜>Why?<｜Assistant｜><think>\n", prompt);
        Assert.Equal("<｜User｜>Why?<｜Assistant｜>", engine.FormatPrompt(new ReasonRequest { Prompt = "Why?", ForceThinking = false }));
    }

    [Fact]
    public async Task Without_forced_thinking_the_model_opens_the_chain_itself_and_it_is_still_split()
    {
        using var engine = await Load(ScriptKind.ClosedChain);
        var result = await engine.RunAsync(Ask(ScriptKind.ClosedChain) with { ForceThinking = false });
        Assert.Equal(SyntheticModels.Get(ScriptKind.ClosedChain).ThinkingText.Trim(), result.Thinking.Trim());
        Assert.Equal("5", result.FinalAnswer);
        Assert.True(result.ReasoningComplete);
    }

    [Fact]
    public async Task Bad_inputs_get_typed_errors_that_say_what_to_do()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-model.gguf");
        var e1 = await Assert.ThrowsAsync<ReasonTools.Core.Models.ModelFileNotFoundException>(() => ReasonEngine.LoadAsync(missing));
        Assert.Contains("no-such-model.gguf", e1.Message);

        var text = Path.GetTempFileName();
        await File.WriteAllTextAsync(text, "this is not a model");
        try
        {
            await Assert.ThrowsAsync<GgufFormatException>(() => ReasonEngine.LoadAsync(text));
        }
        finally
        {
            File.Delete(text);
        }

        using var engine = await Load(ScriptKind.ClosedChain, context: 64);
        var empty = await Assert.ThrowsAsync<ReasonTools.Core.ReasonFailure>(async () => await engine.RunAsync(new ReasonRequest { Prompt = "  " }));
        Assert.Contains("empty", empty.Message);
        var tooLong = await Assert.ThrowsAsync<PromptTooLongException>(async () => await engine.RunAsync(new ReasonRequest { Prompt = new string('x', 500) }));
        Assert.Equal(64, tooLong.ContextSize);
        Assert.Contains("larger context", tooLong.Message);
    }

    [Fact]
    public async Task Cancelling_the_load_throws_OperationCanceled()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            ReasonEngine.LoadAsync(SyntheticModels.GetFile(ScriptKind.ClosedChain), cancellationToken: cts.Token));
    }
}

/// <summary>Engine tests share llama.cpp's process-wide state; running them one at a time keeps LiveContexts meaningful.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EngineCollection
{
    public const string Name = "llama.cpp engine";
}
