using System.Diagnostics;
using System.Globalization;

namespace ReasonTools.Core.Inference;

/// <summary>
/// How many CPU threads a generation uses, and why: <see cref="Cores"/> split between the <see cref="Generations"/>
/// running on this machine at its busiest moment, or the count the caller set.
/// </summary>
/// <param name="Threads">Threads used (the fewest, when the share changed during the generation).</param>
/// <param name="Cores">Logical cores this process may use.</param>
/// <param name="Generations">Generations running on this machine at once (this one included), at most.</param>
/// <param name="Explicit">The caller set the thread count: it was not shared out.</param>
public sealed record ThreadChoice(int Threads, int Cores, int Generations, bool Explicit)
{
    /// <summary>"every logical core", "2 generations share 2 cores" or "set explicitly".</summary>
    public string Reason => Explicit ? "set explicitly"
        : Generations <= 1 ? "every logical core"
        : $"{Generations} generations share {Cores} cores";
}

/// <summary>
/// Generations on one machine share its cores instead of each taking all of them (two llama.cpp thread pools on the
/// same cores spin against each other: each runs many times slower). Each generation holds a lease file in
/// <see cref="Directory"/>, open with an exclusive OS lock (released by the OS when the process dies); a generation
/// counts the files it cannot lock and takes <c>cores ÷ live generations</c> threads, recounting as it runs.
/// Splitting rather than queueing: both generations keep streaming, and CPU decoding is bound by memory bandwidth,
/// so two halves together generate about as fast as one whole.
/// </summary>
public sealed class GenerationLeases
{
    private const string Extension = ".lease";

    public GenerationLeases(string directory, int cores)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cores, 1);
        Directory = directory;
        Cores = cores;
    }

    /// <summary>The machine's leases: $XDG_CACHE_HOME/reasontools/generations or ~/.cache/reasontools/generations.</summary>
    public static GenerationLeases Machine { get; } = new(DefaultDirectory(), Environment.ProcessorCount);

    public string Directory { get; }
    public int Cores { get; }

    /// <summary>How often a running generation recounts the live leases.</summary>
    public TimeSpan RecountInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    private static string DefaultDirectory() =>
        Path.Combine(Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? x
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache"), "reasontools", "generations");

    /// <summary>
    /// Takes a lease for a generation about to start. <paramref name="explicitThreads"/> (above 0) is used as it is;
    /// the lease is still held, so the others count this generation. A folder that cannot be written leaves the
    /// generation uncoordinated (every core), never failed.
    /// </summary>
    public GenerationLease Acquire(int? explicitThreads = null)
    {
        var file = TryCreateLeaseFile();
        return new GenerationLease(this, file, explicitThreads is > 0 ? explicitThreads : null);
    }

    /// <summary>Leases held by live generations (this process's included). Stale files of dead processes are removed.</summary>
    public int CountLive()
    {
        string[] files;
        try
        {
            files = System.IO.Directory.GetFiles(Directory, "*" + Extension);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
        var live = 0;
        foreach (var file in files)
            if (IsHeld(file)) live++;
        return live;
    }

    /// <summary>Threads for a generation when <paramref name="live"/> generations run (at least one thread each).</summary>
    public int ThreadsFor(int live) => Math.Max(1, Cores / Math.Max(1, live));

    private FileStream? TryCreateLeaseFile()
    {
        // Another process may be checking the new file at the instant it is created, before it is locked: try again.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var path = Path.Combine(Directory, $"{Environment.ProcessId}-{Guid.NewGuid():N}{Extension}");
            try
            {
                System.IO.Directory.CreateDirectory(Directory);
                var stream = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 64, FileOptions.DeleteOnClose);
                stream.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"));
                stream.Flush();
                return stream;
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }
        return null;
    }

    /// <summary>
    /// True while some process holds the file's lock. A file nobody holds was left by a process that died before it
    /// could delete it: removed when its process is gone, ignored either way.
    /// </summary>
    private static bool IsHeld(string file)
    {
        int? pid;
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.None, 64);
            using var reader = new StreamReader(stream);
            pid = int.TryParse(reader.ReadLine(), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : null;
        }
        catch (FileNotFoundException)
        {
            return false;
        }
        catch (IOException)
        {
            return true; // locked: its generation is running
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
        // An empty file may be one being created this instant: left alone. One whose process is gone is deleted.
        if (pid is { } id && !IsRunning(id))
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return false;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}

/// <summary>
/// One generation's share of the cores while it runs. <see cref="Recount"/> between decodes follows generations that
/// start or end elsewhere; <see cref="Choice"/> says what the result reports. Disposing deletes the lease file.
/// </summary>
public sealed class GenerationLease : IDisposable
{
    private readonly GenerationLeases _leases;
    private readonly FileStream? _file;
    private readonly int? _explicitThreads;
    private long _nextCount;

    internal GenerationLease(GenerationLeases leases, FileStream? file, int? explicitThreads)
    {
        _leases = leases;
        _file = file;
        _explicitThreads = explicitThreads;
        var live = Count();
        Threads = explicitThreads ?? leases.ThreadsFor(live);
        Choice = new ThreadChoice(Threads, leases.Cores, live, explicitThreads is not null);
        _nextCount = Stopwatch.GetTimestamp() + (long)(leases.RecountInterval.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>The threads to use now.</summary>
    public int Threads { get; private set; }

    /// <summary>The fewest threads and the most generations seen so far.</summary>
    public ThreadChoice Choice { get; private set; }

    /// <summary>Recounts the live generations when <see cref="GenerationLeases.RecountInterval"/> has passed; true when <see cref="Threads"/> changed.</summary>
    public bool Recount()
    {
        var now = Stopwatch.GetTimestamp();
        if (now < _nextCount) return false;
        _nextCount = now + (long)(_leases.RecountInterval.TotalSeconds * Stopwatch.Frequency);
        var live = Count();
        var threads = _explicitThreads ?? _leases.ThreadsFor(live);
        Choice = Choice with { Threads = Math.Min(Choice.Threads, threads), Generations = Math.Max(Choice.Generations, live) };
        if (threads == Threads) return false;
        Threads = threads;
        return true;
    }

    // This generation counts itself even when its lease file could not be written.
    private int Count() => Math.Max(1, _leases.CountLive() + (_file is null ? 1 : 0));

    public void Dispose() => _file?.Dispose();
}
