using ReasonTools.Core.Hosting;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Tests.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Hosting;

/// <summary>Callers that ask one request at a time (run, Invoke-Reason, the notebook) share one resident model's batch.</summary>
[Collection(EngineCollection.Name)]
public sealed class SharedSequenceTests
{
    private static readonly EngineOptions OneAtATime = new() { ContextSize = 4096, Threads = 1, Draft = Core.Inference.Speculative.DraftChoice.None };

    [Fact]
    public async Task Concurrent_callers_of_one_model_load_it_once_decode_in_one_batch_and_get_their_own_answers()
    {
        var file = SyntheticModels.GetFile(ScriptKind.Loop);
        int[] limits = [3, 6, 9];
        var alone = new List<ReasonResult>();
        using (var engine = await ReasonEngine.LoadAsync(file, OneAtATime))
            foreach (var limit in limits) alone.Add(await engine.RunAsync(Ask(limit)));

        using var host = new ModelHost(new ModelHostOptions { DefaultKeepAlive = TimeSpan.Zero }) { ServesConcurrentCallers = true };
        // The first caller asks for a long answer; the others arrive while it is generating.
        using var first = await host.OpenSharedAsync(file, OneAtATime);
        using var stopFirst = new CancellationTokenSource();
        var firstToken = new TaskCompletionSource();
        var longRun = Task.Run(async () =>
        {
            ReasonResult? last = null;
            await foreach (var u in first.StreamAsync(new ReasonRequest { Prompt = "Go on", DetectLoops = false, Seed = 1 }, stopFirst.Token))
            {
                if (u.Kind == ReasonUpdateKind.Token) firstToken.TrySetResult();
                if (u.Kind == ReasonUpdateKind.Completed) last = u.Result;
            }
            return last!;
        });
        await firstToken.Task.WaitAsync(TimeSpan.FromMinutes(1));

        var others = await Task.WhenAll(limits.Select(limit => Task.Run(async () =>
        {
            using var lease = await host.OpenSharedAsync(file, OneAtATime);
            return (lease.Engine, lease.WasResident, Result: await lease.Engine.RunAsync(Ask(limit)));
        })));
        // With one request at a time they would have waited for the whole long answer.
        Assert.False(longRun.IsCompleted);
        var resident = Assert.Single(host.Resident());
        stopFirst.Cancel();
        Assert.Equal(FinishReason.Cancelled, (await longRun).FinishReason);

        Assert.All(others, o => Assert.Same(first.Engine, o.Engine));
        Assert.All(others, o => Assert.True(o.WasResident));
        Assert.True(resident.Sequences > 1, $"sequences: {resident.Sequences}");
        Assert.True(resident.PeakSequences > 1, $"peak sequences: {resident.PeakSequences}");
        for (var i = 0; i < limits.Length; i++)
        {
            Assert.Equal(alone[i].Thinking, others[i].Result.Thinking);
            Assert.Equal(FinishReason.Length, others[i].Result.FinishReason);
            Assert.Equal(limits[i], others[i].Result.Timings.GeneratedTokens);
        }
    }

    [Fact]
    public async Task A_shared_open_joins_the_engine_an_earlier_one_chose_and_a_named_draft_keeps_one_sequence()
    {
        var file = SyntheticModels.GetFile(ScriptKind.ClosedChain);
        using var host = new ModelHost(new ModelHostOptions { DefaultKeepAlive = TimeSpan.Zero }) { ServesConcurrentCallers = true };
        using var a = await host.OpenSharedAsync(file, OneAtATime);
        using var b = await host.OpenSharedAsync(file, OneAtATime);
        var draft = OneAtATime with { Draft = Core.Inference.Speculative.DraftChoice.Parse(SyntheticModels.GetDraftFile(ScriptKind.ClosedChain, 0)) };
        using var speculating = await host.OpenSharedAsync(file, draft);

        Assert.Same(a.Engine, b.Engine);
        Assert.True(a.Engine.Options.Parallel > 1);
        Assert.Equal(1, speculating.Engine.Options.Parallel);
        Assert.NotNull(speculating.Engine.DraftModel);
        Assert.Equal("5", (await a.Engine.RunAsync(new ReasonRequest { Prompt = SyntheticModels.Get(ScriptKind.ClosedChain).Question, Seed = 1 })).FinalAnswer);
    }

    [Fact]
    public async Task A_host_that_serves_one_request_at_a_time_reserves_the_kv_cache_of_one_sequence()
    {
        // The reason command's process: no caller can overlap, so memory for more sequences would be wasted.
        var file = SyntheticModels.GetFile(ScriptKind.ClosedChain);
        using var host = new ModelHost(new ModelHostOptions { DefaultKeepAlive = TimeSpan.Zero });
        using var lease = await host.OpenSharedAsync(file, OneAtATime);

        Assert.Equal(1, lease.Engine.Options.Parallel);
        Assert.Equal(1, Assert.Single(host.Resident()).Sequences);
    }

    private static ReasonRequest Ask(int maxTokens) =>
        new() { Prompt = SyntheticModels.Get(ScriptKind.Loop).Question, MaxTokens = maxTokens, Seed = 7 };
}
