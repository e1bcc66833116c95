namespace ReasonTools.Core.Reasoning.Grading.Code;

/// <summary>How a sandbox caps a program's memory: address space suits interpreters; a browser reserves far more
/// address space than it uses, so it is capped on its data segment instead.</summary>
public enum MemoryLimitKind
{
    AddressSpace,
    DataSegment,
}

/// <summary>Limits on one sandboxed run.</summary>
public sealed record SandboxLimits
{
    public int CpuSeconds { get; init; } = 5;
    public TimeSpan WallTime { get; init; } = TimeSpan.FromSeconds(10);
    public long MemoryBytes { get; init; } = 1L << 30;
    public MemoryLimitKind MemoryKind { get; init; } = MemoryLimitKind.AddressSpace;
    public int Processes { get; init; } = 64;
    /// <summary>Standard output and standard error together; the host stops the run past it.</summary>
    public long OutputBytes { get; init; } = 1L << 20;
    /// <summary>Largest file the program may write (in its temporary folder, the only writable place).</summary>
    public long FileBytes { get; init; } = 16L << 20;
    /// <summary>Size of the private temporary folder.</summary>
    public long TempBytes { get; init; } = 64L << 20;
}

/// <summary>
/// One program to run: <see cref="Program"/> with <see cref="Arguments"/>, where <see cref="TaskFolder"/> in an argument
/// stands for the read-only folder holding <see cref="Files"/>.
/// </summary>
public sealed record SandboxCommand
{
    /// <summary>Placeholder for the folder of <see cref="Files"/> as the program sees it.</summary>
    public const string TaskFolder = "{task}";

    public required string Program { get; init; }
    public IReadOnlyList<string> Arguments { get; init; } = [];
    public IReadOnlyDictionary<string, string> Files { get; init; } = new Dictionary<string, string>();
    public string? Stdin { get; init; }
    /// <summary>Host folders the program needs to read (an interpreter installed outside /usr).</summary>
    public IReadOnlyList<string> ReadOnlyFolders { get; init; } = [];
    public SandboxLimits Limits { get; init; } = new();
}

/// <summary>What a run did. <see cref="LimitHit"/> says which limit stopped it, in words; null when none did.</summary>
public sealed record SandboxRun(int ExitCode, string Stdout, string Stderr, string? LimitHit);

/// <summary>Runs untrusted programs: no network, a private temporary folder as the only writable place, resource limits.</summary>
public interface ICodeSandbox
{
    /// <summary>What isolation this is, for notes ("bubblewrap", "none").</summary>
    string Isolation { get; }

    Task<SandboxRun> RunAsync(SandboxCommand command, CancellationToken cancellationToken);
}

/// <summary>The neutral setting every front maps its own switch onto.</summary>
public sealed record CodeExecutionOptions
{
    /// <summary>Run generated code without isolation where no sandbox is available (the user asked for it).</summary>
    public bool AllowUnsandboxed { get; init; }
    public SandboxLimits Limits { get; init; } = new();
    /// <summary>
    /// Limits of a headless browser. Chromium reserves far more address space than it uses (it does not start at 3 GiB
    /// of it) but its reservations are not writable, so its memory is capped on the data segment, per process: at
    /// 1.5 GiB a page that allocates 2 GB gets "Array buffer allocation failed" while ordinary pages load (it starts at
    /// 1 GiB). It needs a few hundred processes and threads.
    /// </summary>
    public SandboxLimits BrowserLimits { get; init; } = new()
    {
        CpuSeconds = 60,
        WallTime = TimeSpan.FromSeconds(60),
        MemoryKind = MemoryLimitKind.DataSegment,
        MemoryBytes = 3L << 29,
        Processes = 512,
        OutputBytes = 8L << 20,
        TempBytes = 256L << 20,
    };
}
