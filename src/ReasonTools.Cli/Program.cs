using System.CommandLine;
using ReasonTools.Cli;

var parse = ReasonCommand.Create().Parse(args);
try
{
    // reason chat handles Ctrl+C itself (it stops the answer, not the session), so no signal cancels the whole command.
    if (parse.CommandResult.Command.Name == ChatCommand.Name)
        return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });

    // Our own signal handling, not System.CommandLine's (which gives up on the command after 2 s): the first signal cancels,
    // the command writes what it has and exits 130; a second one ends the process.
    using var signals = TerminationSignals.Register();
    return await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, signals.Token);
}
finally
{
    TerminationSignals.ResetTerminal();
}
