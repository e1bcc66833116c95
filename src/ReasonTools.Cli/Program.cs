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
return await root.Parse(args).InvokeAsync();
