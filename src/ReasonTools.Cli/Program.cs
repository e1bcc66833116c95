using System.CommandLine;
using ReasonTools.Cli;

var root = new RootCommand("ReasonTools: run DeepSeek-R1-Distill reasoning models locally and see the reasoning chain and the answer apart.")
{
    RunCommand.Create(),
    CompareCommand.Create(),
    HardwareCommand.Create(),
    BenchCommand.Create(),
    ModelsCommand.Create(),
    PullCommand.Create(),
    BackendCommand.Create(),
};
// Our own signal handling, not System.CommandLine's (which gives up on the command after 2 s): the first signal cancels,
// the command writes what it has and exits 130; a second one ends the process.
using var signals = TerminationSignals.Register();
try
{
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }, signals.Token);
}
finally
{
    TerminationSignals.ResetTerminal();
}
