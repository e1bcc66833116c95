using System.CommandLine;
using System.Text;
using ReasonTools.Core.Hosting;

namespace ReasonTools.Cli.Tests;

/// <summary>
/// Runs <c>reason</c> in this process: the same root command as the program, parsed from one command line and
/// invoked with string writers for stdout and stderr and an optional piped standard input.
/// </summary>
internal static class InProcessReason
{
    /// <summary>Parses and invokes <paramref name="arguments"/> (shell-style quoting) on the program's root command.</summary>
    public static Task<ReasonCli.Outcome> RunAsync(string arguments, string? stdin = null) =>
        RunAsync(ReasonCommand.Create(Input(stdin)), arguments);

    /// <summary>Parses and invokes <paramref name="arguments"/> on <paramref name="command"/> (a root holding one command under test).</summary>
    public static async Task<ReasonCli.Outcome> RunAsync(Command command, string arguments)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        try
        {
            var code = await command.Parse(arguments).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr });
            return new ReasonCli.Outcome(code, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            // The program's process ends after one command; here the next test must not find this one's model resident.
            ModelHost.Shared.Unload();
        }
    }

    private static Func<Stream?> Input(string? stdin) =>
        () => stdin is null ? null : new MemoryStream(Encoding.UTF8.GetBytes(stdin));
}
