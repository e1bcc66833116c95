using ReasonTools.Core.Reasoning.Grading.Code;
using System.CommandLine;
using ReasonTools.Core;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Inference;

namespace ReasonTools.Cli;

/// <summary><c>reason compare</c>: the same prompts across models, graded, with speed side by side.</summary>
internal static class CompareCommand
{
    public static Command Create()
    {
        var models = new Option<string[]>("--model", "-m") { Description = "A GGUF model to compare (repeat for each model).", Required = true };
        var prompts = new Option<string>("--prompts") { Description = "Prompt set JSON file (see prompts/).", Required = true };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Most tokens per answer." };
        var context = new Option<int>("--context", "-c") { Description = "Context size in tokens.", DefaultValueFactory = _ => 4096 };
        var temperature = new Option<float>("--temperature") { Description = "Sampling temperature (0.6 advised for R1).", DefaultValueFactory = _ => 0.6f };
        var seed = new Option<uint?>("--seed") { Description = "Seed for reproducible sampling." };
        var threads = new Option<int?>("--threads", "-t") { Description = "CPU threads." };
        var draft = DraftOption.Create("auto");
        var json = new Option<bool>("--json") { Description = "Print the comparison as JSON." };
        var html = new Option<string?>("--html") { Description = "Also write a self-contained HTML report to this file." };
        var allowUnsandboxed = new Option<bool>("--allow-unsandboxed-code") { Description = "Run code answers with your own rights where no sandbox (bubblewrap) is available." };

        var command = new Command("compare", "Ask several models the same prompts; grade the answers and compare speed.")
        {
            models, prompts, maxTokens, context, temperature, seed, threads, draft, json, html, allowUnsandboxed,
        };
        command.SetAction(async (parse, ct) =>
        {
            var stdout = Console.Out;
            var stderr = Console.Error;
            try
            {
                var request = new ComparisonRequest
                {
                    Models = parse.GetValue(models)!,
                    PromptSet = PromptSet.Load(parse.GetValue(prompts)!),
                    Engine = new EngineOptions { ContextSize = parse.GetValue(context), Threads = parse.GetValue(threads), Draft = DraftOption.Parse(parse.GetValue(draft)) },
                    Sampling = new ReasonRequest { MaxTokens = parse.GetValue(maxTokens), Temperature = parse.GetValue(temperature), Seed = parse.GetValue(seed) },
                    CodeExecution = new CodeExecutionOptions { AllowUnsandboxed = parse.GetValue(allowUnsandboxed) },
                };
                var asJson = parse.GetValue(json);
                ComparisonResult? result = null;
                await foreach (var update in ComparisonRunner.RunAsync(request, ct))
                {
                    switch (update.Kind)
                    {
                        case ComparisonUpdateKind.PromptStarted when !asJson:
                            stderr.WriteLine(ReasonTools.Reports.TerminalText.Clean($"[{update.Completed + 1}/{update.Total}] {update.Model}: {update.PromptId}"));
                            break;
                        case ComparisonUpdateKind.ModelNotRun:
                            // Said once here, as it happens; the rows of this model carry no note.
                            stderr.WriteLine(ReasonTools.Reports.TerminalText.Clean($"reason: {update.Model} not run: {CliErrors.Describe(update.Failure!.Error)}"));
                            break;
                        case ComparisonUpdateKind.Row when !asJson && !update.Row!.NotRun:
                            stderr.WriteLine(ReasonTools.Reports.TerminalText.Clean(FormatRow(update.Row!)));
                            break;
                        case ComparisonUpdateKind.Completed:
                            // Reasons for models and rows without a result name reason's own commands, in JSON and HTML too.
                            result = update.Result!.WordFailures(CliErrors.Describe);
                            break;
                    }
                }
                stdout.Write(asJson ? ReasonJson.Serialize(result) + Environment.NewLine : ReasonTools.Reports.TerminalText.Clean(ReasonTools.Reports.TextReport.Render(result!)));
                if (parse.GetValue(html) is { } htmlPath)
                {
                    await File.WriteAllTextAsync(htmlPath, ReasonTools.Reports.HtmlReport.Document(result!), ct);
                    stderr.WriteLine(ReasonTools.Reports.TerminalText.Clean($"reason: HTML report written to {Path.GetFullPath(htmlPath)}"));
                }
                // No model ran: the first one's failure decides the code (2 not found or does not fit, 3 failed to load).
                return result!.AnyModelRan || result.Summary.FirstOrDefault(s => !s.Ran)?.Failure is not { } failure
                    ? ExitCodes.Success
                    : CliErrors.ExitCode(failure.Error);
            }
            catch (Exception e)
            {
                return CliErrors.Report(e, stderr);
            }
        });
        return command;
    }

    // One line per finished prompt while the comparison runs; the aligned report follows at the end.
    private static string FormatRow(ComparisonRow row) =>
        $"  {ReasonTools.Reports.Wording.Mark(row.Correct)} {ReasonTools.Reports.TextReport.OneLine(row.FinalAnswerText ?? "(no answer)", 40)}  " +
        $"{ReasonTools.Reports.Wording.Plural(row.ThinkingTokens, "thinking token")}, {ReasonTools.Reports.ReportFormat.TokensPerSecond(row.TokensPerSecond)}";
}
