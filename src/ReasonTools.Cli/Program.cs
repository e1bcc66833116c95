using System.CommandLine;
using ReasonTools.Cli;

// Our own signal handling, not System.CommandLine's (which gives up on the command after 2 s): the first signal cancels,
// the command writes what it has and exits 130; a second one ends the process.
using var signals = TerminationSignals.Register();
try
{
    return await ReasonCommand.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, signals.Token);
}
finally
{
    TerminationSignals.ResetTerminal();
}
