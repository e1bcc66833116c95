using System.Diagnostics;

namespace ReasonTools.Cli.Tests;

/// <summary>Runs the real <c>reason</c> program in a child process, as a user would.</summary>
internal static class ReasonCli
{
    public sealed record Outcome(int ExitCode, string Stdout, string Stderr);

    public static string AppDll => Path.Combine(AppContext.BaseDirectory, "reason.dll");

    /// <summary>
    /// The command line that starts reason with Ctrl+C's signal at its default: a test run started in the background of a
    /// script inherits SIGINT ignored, and reason, like any program, would then never see Ctrl+C.
    /// </summary>
    public static string WithSigintDefault(string arguments) => $"env --default-signal=INT dotnet \"{AppDll}\" {arguments}";

    public static Outcome Run(string arguments, string? stdin = null, IDictionary<string, string?>? environment = null, string? dll = null, int timeoutMs = 120_000)
    {
        var psi = new ProcessStartInfo("dotnet", $"\"{dll ?? AppDll}\" {arguments}")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        psi.Environment["NO_COLOR"] = "1";
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
            psi.Environment[key] = value;
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null) process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(timeoutMs))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"reason {arguments} did not finish in {timeoutMs / 1000} s");
        }
        return new Outcome(process.ExitCode, stdout.Result, stderr.Result);
    }
}
