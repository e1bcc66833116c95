using ReasonTools.Core.Inference;
using ReasonTools.Core.Native;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Inference;

/// <summary>
/// The engine resolves <c>--gpu-layers</c> and records what it used. The test output folder holds only the
/// default (CPU) build, so llama.cpp has no GPU device here even on a machine with an NVIDIA card.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class GpuLayerEngineTests
{
    private static async Task<(ReasonEngine Engine, ReasonResult Result)> Run(int? gpuLayers)
    {
        var engine = await ReasonEngine.LoadAsync(SyntheticModels.GetFile(ScriptKind.ClosedChain),
            new EngineOptions { ContextSize = 512, Threads = 1, GpuLayers = gpuLayers });
        var result = await engine.RunAsync(new ReasonRequest { Prompt = SyntheticModels.Get(ScriptKind.ClosedChain).Question, MaxTokens = 2, Seed = 1 });
        return (engine, result);
    }

    [Fact]
    public async Task Auto_without_a_gpu_device_records_zero_layers_and_why()
    {
        Assert.DoesNotContain(Ggml.Devices(), d => d.Type is GgmlDeviceType.Gpu or GgmlDeviceType.IntegratedGpu);
        var (engine, result) = await Run(null);
        using (engine)
        {
            Assert.True(engine.GpuLayerChoice.Automatic);
            Assert.Equal(0, engine.GpuLayerChoice.Layers);
            Assert.Contains("No GPU llama.cpp can use", engine.GpuLayerChoice.Reason);
            Assert.Equal(0, engine.Options.GpuLayers);
            Assert.Equal(0, result.Settings.GpuLayers);
        }
    }

    [Fact]
    public async Task A_number_without_a_gpu_device_records_the_zero_layers_actually_used()
    {
        var (engine, result) = await Run(12);
        using (engine)
        {
            Assert.False(engine.GpuLayerChoice.Automatic);
            Assert.Equal(0, result.Settings.GpuLayers);
            Assert.Contains("12 GPU layers asked for, but llama.cpp has no GPU", engine.GpuLayerChoice.Reason);
        }
    }

    [Fact]
    public void The_default_build_is_loaded_and_its_devices_carry_no_pci_id_for_the_cpu()
    {
        LlamaNativeLibrary.EnsureLoaded();
        Assert.Equal(BackendVariant.Default, LlamaNativeLibrary.VariantChoice?.Variant ?? BackendVariant.Default);
        var cpu = Assert.Single(Ggml.Devices(), d => d.Type == GgmlDeviceType.Cpu);
        Assert.Null(cpu.DeviceId);
    }
}
