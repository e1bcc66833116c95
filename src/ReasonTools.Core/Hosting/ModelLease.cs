using System.Runtime.CompilerServices;
using ReasonTools.Core.Inference;

namespace ReasonTools.Core.Hosting;

/// <summary>
/// One caller's hold on a resident engine. Disposing it ends the hold (the model stays loaded for its keep-alive);
/// results of a model that was already resident say so, with a load time of 0.
/// </summary>
public sealed class ModelLease : IReasonModel
{
    private readonly ModelHost _host;
    private readonly HostedEngine _entry;
    private int _released;

    internal ModelLease(ModelHost host, HostedEngine entry, ReasonEngine engine, bool wasResident, TimeSpan keepAlive)
    {
        _host = host;
        _entry = entry;
        Engine = engine;
        WasResident = wasResident;
        KeepAlive = keepAlive;
    }

    /// <summary>The shared engine; it outlives the lease, so do not dispose it.</summary>
    public ReasonEngine Engine { get; }
    /// <summary>True when the model was loaded before this lease (nothing was loaded for it).</summary>
    public bool WasResident { get; }
    /// <summary>How long the model stays loaded after this lease ends.</summary>
    public TimeSpan KeepAlive { get; set; }

    public ModelInfo Model => Engine.Model;
    public int CountTokens(string text) => Engine.CountTokens(text);

    public async IAsyncEnumerable<ReasonUpdate> StreamAsync(ReasonRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _released) != 0, this);
        await foreach (var update in Engine.StreamAsync(request, cancellationToken).ConfigureAwait(false))
            yield return update.Kind == ReasonUpdateKind.Completed && WasResident && update.Result is { } result
                ? update with { Result = result with { Timings = result.Timings with { LoadMs = 0, Resident = true } } }
                : update;
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) _host.Release(_entry, KeepAlive);
    }
}
