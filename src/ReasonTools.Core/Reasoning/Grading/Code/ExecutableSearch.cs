namespace ReasonTools.Core.Reasoning.Grading.Code;

/// <summary>Finds programs on PATH (and the usual system folders), resolved through symbolic links.</summary>
internal static class ExecutableSearch
{
    public static string? Find(params string[] names)
    {
        var folders = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Concat(OperatingSystem.IsWindows() ? [] : new[] { "/usr/bin", "/bin", "/usr/sbin", "/sbin", "/usr/local/bin" });
        // System folders first, so a Debian interpreter is preferred to a per-user one (pyenv shims need the home folder).
        var ordered = folders.OrderBy(f => f.StartsWith("/usr/", StringComparison.Ordinal) || f is "/bin" or "/sbin" ? 0 : 1).ToList();
        foreach (var name in names)
        {
            foreach (var folder in ordered)
            {
                foreach (var candidate in OperatingSystem.IsWindows() ? new[] { name + ".exe", name } : [name])
                {
                    var path = Path.Combine(folder, candidate);
                    if (!File.Exists(path)) continue;
                    return new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
                }
            }
        }
        return null;
    }
}
