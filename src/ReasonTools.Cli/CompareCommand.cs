using ReasonTools.Core.Reasoning.Grading.Code;
using System.CommandLine;
using System.Globalization;
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
        var parallel = new Option<int?>("--parallel") { Description = "Prompts of a local model generated together in one batch; 1 runs them one after another. Default: from the memory free for their KV caches and the cores (two a core, at most 8)." };
        var keepAlive = KeepAliveOption.Create();
        var allowUnsandboxed = new Option<bool>("--allow-unsandboxed-code") { Description = "Run code answers with your own rights where no sandbox (bubblewrap) is available." };

        var command = new Command("compare", "Ask several models the same prompts; grade the answers and compare speed.")
        {
            models, prompts, maxTokens, context, temperature, seed, threads, draft, parallel, keepAlive, json, html, allowUnsandboxed,
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
                    Parallel = parse.GetValue(parallel),
                    KeepAlive = KeepAliveOption.Parse(parse.GetValue(keepAlive)),
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
                        case ComparisonUpdateKind.Row when !asJson:
                            stdout.WriteLine(ReasonTools.Reports.TerminalText.Clean(FormatRow(update.Row!.WordFailure(CliErrors.Describe))));
                            break;
                        case ComparisonUpdateKind.Completed:
                            // Notes of rows without a result name reason's own commands, in JSON and HTML too.
                            result = update.Result! with { Rows = [.. update.Result!.Rows.Select(r => r.WordFailure(CliErrors.Describe))] };
                            break;
                    }
                }
                if (asJson) stdout.WriteLine(ReasonJson.Serialize(result));
                else
                {
                    stdout.WriteLine();
                    foreach (var s in result!.Summary)
                        stdout.WriteLine(string.Format(CultureInfo.InvariantCulture, "{0,-40} accuracy {1,4}  {2,6:0.0} tokens/s  {3,7:0} thinking tokens  {4,7:0.0} s mean",
                            s.Model, s.Accuracy is { } a ? a.ToString("P0", CultureInfo.InvariantCulture) : "—", s.MeanTokensPerSecond, s.MeanThinkingTokens, s.MeanTotalMs / 1000));
                }
                if (parse.GetValue(html) is { } htmlPath) await File.WriteAllTextAsync(htmlPath, ReasonTools.Reports.HtmlReport.Document(result!), ct);
                return ExitCodes.Success;
            }
            catch (Exception e)
            {
                return CliErrors.Report(e, stderr);
            }
        });
        return command;
    }

    private static string FormatRow(ComparisonRow row) => string.Format(CultureInfo.InvariantCulture,
        "{0,-40} {1,-16} {2}  {3,-24} {4,6} thinking  {5,6:0.0} tokens/s{6}",
        row.Model, row.PromptId, row.Correct switch { true => "✓", false => "✗", null => "—" },
        row.FinalAnswer ?? "(no answer)", row.ThinkingTokens, row.TokensPerSecond, row.Note is null ? "" : $"  ({row.Note})");
}
