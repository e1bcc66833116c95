using ReasonTools.Core.Gguf;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Models;

namespace ReasonTools.Testing;

/// <summary>
/// Machine probes for model loads that stand in for this machine's: a fixed profile (a GPU this machine may lack) or
/// one that answers only when released. Installed for the calling asynchronous flow (and what it starts) only.
/// </summary>
public static class FakeMachines
{
    /// <summary>16 GB of system memory and one 24 GB GPU with 20 GB free: every small model fits on the GPU.</summary>
    public static MachineProfile OneGpu { get; } = new(16_000_000_000, 12_000_000_000, 40, [new GpuBudget("Fake GPU", 20_000_000_000, 24_000_000_000, 900)]);

    /// <summary>
    /// The layers Core's one chooser (<see cref="GpuLayerChooser"/>) gives the model at <paramref name="path"/> on
    /// <see cref="OneGpu"/> for the GPU layers setting auto: what every front must record when the setting is left out.
    /// </summary>
    public static int AutoGpuLayersOnOneGpu(string path, int contextSize)
    {
        var file = GgufReader.Read(path);
        var spec = GgufModelSpec.From(file, file.Name ?? Path.GetFileNameWithoutExtension(path));
        return GpuLayerChooser.Choose(null, spec, OneGpu, new FitOptions { ContextSize = contextSize, UBatchSize = new EngineOptions().MicroBatchSize }).Layers;
    }

    /// <summary>Model loads in this flow judge fit and GPU layers against <paramref name="profile"/> until disposed.</summary>
    public static IDisposable Use(MachineProfile profile) => MachineProbe.Use(new FixedProbe(profile));

    /// <summary>Model loads in this flow wait on <paramref name="probe"/> until disposed.</summary>
    public static IDisposable Use(IMachineProbe probe) => MachineProbe.Use(probe);

    private sealed class FixedProbe(MachineProfile profile) : IMachineProbe
    {
        public Task<MachineProfile> ProbeAsync(CancellationToken cancellationToken) => Task.FromResult(profile);
    }
}

/// <summary>A probe that does not answer until <see cref="Release"/>: a slow GPU driver or a busy machine.</summary>
public sealed class HeldMachineProbe(MachineProfile profile) : IMachineProbe
{
    private readonly TaskCompletionSource _answer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _calls;

    /// <summary>How many times a load asked.</summary>
    public int Calls => Volatile.Read(ref _calls);

    public async Task<MachineProfile> ProbeAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _calls);
        await _answer.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        return profile;
    }

    /// <summary>Lets every waiting and later probe answer.</summary>
    public void Release() => _answer.TrySetResult();
}
