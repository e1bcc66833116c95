using System.CommandLine;

namespace ReasonTools.Cli;

/// <summary>The <c>reason</c> root command with every subcommand.</summary>
internal static class ReasonCommand
{
    /// <summary>The root command; <paramref name="standardInput"/> gives piped input (default: the console's, when piped).</summary>
    public static RootCommand Create(Func<Stream?>? standardInput = null) =>
        new("ReasonTools: run DeepSeek-R1-Distill reasoning models locally and see the reasoning chain and the answer apart.")
        {
            RunCommand.Create(standardInput ?? CliConsole.PipedStandardInput),
            ChatCommand.Create(),
            CompareCommand.Create(),
            HardwareCommand.Create(),
            BenchCommand.Create(),
            ModelsCommand.Create(),
            PullCommand.Create(),
            BackendCommand.Create(),
        };
}
