using ReasonTools.Core.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Inference;

/// <summary>Follow-up turns: R1's convention for the history, and the KV cache of the shared prefix reused.</summary>
[Collection(EngineCollection.Name)]
public sealed class FollowUpTests
{
    private static readonly string File = SyntheticModels.GetFile(ScriptKind.ClosedChain);
    private static readonly EngineOptions Options = new() { ContextSize = 1024, Threads = 1 };

    [Fact]
    public async Task A_follow_up_sends_back_the_answer_but_not_the_chain_and_decodes_only_what_follows_the_reused_prefix()
    {
        using var engine = await ReasonEngine.LoadAsync(File, Options);
        var first = await engine.RunAsync(new ReasonRequest { Prompt = "What is 2 + 3?", Seed = 1 });
        var followUp = new ReasonRequest { Prompt = "And 2 + 4?", Seed = 1, History = Conversation.After(first) };

        var prompt = engine.FormatPrompt(followUp);
        var second = await engine.RunAsync(followUp);

        Assert.Contains(first.Answer.Trim(), prompt);
        Assert.DoesNotContain(first.Thinking.Trim(), prompt);
        Assert.Equal(first.Prompt, Assert.Single(second.History).Prompt);
        Assert.Equal(0, first.Timings.ReusedPromptTokens);
        // The first prompt (up to the generation prompt) is shared; the forced "<think>\n" and the chain are not.
        Assert.InRange(second.Timings.ReusedPromptTokens, engine.CountPromptTokens(new ReasonRequest { Prompt = first.Prompt, ForceThinking = false }) - 2, second.Timings.PromptTokens - 1);
        Assert.Equal("5", second.FinalAnswer);
    }

    [Fact]
    public async Task A_new_question_after_another_reuses_only_the_common_template_start_and_answers_the_same()
    {
        using var engine = await ReasonEngine.LoadAsync(File, Options);
        var cold = await engine.RunAsync(new ReasonRequest { Prompt = "What is 2 + 3?", Seed = 1 });
        var again = await engine.RunAsync(new ReasonRequest { Prompt = "What is 2 + 3?", Seed = 1 });

        // The same prompt: everything but the last token comes from the cache, and the output is identical.
        Assert.Equal(again.Timings.PromptTokens - 1, again.Timings.ReusedPromptTokens);
        Assert.Equal(cold.Thinking, again.Thinking);
        Assert.Equal(cold.Answer, again.Answer);
    }

    [Fact]
    public async Task A_service_run_with_continue_carries_the_conversation_on()
    {
        var options = Options with { ContextSize = 512 };
        var first = await ReasonService.RunAsync(new ReasonInvocation { Model = File, Question = "What is 2 + 3?", Engine = options, KeepAlive = TimeSpan.FromSeconds(30) });
        var second = await ReasonService.RunAsync(new ReasonInvocation { Model = File, Question = "Why?", Engine = options, Continue = first, KeepAlive = TimeSpan.Zero });

        Assert.True(second.Timings.Resident);
        Assert.True(second.Timings.ReusedPromptTokens > 0);
        Assert.Equal(["What is 2 + 3?"], second.History.Select(t => t.Prompt));
        Assert.Equal(0, ReasonEngine.LiveContexts);
    }
}
