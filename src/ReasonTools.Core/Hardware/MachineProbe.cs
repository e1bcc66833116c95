using ReasonTools.Core.Models;
using ReasonTools.Core.Native;

namespace ReasonTools.Core.Hardware;

/// <summary>What a model load needs to know of this machine: its memory and the GPUs llama.cpp can use.</summary>
public interface IMachineProbe
{
    /// <summary>The machine profile the fit guard and the GPU layer choice judge a load against.</summary>
    Task<MachineProfile> ProbeAsync(CancellationToken cancellationToken);
}

/// <summary>
/// The probe model loads use: <see cref="HardwareProbe"/> without the bandwidth measurement, counting only llama.cpp's
/// devices. It runs off the caller's thread; loads that ask at the same time share one probe, and its profile is reused
/// for <see cref="ReuseFor"/> unless a model was loaded or freed since (which changes free memory).
/// </summary>
public sealed class MachineProbe : IMachineProbe
{
    /// <summary>How long a profile stays good for the next load: long enough for a comparison's back-to-back loads.</summary>
    public static readonly TimeSpan ReuseFor = TimeSpan.FromSeconds(10);

    private static readonly AsyncLocal<IMachineProbe?> Scoped = new();

    private readonly object _gate = new();
    private Task<MachineProfile>? _probing;
    private DateTime _probedAt;
    private static int _memoryGeneration;
    private int _probedGeneration;

    /// <summary>The process's probe.</summary>
    public static MachineProbe Shared { get; } = new();

    /// <summary>The probe loads use in this asynchronous flow: <see cref="Shared"/> unless a test replaced it.</summary>
    internal static IMachineProbe Current => Scoped.Value ?? Shared;

    /// <summary>Replaces <see cref="Current"/> for this asynchronous flow (what it starts included) until disposed.</summary>
    internal static IDisposable Use(IMachineProbe probe)
    {
        var previous = Scoped.Value;
        Scoped.Value = probe;
        return new Restore(() => Scoped.Value = previous);
    }

    /// <summary>A model was loaded or freed: the next load probes again.</summary>
    internal static void MemoryChanged() => Interlocked.Increment(ref _memoryGeneration);

    public Task<MachineProfile> ProbeAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var generation = Volatile.Read(ref _memoryGeneration);
            var fresh = _probing is { IsFaulted: false, IsCanceled: false } p
                && (!p.IsCompleted || (_probedGeneration == generation && DateTime.UtcNow - _probedAt < ReuseFor));
            if (!fresh)
            {
                _probedGeneration = generation;
                _probedAt = DateTime.UtcNow;
                // Not cancelled by one caller's token: other loads may be waiting on the same probe.
                _probing = Task.Run(async () =>
                {
                    var result = await HardwareProbe.CollectDetailedAsync(new HardwareProbeOptions { MeasureBandwidth = false, BackendDevices = new GgmlBackendDevices() })
                        .ConfigureAwait(false);
                    lock (_gate) _probedAt = DateTime.UtcNow;
                    return result.Profile;
                });
            }
            return _probing!.WaitAsync(cancellationToken);
        }
    }

    private sealed class Restore(Action restore) : IDisposable
    {
        public void Dispose() => restore();
    }
}
