using ReasonTools.Core.Reasoning.Grading.Code;
using System.CommandLine;
using ReasonTools.Core;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Inference;
using ReasonTools.Reports;

namespace ReasonTools.Cli;

/// <summary><c>reason compare</c>: the same prompts across models, graded, with speed side by side.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var models = new Option<string[]>("--model", "-m") { Description = $"A model to compare, repeated for each: {ModelOptionWords.LocalOrRemote}.", Required = true };
        var prompts = new Option<string>("--prompts") { Description = "Prompt set JSON file (see prompts/).", Required = true };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Most tokens per answer." };
        var context = SettingOptions.ContextSize();
        var temperature = SettingOptions.Temperature();
        var topP = SettingOptions.TopP();
        var seed = new Option<uint?>("--seed") { Description = "Seed for reproducible sampling." };
        var threads = new Option<int?>("--threads", "-t") { Description = "CPU threads (default: the logical cores, shared with other generations running on this machine)." };
        var gpuLayers = SettingOptions.GpuLayers();
        var draft = DraftOption.Create("auto");
        var json = new Option<bool>("--json") { Description = "Print the comparison as JSON." };
        var html = new Option<string?>("--html") { Description = "Also write a self-contained HTML report to this file." };
        var parallel = new Option<int?>("--parallel") { Description = "Prompts of a local model generated together in one batch; 1 runs them one after another. Default: from the memory free for their KV caches and the cores (two a core, at most 8)." };
        var keepAlive = KeepAliveOption.Create();
        var allowUnsandboxed = new Option<bool>("--allow-unsandboxed-code") { Description = "Run code answers with your own rights where no sandbox (bubblewrap, Linux) is available; on Windows in a job object with CPU, memory and process limits." };

        var command = new Command("compare", "Ask several models the same prompts; grade the answers and compare speed.")
        {
            models, prompts, maxTokens, context, temperature, topP, seed, threads, gpuLayers, draft, parallel, keepAlive, json, html, allowUnsandboxed,
        };
        command.SetAction(async (parse, ct) =>
        {
            var stdout = CliConsole.Out(parse);
            var stderr = CliConsole.Error(parse);
            CompareStatus? status = null;
            try
            {
                var request = new ComparisonRequest
                {
                    Models = parse.GetValue(models)!,
                    PromptSet = PromptSet.Load(parse.GetValue(prompts)!),
                    Engine = new EngineOptions { ContextSize = parse.GetValue(context), Threads = parse.GetValue(threads), GpuLayers = SettingOptions.ParseGpuLayers(parse.GetValue(gpuLayers)!), Draft = DraftOption.Parse(parse.GetValue(draft)) },
                    Parallel = parse.GetValue(parallel),
                    KeepAlive = KeepAliveOption.Parse(parse.GetValue(keepAlive)),
                    Sampling = new ReasonRequest { MaxTokens = parse.GetValue(maxTokens), Temperature = parse.GetValue(temperature), TopP = parse.GetValue(topP), Seed = parse.GetValue(seed) },
                    CodeExecution = new CodeExecutionOptions { AllowUnsandboxed = parse.GetValue(allowUnsandboxed) },
                };
                var asJson = parse.GetValue(json);
                ComparisonResult? result = null;
                status = new CompareStatus(stderr, CliConsole.IsTerminal(stderr));
                await foreach (var update in ComparisonRunner.RunAsync(request, ct))
                {
                    status.On(update);
                    if (update.Kind is ComparisonUpdateKind.PromptStarted or ComparisonUpdateKind.ModelNotRun or ComparisonUpdateKind.Row or ComparisonUpdateKind.Completed) status.Clear();
                    switch (update.Kind)
                    {
                        // Progress goes to stderr in both modes, so stdout holds only the report or the JSON.
                        case ComparisonUpdateKind.PromptStarted:
                            stderr.WriteLine(TerminalText.Clean($"[{update.Completed + 1}/{update.Total}] {update.Model}: {update.PromptId}"));
                            break;
                        case ComparisonUpdateKind.ModelNotRun:
                            // Said once here, as it happens; the rows of this model carry no note.
                            stderr.WriteLine(TerminalText.Clean($"reason: {update.Model} not run: {CliErrors.Describe(update.Failure!.Error)}"));
                            break;
                        case ComparisonUpdateKind.Row when !asJson && !update.Row!.NotRun:
                            // Each row as it finishes, as progress; stdout gets the whole comparison at the end.
                            stderr.WriteLine(TerminalText.Clean(TextReport.Render(update.Row!.WordFailure(CliErrors.Describe))));
                            break;
                        case ComparisonUpdateKind.Completed:
                            // Reasons for models and rows without a result name reason's own commands, in JSON and HTML too.
                            result = update.Result!.WordFailures(CliErrors.Describe);
                            break;
                    }
                }
                stdout.Write(asJson ? ReasonJson.Serialize(result) + Environment.NewLine : TerminalText.Clean(TextReport.Render(result!)));
                // What finished is written even when the comparison was stopped: not with the token that stopped it.
                if (parse.GetValue(html) is { } htmlPath)
                {
                    await File.WriteAllTextAsync(htmlPath, HtmlReport.Document(result!), CancellationToken.None);
                    stderr.WriteLine(TerminalText.Clean($"reason: HTML report written to {Path.GetFullPath(htmlPath)}"));
                }
                if (result!.Interrupted is not null) return ExitCodes.Cancelled;
                // No model ran: the first one's failure decides the code (2 not found or does not fit, 3 failed to load).
                return result.AnyModelRan || result.Summary.FirstOrDefault(s => !s.Ran)?.Failure is not { } failure
                    ? ExitCodes.Success
                    : CliErrors.ExitCode(failure.Error);
            }
            catch (Exception e)
            {
                status?.Clear();
                return CliErrors.Report(e, stderr);
            }
        });
        return command;
    }
}
