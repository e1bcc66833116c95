namespace ReasonTools.Core.Reasoning.Grading.Code;

/// <summary>Turns sandbox runs into pass/fail and a one-line reason. Pure.</summary>
public static class ProgramVerdict
{
    private const int MessageLimit = 300;

    /// <summary>Why a stdin case failed; null when its output matched.</summary>
    public static string? CaseFailure(SandboxRun run, string expectedStdout)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.LimitHit is not null) return run.LimitHit;
        if (run.ExitCode != 0) return Exited(run);
        var got = NormalizeOutput(run.Stdout);
        var want = NormalizeOutput(expectedStdout);
        return got == want ? null : $"expected {Quote(want)}; got {Quote(got)}";
    }

    /// <summary>Why the assertion script failed (a failed assert, an error, a limit); null when it ran to the end.</summary>
    public static string? AssertionFailure(SandboxRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.LimitHit is not null) return run.LimitHit;
        return run.ExitCode == 0 ? null : Exited(run);
    }

    /// <summary>
    /// A crash is named by its signal (the sandbox reports signal N as exit 128 + N): a program that hits the process
    /// limit, say, often dies of SIGSEGV or SIGABRT with nothing on stderr, and "exit 139" alone tells a reader nothing.
    /// </summary>
    private static string Exited(SandboxRun run) => CrashSignal(run.ExitCode) is { } signal
        ? $"crashed with {signal} (exit {run.ExitCode}): {LastError(run.Stderr)}"
        : $"exited with code {run.ExitCode}: {LastError(run.Stderr)}";

    private static string? CrashSignal(int exitCode) => exitCode switch
    {
        128 + 4 => "SIGILL, an illegal instruction",
        128 + 6 => "SIGABRT, an abort",
        128 + 7 => "SIGBUS, a bus error",
        128 + 8 => "SIGFPE, an arithmetic error",
        128 + 11 => "SIGSEGV, a segmentation fault",
        _ => null,
    };

    public static CodeGradeResult Compose(int passed, int total, string? firstFailure, string code) =>
        firstFailure is null && passed == total
            ? new CodeGradeResult(true, passed, total, total == 1 ? "the test passed" : $"all {total} tests passed", code)
            : new CodeGradeResult(false, passed, total, Trim(firstFailure ?? "a test failed"), code);

    /// <summary>Line ends trimmed, line endings unified, trailing blank lines dropped.</summary>
    public static string NormalizeOutput(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd()).ToList();
        while (lines.Count > 0 && lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        return string.Join('\n', lines);
    }

    /// <summary>
    /// The error line of a traceback or stack ("AssertionError: ...", "RangeError: ..."); a bare "AssertionError" is
    /// preceded by the source line that failed, which says more.
    /// </summary>
    internal static string LastError(string stderr)
    {
        var lines = stderr.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (lines.Count == 0) return "no error message";
        // Node prints the error, then its stack ("    at ..."), then its version.
        var nodeError = lines.FindLastIndex(l => l.Contains("Error", StringComparison.Ordinal) && !l.StartsWith("at ", StringComparison.Ordinal) && !l.StartsWith("Node.js", StringComparison.Ordinal));
        var last = lines[^1];
        if ((last.StartsWith("at ", StringComparison.Ordinal) || last.StartsWith("Node.js", StringComparison.Ordinal)) && nodeError >= 0) last = lines[nodeError];
        var index = lines.LastIndexOf(last);
        if (last is "AssertionError" && index > 0) last = $"{lines[index - 1]} → AssertionError";
        return last;
    }

    private static string Quote(string text)
    {
        var shown = text.Length > 120 ? text[..120] + "…" : text;
        return "\"" + shown.Replace("\n", "\\n", StringComparison.Ordinal) + "\"";
    }

    private static string Trim(string message) => message.Length > MessageLimit ? message[..MessageLimit] + "…" : message;
}
