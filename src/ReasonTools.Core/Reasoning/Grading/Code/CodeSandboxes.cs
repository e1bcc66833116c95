namespace ReasonTools.Core.Reasoning.Grading.Code;

/// <summary>Finds the sandbox this machine offers (probed once per process).</summary>
public static class CodeSandboxes
{
    private static readonly Lazy<(ICodeSandbox? Sandbox, string Problem)> Isolated = new(Probe);

    /// <summary>
    /// The isolating sandbox, or with <see cref="CodeExecutionOptions.AllowUnsandboxed"/> a plain runner where none
    /// is available; otherwise null and <paramref name="refusal"/> says why, in words a row note can carry.
    /// </summary>
    public static ICodeSandbox? Resolve(CodeExecutionOptions options, out string? refusal)
    {
        ArgumentNullException.ThrowIfNull(options);
        var (sandbox, problem) = Isolated.Value;
        refusal = null;
        if (sandbox is not null) return sandbox;
        if (options.AllowUnsandboxed) return new UnsandboxedRunner();
        refusal = $"code not run: no sandbox is available ({problem}) and running generated code without isolation was not allowed";
        return null;
    }

    private static (ICodeSandbox?, string) Probe()
    {
        if (!OperatingSystem.IsLinux())
            return (null, "isolation is implemented with bubblewrap on Linux only");
        return BubblewrapSandbox.TryCreate(out var sandbox, out var problem) ? (sandbox, "") : (null, problem);
    }
}
