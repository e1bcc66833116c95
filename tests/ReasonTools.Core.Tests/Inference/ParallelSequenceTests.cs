using ReasonTools.Core.Hosting;
using ReasonTools.Core.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Inference;

/// <summary>Parallel sequences: several requests share each llama_decode batch of one resident model.</summary>
[Collection(EngineCollection.Name)]
public sealed class ParallelSequenceTests
{
    private static readonly EngineOptions Sequential = new() { ContextSize = 1024, Threads = 1 };
    private static readonly EngineOptions FourAtOnce = Sequential with { Parallel = 4 };

    private static ReasonRequest Ask(ScriptKind kind, int? maxTokens) =>
        new() { Prompt = SyntheticModels.Get(kind).Question, MaxTokens = maxTokens, Seed = 7 };

    [Fact]
    public async Task Concurrent_callers_on_one_lease_get_the_answers_each_would_get_alone()
    {
        var file = SyntheticModels.GetFile(ScriptKind.ClosedChain);
        int?[] limits = [null, 3, 9, 17];
        var alone = new List<ReasonResult>();
        using (var engine = await ReasonEngine.LoadAsync(file, Sequential))
            foreach (var limit in limits) alone.Add(await engine.RunAsync(Ask(ScriptKind.ClosedChain, limit)));

        using var host = new ModelHost(new ModelHostOptions { DefaultKeepAlive = TimeSpan.Zero });
        using var lease = await host.OpenAsync(file, FourAtOnce);
        var together = await Task.WhenAll(limits.Select(limit => Task.Run(() => RunThrough(lease, Ask(ScriptKind.ClosedChain, limit)))));

        for (var i = 0; i < limits.Length; i++)
        {
            Assert.Equal(alone[i].Thinking, together[i].Thinking);
            Assert.Equal(alone[i].Answer, together[i].Answer);
            Assert.Equal(alone[i].FinishReason, together[i].FinishReason);
            Assert.Equal(alone[i].Timings.GeneratedTokens, together[i].Timings.GeneratedTokens);
        }
        Assert.Equal("5", together[0].FinalAnswer);
        Assert.All(together.Skip(1), r => Assert.Equal(FinishReason.Length, r.FinishReason));
        Assert.All(together, r => Assert.True(r.Timings.TokensPerSecond > 0 && r.Timings.PromptMs > 0));
    }

    [Fact]
    public async Task A_request_arriving_during_a_long_one_is_answered_before_it_ends_and_cancelling_one_leaves_the_other()
    {
        var file = SyntheticModels.GetFile(ScriptKind.Loop);
        var endless = new ReasonRequest { Prompt = "Go on", DetectLoops = false, Seed = 1 };
        var shortOne = Ask(ScriptKind.Loop, 6);
        ReasonResult expected;
        using (var engine = await ReasonEngine.LoadAsync(file, Sequential with { ContextSize = 4096 }))
            expected = await engine.RunAsync(shortOne);

        using var parallel = await ReasonEngine.LoadAsync(file, FourAtOnce with { ContextSize = 4096 });
        using var stopLong = new CancellationTokenSource();
        var firstToken = new TaskCompletionSource();
        var longRun = Task.Run(async () =>
        {
            ReasonResult? last = null;
            await foreach (var u in parallel.StreamAsync(endless, stopLong.Token))
            {
                if (u.Kind == ReasonUpdateKind.Token) firstToken.TrySetResult();
                if (u.Kind == ReasonUpdateKind.Completed) last = u.Result;
            }
            return last!;
        });
        await firstToken.Task.WaitAsync(TimeSpan.FromMinutes(1));

        var quick = await parallel.RunAsync(shortOne);
        // With one request at a time the short one would have waited for all ~4000 tokens of the long one.
        Assert.False(longRun.IsCompleted);
        stopLong.Cancel();
        var cancelled = await longRun;

        Assert.Equal(expected.Thinking, quick.Thinking);
        Assert.Equal(FinishReason.Length, quick.FinishReason);
        Assert.Equal(6, quick.Timings.GeneratedTokens);
        Assert.Equal(FinishReason.Cancelled, cancelled.FinishReason);
        Assert.True(cancelled.Timings.GeneratedTokens > 6);
    }

    [Fact]
    public async Task A_follow_up_on_a_parallel_engine_reuses_the_prefix_its_sequence_holds()
    {
        using var engine = await ReasonEngine.LoadAsync(SyntheticModels.GetFile(ScriptKind.ClosedChain), FourAtOnce);
        var first = await engine.RunAsync(new ReasonRequest { Prompt = "What is 2 + 3?", Seed = 1 });
        var second = await engine.RunAsync(new ReasonRequest { Prompt = "And 2 + 4?", Seed = 1, History = Conversation.After(first) });

        Assert.Equal(0, first.Timings.ReusedPromptTokens);
        Assert.True(second.Timings.ReusedPromptTokens > 5);
        Assert.Equal("5", second.FinalAnswer);
    }

    [Theory]
    [InlineData(10, 2, 100L, 10L, 4)]   // two per core
    [InlineData(10, 16, 100L, 10L, 8)]  // the ceiling
    [InlineData(10, 16, 35L, 10L, 3)]   // three KV caches fit
    [InlineData(10, 16, 5L, 10L, 1)]    // not even one more: one at a time
    [InlineData(2, 16, 100L, 10L, 2)]   // no more than there are prompts
    public void The_default_count_follows_cores_memory_and_prompts(int prompts, int cores, long free, long kvPerSequence, int expected) =>
        Assert.Equal(expected, ParallelSequences.Choose(prompts, cores, free, kvPerSequence));

    [Fact]
    public async Task A_count_out_of_range_is_refused_before_loading()
    {
        var e = await Assert.ThrowsAsync<ReasonFailure>(() => ReasonEngine.LoadAsync(SyntheticModels.GetFile(ScriptKind.ClosedChain), Sequential with { Parallel = 0 }));
        Assert.Equal(SettingNames.Parallel, e.Setting);
    }

    private static async Task<ReasonResult> RunThrough(IReasonModel model, ReasonRequest request)
    {
        ReasonResult? result = null;
        await foreach (var u in model.StreamAsync(request))
            if (u.Kind == ReasonUpdateKind.Completed) result = u.Result;
        return result!;
    }
}
