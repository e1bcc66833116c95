namespace ReasonTools.Core.Reasoning.Grading.Code;

/// <summary>What each operating system is given to run generated code (<see cref="CodeSandboxes.For"/>).</summary>
public enum SandboxKind
{
    /// <summary>Linux: bubblewrap isolation (no network, no home, private /tmp) with rlimits.</summary>
    Bubblewrap,
    /// <summary>
    /// Windows: a job object's limits (CPU time, memory, processes, kill on close, UI restrictions), which do not
    /// isolate files or the network, so it runs code only where the user allowed unsandboxed code.
    /// </summary>
    WindowsJob,
    /// <summary>Nothing: code runs only where the user allowed it, with the host's wall-time and output limits.</summary>
    None,
}

/// <summary>Finds the sandbox this machine offers (probed once per process).</summary>
public static class CodeSandboxes
{
    private static readonly Lazy<(ICodeSandbox? Sandbox, string Problem)> Isolated = new(Probe);

    /// <summary>Which sandbox an operating system gets (pure).</summary>
    public static SandboxKind For(bool isLinux, bool isWindows) =>
        isLinux ? SandboxKind.Bubblewrap : isWindows ? SandboxKind.WindowsJob : SandboxKind.None;

    /// <summary>
    /// The isolating sandbox, or with <see cref="CodeExecutionOptions.AllowUnsandboxed"/> a limited runner where none
    /// is available; otherwise null and <paramref name="refusal"/> says why, naming the setting that allows it (worded by each front).
    /// </summary>
    public static ICodeSandbox? Resolve(CodeExecutionOptions options, out ReasonFailure? refusal) =>
        Resolve(options, Isolated.Value, Unisolated, out refusal);

    /// <summary>The choice of <see cref="Resolve(CodeExecutionOptions, out ReasonFailure?)"/> over a given probe result (pure).</summary>
    internal static ICodeSandbox? Resolve(CodeExecutionOptions options, (ICodeSandbox? Sandbox, string Problem) isolated, Func<ICodeSandbox> unisolated,
        out ReasonFailure? refusal)
    {
        ArgumentNullException.ThrowIfNull(options);
        refusal = null;
        if (isolated.Sandbox is not null) return isolated.Sandbox;
        if (options.AllowUnsandboxed) return unisolated();
        refusal = Refusal(isolated.Problem);
        return null;
    }

    /// <summary>Code not run because no sandbox is available (<paramref name="problem"/> says why); each front names its switch.</summary>
    public static ReasonFailure Refusal(string problem) => new(FailureKind.BadInput,
        w => $"code not run: no sandbox is available ({problem}); {w.Setting(SettingNames.AllowUnsandboxedCode)} runs generated code with your own rights")
    {
        Setting = SettingNames.AllowUnsandboxedCode,
        NextSteps = [new NextStep(NextStepKind.ChangeSetting) { Setting = SettingNames.AllowUnsandboxedCode }],
    };

    private static ICodeSandbox Unisolated() =>
        OperatingSystem.IsWindows() ? new WindowsJobSandbox() : new UnsandboxedRunner();

    private static (ICodeSandbox?, string) Probe()
    {
        switch (For(OperatingSystem.IsLinux(), OperatingSystem.IsWindows()))
        {
            case SandboxKind.Bubblewrap when OperatingSystem.IsLinux():
                return BubblewrapSandbox.TryCreate(out var sandbox, out var problem) ? (sandbox, "") : (null, problem);
            case SandboxKind.WindowsJob:
                return (null, "on Windows a job object limits CPU time, memory and processes but cannot keep code from your files and the network");
            default:
                return (null, "isolation is implemented with bubblewrap on Linux only");
        }
    }
}
