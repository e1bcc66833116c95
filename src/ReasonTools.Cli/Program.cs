using ReasonTools.Cli;

return await ReasonCommand.Create().Parse(args).InvokeAsync();
