using ReasonTools.Core.Hardware;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Inference.Speculative;
using ReasonTools.Core.Models;

namespace ReasonTools.Core.Hosting;

/// <summary>How a <see cref="ModelHost"/> decides what stays loaded.</summary>
public sealed record ModelHostOptions
{
    /// <summary>System memory resident models may hold together; null: this machine's memory (or cgroup limit).</summary>
    public long? MemoryBudgetBytes { get; init; }
    /// <summary>Keep-alive for opens that name none; null: the settings file's <c>keepAlive</c>, else 5 minutes.</summary>
    public TimeSpan? DefaultKeepAlive { get; init; }
}

/// <summary>
/// Keeps loaded models for the whole process, as Ollama's server does: <see cref="OpenAsync"/> returns a lease on a
/// resident engine (loading it when needed, once however many callers ask at the same time); a model stays loaded for
/// its keep-alive after the last lease ends; a model that does not fit beside the resident ones evicts the least
/// recently used idle ones first. The PowerShell session, notebook kernels and file-based apps share <see cref="Shared"/>.
/// </summary>
public sealed class ModelHost : IDisposable
{
    private static readonly Lazy<ModelHost> SharedHost = new(() => new ModelHost());

    private readonly object _gate = new();
    private readonly Dictionary<HostKey, HostedEngine> _entries = new();
    private readonly ModelHostOptions _options;
    private readonly Lazy<TimeSpan> _defaultKeepAlive;

    public ModelHost(ModelHostOptions? options = null)
    {
        _options = options ?? new ModelHostOptions();
        _defaultKeepAlive = new(() => _options.DefaultKeepAlive ?? KeepAlive.FromSettings(Remote.RemoteSettings.DefaultPath()));
    }

    /// <summary>The process's host.</summary>
    public static ModelHost Shared => SharedHost.Value;

    /// <summary>The keep-alive of opens that name none.</summary>
    public TimeSpan DefaultKeepAlive => _defaultKeepAlive.Value;

    /// <summary>
    /// Whether shared opens load room for several callers at once. Off by default: a process that serves one request at a
    /// time (the <c>reason</c> command) reserves the KV cache of one sequence, not of eight. Fronts whose callers can
    /// overlap (a PowerShell session's runspaces, a notebook's cells) turn it on.
    /// </summary>
    public bool ServesConcurrentCallers { get; set; }

    /// <summary>
    /// A lease on the model at <paramref name="path"/> loaded with <paramref name="engine"/> options; dispose it when done.
    /// <paramref name="keepAlive"/> (null: <see cref="DefaultKeepAlive"/>) applies from the lease's end.
    /// </summary>
    public Task<ModelLease> OpenAsync(string path, EngineOptions? engine = null, TimeSpan? keepAlive = null,
        IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        engine ??= new EngineOptions();
        var asked = new HostKey(System.IO.Path.GetFullPath(path), engine with { ResidentBytes = 0 });
        return OpenEntryAsync(asked, shared: false, () => engine, keepAlive, progress, cancellationToken);
    }

    /// <summary>
    /// A lease for a caller that asks one request at a time (<c>reason run</c>, Invoke-Reason, the notebook, chat) with
    /// <see cref="EngineOptions.Parallel"/> 1. Where the host <see cref="ServesConcurrentCallers"/>, callers of the same model at the same time (runspaces, threads, cells) share
    /// one load, each request in its own sequence of the same llama_decode batch. The model is loaded with as many
    /// sequences as <see cref="ParallelSequences.ChooseFor"/> allows (free memory for the KV caches, cores), unless it
    /// speculates (a draft, named, ngram or the one <c>auto</c> finds, needs the one sequence) or may offload layers to a
    /// GPU (its memory goes to layers first); callers then take turns. Otherwise it is the plain open.
    /// Options with another parallel count are opened exactly, as <see cref="OpenAsync(string, EngineOptions?, TimeSpan?, IProgress{LoadProgress}?, CancellationToken)"/>.
    /// </summary>
    public Task<ModelLease> OpenSharedAsync(string path, EngineOptions? engine = null, TimeSpan? keepAlive = null,
        IProgress<LoadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        engine ??= new EngineOptions();
        if (!ServesConcurrentCallers || engine.Parallel != 1 || engine.Draft.Kind is not (DraftKind.Auto or DraftKind.None))
            return OpenAsync(path, engine, keepAlive, progress, cancellationToken);
        var asked = new HostKey(System.IO.Path.GetFullPath(path), engine with { ResidentBytes = 0 });
        return OpenEntryAsync(asked, shared: true, () => SharedOptions(asked.Path, engine, cancellationToken), keepAlive, progress, cancellationToken);
    }

    // Outside the lock (reads the file, probes memory, may look for a draft): the options a shared open loads with.
    private static EngineOptions SharedOptions(string path, EngineOptions engine, CancellationToken ct)
    {
        var file = Gguf.GgufReader.Read(path);
        // The engine's own checks before any shape is computed from the header, as RequiredBytes does.
        Gguf.ModelHyperparameters.Validate(file);
        if (engine.Draft.Kind == DraftKind.Auto && ReasonEngine.FindAutoDraft(file, path, engine, ct, out _) is { } draft)
            return engine with { Draft = new DraftChoice(DraftKind.Model, draft.Model.Path) };
        // Layers on a GPU come first: more KV caches there would leave fewer layers offloaded for every caller.
        if (engine.GpuLayers != 0 && MachineProbe.Current.ProbeAsync(ct).GetAwaiter().GetResult().Gpus.Count > 0) return engine;
        var sequences = ParallelSequences.ChooseFor(path, engine, ParallelSequences.DefaultCeiling);
        return sequences > 1 ? engine with { Parallel = sequences, Draft = DraftChoice.None } : engine;
    }

    private async Task<ModelLease> OpenEntryAsync(HostKey asked, bool shared, Func<EngineOptions> chooseOptions, TimeSpan? keepAlive,
        IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        var hold = keepAlive ?? DefaultKeepAlive;
        HostedEngine? entry;
        var resident = false;
        var evicted = new List<HostedEngine>();
        lock (_gate) entry = Join(asked, shared, out resident);
        if (entry is null)
        {
            // The GGUF header is read outside the lock; a bad file is refused here, before anything is evicted.
            var engine = chooseOptions();
            var key = new HostKey(asked.Path, engine with { ResidentBytes = 0 });
            var required = RequiredBytes(asked.Path, engine);
            lock (_gate)
            {
                entry = Join(asked, shared, out resident) ?? Join(key, shared: false, out resident);
                if (entry is null)
                {
                    evicted = EvictFor(required);
                    var reserved = _entries.Values.Sum(e => e.RequiredBytes);
                    entry = new HostedEngine(key, required, shared ? asked : null);
                    entry.Acquire();
                    _entries[key] = entry;
                    // Started off the lock: choosing GPU layers probes the machine, and a refusal must fault the task, not the lock holder.
                    var residentOptions = engine with { ResidentBytes = reserved };
                    entry.Loading = Task.Run(() => ReasonEngine.LoadAsync(asked.Path, residentOptions, progress, cancellationToken), CancellationToken.None);
                }
            }
        }
        foreach (var e in evicted) e.Unload();

        ReasonEngine loaded;
        try
        {
            loaded = await entry.Loading.ConfigureAwait(false);
        }
        catch
        {
            lock (_gate)
            {
                entry.Release();
                if (_entries.TryGetValue(entry.Key, out var current) && current == entry) _entries.Remove(entry.Key);
            }
            throw;
        }
        return new ModelLease(this, entry, loaded, resident, hold);
    }

    // Under the lock: a lease on an entry already loaded or loading (one load however many callers ask at once); a
    // shared open also joins the engine an earlier shared open of the same options chose.
    private HostedEngine? Join(HostKey key, bool shared, out bool resident)
    {
        resident = false;
        if (!_entries.TryGetValue(key, out var found))
        {
            found = shared ? _entries.Values.FirstOrDefault(e => key.Equals(e.SharedAsk)) : null;
            if (found is null) return null;
        }
        resident = found.Loading.IsCompletedSuccessfully;
        found.Acquire();
        return found;
    }

    /// <summary>The models loaded now, most recently used first.</summary>
    public IReadOnlyList<ResidentModel> Resident()
    {
        var now = DateTimeOffset.UtcNow;
        lock (_gate)
            return _entries.Values.OrderByDescending(e => e.LastUsed).Select(e => e.Describe(now)).ToList();
    }

    /// <summary>
    /// Unloads the resident models that <paramref name="match"/> selects (all with null): idle ones at once, ones in use
    /// when their last request ends. Returns what was selected.
    /// </summary>
    public IReadOnlyList<ResidentModel> Unload(Func<ResidentModel, bool>? match = null)
    {
        var now = DateTimeOffset.UtcNow;
        var selected = new List<ResidentModel>();
        var unload = new List<HostedEngine>();
        lock (_gate)
        {
            foreach (var entry in _entries.Values.ToList())
            {
                var described = entry.Describe(now);
                if (match is not null && !match(described)) continue;
                selected.Add(described);
                if (entry.InUse == 0 && entry.Loading.IsCompleted)
                {
                    _entries.Remove(entry.Key);
                    unload.Add(entry);
                }
                else entry.UnloadWhenIdle = true;
            }
        }
        foreach (var entry in unload) entry.Unload();
        return selected;
    }

    /// <summary>Called by a lease's Dispose: starts the keep-alive, or unloads at once (0, or an unload was asked for).</summary>
    internal void Release(HostedEngine entry, TimeSpan keepAlive)
    {
        var unload = false;
        lock (_gate)
        {
            entry.Release();
            entry.KeepAlive = keepAlive;
            if (entry.InUse > 0) return;
            if (entry.UnloadWhenIdle || keepAlive == TimeSpan.Zero)
            {
                if (_entries.TryGetValue(entry.Key, out var current) && current == entry) _entries.Remove(entry.Key);
                unload = true;
            }
            else if (keepAlive != Timeout.InfiniteTimeSpan)
                entry.StartExpiry(keepAlive, () => Expire(entry));
        }
        if (unload) entry.Unload();
    }

    private void Expire(HostedEngine entry)
    {
        lock (_gate)
        {
            if (entry.InUse > 0 || !_entries.TryGetValue(entry.Key, out var current) || current != entry) return;
            _entries.Remove(entry.Key);
        }
        entry.Unload();
    }

    // Under the lock: the least recently used idle models, removed until the new one fits beside the rest. Nothing is
    // evicted when even that would not make room: the fit guard then refuses with its own numbers.
    private List<HostedEngine> EvictFor(long required)
    {
        var allowed = FitEstimator.CpuAllowedBytes(_options.MemoryBudgetBytes ?? MachineMemory());
        var resident = _entries.Values.Sum(e => e.RequiredBytes);
        var idle = _entries.Values.Where(e => e.InUse == 0 && e.Loading.IsCompleted).OrderBy(e => e.LastUsed).ToList();
        var evicted = new List<HostedEngine>();
        if (resident + required <= allowed || resident - idle.Sum(e => e.RequiredBytes) + required > allowed) return evicted;
        foreach (var entry in idle)
        {
            if (resident + required <= allowed) break;
            _entries.Remove(entry.Key);
            resident -= entry.RequiredBytes;
            evicted.Add(entry);
        }
        return evicted;
    }

    private static long MachineMemory() => MachineProfile.EffectiveMemory(MemoryProbe.Probe(HardwareFileSystem.Real, new List<string>()));

    private static long RequiredBytes(string path, EngineOptions engine)
    {
        var file = Gguf.GgufReader.Read(path);
        // The engine's own checks first, so a hostile file is refused in the same words whether or not a host loads it.
        Gguf.ModelHyperparameters.Validate(file);
        var spec = GgufModelSpec.From(file, file.Name ?? System.IO.Path.GetFileNameWithoutExtension(path));
        var fit = new FitOptions { ContextSize = engine.TotalContextSize, UBatchSize = engine.MicroBatchSize };
        return FitEstimator.Estimate(spec, MachineProfile.CpuOnly(long.MaxValue / 4, null), fit).RequiredBytes;
    }

    /// <summary>Unloads every idle model; models in use unload when their request ends.</summary>
    public void Dispose() => Unload();
}

/// <summary>One model file loaded with one set of options.</summary>
internal sealed record HostKey(string Path, EngineOptions Options);

/// <summary>A resident (or loading) engine with its leases and keep-alive. Mutable state is guarded by the host's lock.</summary>
internal sealed class HostedEngine(HostKey key, long requiredBytes, HostKey? sharedAsk)
{
    private Timer? _expiry;

    public HostKey Key { get; } = key;
    public long RequiredBytes { get; } = requiredBytes;
    /// <summary>For an engine a shared open loaded: the options that open asked for, which later shared opens join on.</summary>
    public HostKey? SharedAsk { get; } = sharedAsk;
    public Task<ReasonEngine> Loading { get; set; } = null!;
    public int InUse { get; private set; }
    public DateTimeOffset LastUsed { get; private set; } = DateTimeOffset.UtcNow;
    public TimeSpan KeepAlive { get; set; } = Hosting.KeepAlive.Default;
    public bool UnloadWhenIdle { get; set; }

    public void Acquire()
    {
        InUse++;
        UnloadWhenIdle = false;
        _expiry?.Dispose();
        _expiry = null;
    }

    public void Release()
    {
        InUse--;
        LastUsed = DateTimeOffset.UtcNow;
    }

    public void StartExpiry(TimeSpan after, Action expire)
    {
        _expiry?.Dispose();
        _expiry = new Timer(_ => expire(), null, after, Timeout.InfiniteTimeSpan);
    }

    public ResidentModel Describe(DateTimeOffset now) => new()
    {
        Name = Loading.IsCompletedSuccessfully ? Loading.Result.Model.Name : System.IO.Path.GetFileNameWithoutExtension(Key.Path),
        Path = Key.Path,
        ContextSize = Key.Options.ContextSize,
        Sequences = Key.Options.Parallel,
        PeakSequences = Loading.IsCompletedSuccessfully ? Loading.Result.PeakSequences : 0,
        MemoryBytes = RequiredBytes,
        InUse = InUse,
        Loaded = Loading.IsCompletedSuccessfully,
        LastUsed = LastUsed,
        Idle = InUse > 0 ? TimeSpan.Zero : now - LastUsed,
        KeepAlive = KeepAlive,
        ExpiresAt = InUse > 0 || KeepAlive == Timeout.InfiniteTimeSpan ? null : LastUsed + KeepAlive,
    };

    /// <summary>Frees the engine (outside the host's lock: it waits for a generation still finishing).</summary>
    public void Unload()
    {
        _expiry?.Dispose();
        if (Loading.IsCompletedSuccessfully) Loading.Result.Dispose();
    }
}
