using System.Diagnostics;
using System.Text;

namespace ReasonTools.Cli.Tests;

/// <summary>
/// Runs <c>reason</c> in a child process and sends it a signal with <c>kill</c> once its output shows a cue (or once
/// it has the model file mapped), as a user pressing Ctrl+C or a service manager stopping it would.
/// </summary>
internal static class SignalledRun
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr, string Signal);

    /// <summary>
    /// Starts <c>reason arguments</c>, waits until <paramref name="cue"/> says the run is where it should be interrupted
    /// (it sees stdout and stderr so far), sends <paramref name="signal"/> (INT or TERM) and waits for the exit.
    /// </summary>
    public static Outcome Run(string arguments, string signal, Func<int, string, string, bool> cue, int timeoutMs = 120_000)
    {
        var psi = new ProcessStartInfo("sh", ["-c", $"exec {ReasonCli.WithSigintDefault(arguments)}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        psi.Environment["NO_COLOR"] = "1";
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var outRead = Pump(process.StandardOutput, stdout);
        var errRead = Pump(process.StandardError, stderr);
        var deadline = Stopwatch.StartNew();
        while (!Cue(cue, process.Id, stdout, stderr))
        {
            if (process.HasExited) throw new InvalidOperationException($"reason ended (exit {process.ExitCode}) before it could be interrupted:\n{stderr}");
            if (deadline.ElapsedMilliseconds > timeoutMs) { process.Kill(entireProcessTree: true); throw new TimeoutException($"no cue from reason {arguments}:\n{stderr}"); }
            Thread.Sleep(5);
        }
        Kill(signal, process.Id);
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"reason {arguments} did not end after SIG{signal}");
        }
        Task.WaitAll(outRead, errRead);
        return new Outcome(process.ExitCode, stdout.ToString(), stderr.ToString(), signal);
    }

    /// <summary>True once the process has <paramref name="path"/> mapped (llama.cpp maps the weights when it loads them).</summary>
    public static bool HasMapped(int pid, string path)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/maps").Contains(path, StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static bool Cue(Func<int, string, string, bool> cue, int pid, StringBuilder stdout, StringBuilder stderr)
    {
        string o, e;
        lock (stdout) o = stdout.ToString();
        lock (stderr) e = stderr.ToString();
        return cue(pid, o, e);
    }

    private static Task Pump(StreamReader reader, StringBuilder into) => Task.Run(async () =>
    {
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer)) > 0)
            lock (into) into.Append(buffer, 0, n);
    });

    /// <summary>Sends SIG<paramref name="signal"/> with /bin/kill, as a shell would.</summary>
    public static void Kill(string signal, int pid)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", $"-{signal} {pid}") { UseShellExecute = false })!;
        kill.WaitForExit();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -{signal} {pid} failed ({kill.ExitCode})");
    }
}
