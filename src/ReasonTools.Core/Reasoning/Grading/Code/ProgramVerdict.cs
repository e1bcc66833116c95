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
        if (run.ExitCode != 0) return $"exited with code {run.ExitCode}: {LastError(run.Stderr)}";
        var got = NormalizeOutput(run.Stdout);
        var want = NormalizeOutput(expectedStdout);
        return got == want ? null : $"expected {Quote(want)}; got {Quote(got)}";
    }

    /// <summary>Why the assertion script failed (a failed assert, an error, a limit); null when it ran to the end.</summary>
    public static string? AssertionFailure(SandboxRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.LimitHit is not null) return run.LimitHit;
        return run.ExitCode == 0 ? null : $"exited with code {run.ExitCode}: {LastError(run.Stderr)}";
    }

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
