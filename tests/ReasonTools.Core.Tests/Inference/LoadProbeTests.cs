using ReasonTools.Core.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Inference;

/// <summary>A load asks the machine probe off the caller's thread, and records the GPU layers it chose from the probe.</summary>
[Collection(EngineCollection.Name)]
public sealed class LoadProbeTests
{
    private static readonly string Model = SyntheticModels.GetFile(ScriptKind.ClosedChain);

    [Fact]
    public async Task LoadAsync_returns_while_the_probe_is_still_running_and_finishes_once_it_answers()
    {
        var probe = new HeldMachineProbe(FakeMachines.OneGpu);
        Task<ReasonEngine> loading;
        using (FakeMachines.Use(probe))
        {
            // Called from another thread so that a LoadAsync that blocked on the probe fails the test instead of hanging it.
            var call = Task.Factory.StartNew(() => ReasonEngine.LoadAsync(Model, new EngineOptions { ContextSize = 512, Threads = 1 }),
                CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            var first = await Task.WhenAny(call, Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.Same(call, first);
            loading = await call;
        }
        Assert.False(loading.IsCompleted);
        Assert.Equal(1, probe.Calls);

        probe.Release();
        using var engine = await loading;
        Assert.Equal(ExpectedLayers(), engine.GpuLayerChoice.Layers);
    }

    [Fact]
    public async Task Auto_gpu_layers_are_chosen_from_the_probe_and_recorded_in_the_result()
    {
        ReasonResult result;
        using (FakeMachines.Use(FakeMachines.OneGpu))
        {
            using var engine = await ReasonEngine.LoadAsync(Model, new EngineOptions { ContextSize = 512, Threads = 1 });
            result = await engine.RunAsync(new ReasonRequest { Prompt = SyntheticModels.Get(ScriptKind.ClosedChain).Question, MaxTokens = 2, Seed = 1 });
        }
        Assert.True(ExpectedLayers() > 0);
        Assert.Equal(ExpectedLayers(), result.Settings.GpuLayers);
    }

    private static int ExpectedLayers() => FakeMachines.AutoGpuLayersOnOneGpu(Model, 512);
}
