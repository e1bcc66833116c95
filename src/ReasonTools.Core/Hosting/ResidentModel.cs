namespace ReasonTools.Core.Hosting;

/// <summary>A model the host holds loaded, as of the moment it was listed.</summary>
public sealed record ResidentModel
{
    public required string Name { get; init; }
    public required string Path { get; init; }
    public int ContextSize { get; init; }
    /// <summary>Sequences the engine decodes together (its parallel count): how many callers at once share one batch.</summary>
    public int Sequences { get; init; } = 1;
    /// <summary>The most requests it has generated at the same time so far.</summary>
    public int PeakSequences { get; init; }
    /// <summary>Memory the model holds by the fit estimate (weights, KV cache, compute buffers); what eviction counts.</summary>
    public long MemoryBytes { get; init; }
    /// <summary>Requests holding the model right now; a model in use is never evicted.</summary>
    public int InUse { get; init; }
    /// <summary>False while it is still loading.</summary>
    public bool Loaded { get; init; }
    public DateTimeOffset LastUsed { get; init; }
    /// <summary>Time since its last request ended (zero while in use).</summary>
    public TimeSpan Idle { get; init; }
    public TimeSpan KeepAlive { get; init; }
    /// <summary>When it unloads unless used again; null while in use or kept forever.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }
}
