using System.Diagnostics;
using System.Text;

namespace ReasonTools.Cli.Tests;

/// <summary>
/// Runs <c>reason</c> on a pseudo-terminal (util-linux <c>script</c>), so it sees a terminal as a user's shell gives it,
/// and presses Ctrl+C there: the terminal's line discipline sends SIGINT to the foreground process.
/// </summary>
internal static class TerminalRun
{
    public sealed record Outcome(int ExitCode, string Output);

    public static Outcome Run(string arguments, Func<string, bool> pressCtrlCWhen, int timeoutMs = 120_000)
    {
        var psi = new ProcessStartInfo("script", ["-qfec", $"exec {ReasonCli.WithSigintDefault(arguments)}", "/dev/null"])
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
            RedirectStandardError = true,
        };
        psi.Environment["TERM"] = "xterm-256color";
        psi.Environment.Remove("NO_COLOR");
        using var process = Process.Start(psi)!;
        var output = new StringBuilder();
        var read = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int n;
            while ((n = await process.StandardOutput.ReadAsync(buffer)) > 0)
                lock (output) output.Append(buffer, 0, n);
        });
        var clock = Stopwatch.StartNew();
        while (true)
        {
            string sofar;
            lock (output) sofar = output.ToString();
            if (pressCtrlCWhen(sofar)) break;
            if (process.HasExited) throw new InvalidOperationException($"reason ended (exit {process.ExitCode}) before Ctrl+C:\n{sofar}");
            if (clock.ElapsedMilliseconds > timeoutMs) { process.Kill(entireProcessTree: true); throw new TimeoutException(sofar); }
            Thread.Sleep(5);
        }
        process.StandardInput.Write('\x03');
        process.StandardInput.Flush();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("reason did not end after Ctrl+C");
        }
        read.Wait();
        return new Outcome(process.ExitCode, output.ToString());
    }
}
