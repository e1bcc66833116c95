using System.Diagnostics;
using System.Globalization;

namespace ReasonTools.Core.Reasoning.Grading.Code;

/// <summary>
/// Linux isolation with bubblewrap: every namespace unshared (no network, own PIDs), only /usr, /etc and the
/// interpreter's folder visible read-only (no home folders), a size-capped private tmpfs as the only writable place,
/// the task files read-only under /task, and rlimits set by prlimit inside (CPU, memory, processes, file size, no core
/// dumps). The process count limit counts only the sandbox's user namespace. Run as root, the sandbox drops to
/// nobody first (setpriv), since the kernel exempts root from the process limit and root could read root-only files.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class BubblewrapSandbox : ICodeSandbox
{
    private const string Nobody = "65534";
    private readonly string _bwrap;
    private readonly string _prlimit;
    private readonly string? _setpriv;

    private BubblewrapSandbox(string bwrap, string prlimit, string? setpriv)
    {
        _bwrap = bwrap;
        _prlimit = prlimit;
        _setpriv = setpriv;
    }

    public string Isolation => "bubblewrap";

    /// <summary>A sandbox when bubblewrap is installed and can create its namespaces here; otherwise why not.</summary>
    public static bool TryCreate(out BubblewrapSandbox? sandbox, out string problem)
    {
        sandbox = null;
        var bwrap = ExecutableSearch.Find("bwrap");
        if (bwrap is null)
        {
            problem = "bubblewrap (bwrap) is not installed; build/install-sandbox.sh or 'apt-get install bubblewrap' installs it";
            return false;
        }
        var prlimit = ExecutableSearch.Find("prlimit");
        if (prlimit is null || !prlimit.StartsWith("/usr/", StringComparison.Ordinal))
        {
            problem = "prlimit (util-linux) was not found under /usr";
            return false;
        }
        string? setpriv = null;
        if (Environment.IsPrivilegedProcess)
        {
            setpriv = ExecutableSearch.Find("setpriv");
            if (setpriv is null)
            {
                problem = "running as root needs setpriv (util-linux) to drop to an unprivileged user, and it was not found";
                return false;
            }
        }
        var candidate = new BubblewrapSandbox(bwrap, prlimit, setpriv);
        var probe = candidate.RunAsync(new SandboxCommand { Program = "/usr/bin/true", Limits = new SandboxLimits { WallTime = TimeSpan.FromSeconds(20) } }, CancellationToken.None)
            .GetAwaiter().GetResult();
        if (probe.ExitCode != 0 || probe.LimitHit is not null)
        {
            problem = $"bubblewrap cannot create its sandbox here (exit {probe.ExitCode}: {(probe.LimitHit ?? probe.Stderr).Trim()}); user namespaces may be disabled";
            return false;
        }
        sandbox = candidate;
        problem = "";
        return true;
    }

    public async Task<SandboxRun> RunAsync(SandboxCommand command, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("reasontools-code-");
        try
        {
            // The sandbox user is not the owner: the folder and its files must be readable by anyone (they hold only the task).
            File.SetUnixFileMode(folder.FullName, (UnixFileMode)0b111_101_101);
            foreach (var (name, text) in command.Files)
            {
                var path = Path.Combine(folder.FullName, name);
                await File.WriteAllTextAsync(path, text, cancellationToken).ConfigureAwait(false);
                File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
            }
            return await LimitedProcess.RunAsync(StartInfo(command, folder.FullName), command.Stdin, command.Limits, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    private ProcessStartInfo StartInfo(SandboxCommand command, string taskFolder)
    {
        var start = new ProcessStartInfo(_setpriv ?? _bwrap);
        var a = start.ArgumentList;
        if (_setpriv is not null)
        {
            foreach (var s in new[] { "--reuid", Nobody, "--regid", Nobody, "--clear-groups", "--", _bwrap }) a.Add(s);
        }
        var limits = command.Limits;
        foreach (var s in new[]
                 {
                     "--unshare-all", "--unshare-user", "--uid", Nobody, "--gid", Nobody, "--die-with-parent", "--new-session",
                     "--clearenv", "--setenv", "PATH", "/usr/local/bin:/usr/bin:/bin", "--setenv", "HOME", "/tmp", "--setenv", "LANG", "C.UTF-8",
                     "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc",
                 })
            a.Add(s);
        foreach (var top in new[] { "/bin", "/sbin", "/lib", "/lib32", "/lib64" })
        {
            var info = new FileInfo(top);
            if (info.LinkTarget is { } target) { a.Add("--symlink"); a.Add(target); a.Add(top); }
            else if (Directory.Exists(top)) { a.Add("--ro-bind"); a.Add(top); a.Add(top); }
        }
        foreach (var extra in command.ReadOnlyFolders) { a.Add("--ro-bind"); a.Add(extra); a.Add(extra); }
        foreach (var s in new[]
                 {
                     "--proc", "/proc", "--dev", "/dev",
                     "--size", limits.TempBytes.ToString(CultureInfo.InvariantCulture), "--tmpfs", "/tmp",
                     "--size", limits.TempBytes.ToString(CultureInfo.InvariantCulture), "--tmpfs", "/dev/shm",
                     "--ro-bind", taskFolder, "/task", "--chdir", "/tmp", "--", _prlimit,
                     Limit("cpu", limits.CpuSeconds),
                     Limit(limits.MemoryKind == MemoryLimitKind.AddressSpace ? "as" : "data", limits.MemoryBytes),
                     Limit("nproc", limits.Processes), Limit("fsize", limits.FileBytes), Limit("core", 0), "--", command.Program,
                 })
            a.Add(s);
        foreach (var argument in command.Arguments) a.Add(argument.Replace(SandboxCommand.TaskFolder, "/task", StringComparison.Ordinal));
        return start;
    }

    private static string Limit(string name, long value) => string.Create(CultureInfo.InvariantCulture, $"--{name}={value}");
}
