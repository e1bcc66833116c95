using System.CommandLine;

namespace ReasonTools.Cli;

/// <summary>
/// Where a command writes and reads: System.CommandLine's configured writers (the console unless a caller such as a
/// test configures others) and standard input when it is piped, so every command runs in-process as well as in a shell.
/// </summary>
internal static class CliConsole
{
    /// <summary>The invocation's standard output.</summary>
    public static TextWriter Out(ParseResult parse) => parse.InvocationConfiguration.Output;

    /// <summary>The invocation's standard error.</summary>
    public static TextWriter Error(ParseResult parse) => parse.InvocationConfiguration.Error;

    /// <summary>True when <paramref name="writer"/> is the console's own stream and that stream is a terminal (progress bars, colour).</summary>
    public static bool IsTerminal(TextWriter writer) =>
        (ReferenceEquals(writer, Console.Out) && !Console.IsOutputRedirected) || (ReferenceEquals(writer, Console.Error) && !Console.IsErrorRedirected);

    /// <summary>Piped standard input, or null when it is a terminal: what <c>reason run</c> appends to the prompt.</summary>
    public static Stream? PipedStandardInput() => Console.IsInputRedirected ? Console.OpenStandardInput() : null;
}
