using System.CommandLine;
using ReasonTools.Cli;

var root = new RootCommand("ReasonTools: run DeepSeek-R1-Distill reasoning models locally and see the reasoning chain and the answer apart.")
{
    RunCommand.Create(),
    ChatCommand.Create(),
    CompareCommand.Create(),
    HardwareCommand.Create(),
    BenchCommand.Create(),
    ModelsCommand.Create(),
    PullCommand.Create(),
    BackendCommand.Create(),
};
var parse = root.Parse(args);
// reason chat handles Ctrl+C itself (it stops the answer, not the session), so it is not turned into process termination.
return parse.CommandResult.Command.Name == ChatCommand.Name
    ? await parse.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null })
    : await parse.InvokeAsync();
