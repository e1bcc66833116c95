using System.CommandLine;
using ReasonTools.Core;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Models;

namespace ReasonTools.Cli;

/// <summary><c>reason run</c>: ask a model and stream the reasoning chain and the answer apart.</summary>
internal static class RunCommand
{
    public static Command Create(Func<Stream?> standardInput)
    {
        var model = new Option<string?>("--model", "-m") { Description = $"The model: {ModelOptionWords.LocalOrRemote}. Default: the best model found locally that this machine runs." };
        var prompt = new Option<string?>("--prompt", "-p") { Description = "The question. Piped standard input is appended to it." };
        var files = new Option<string[]>("--file", "-f") { Description = "A file to include (repeatable).", AllowMultipleArgumentsPerToken = false };
        var task = new Option<string>("--task") { Description = "general, or logs: the input is a log of any size, reduced to what matters, and the model is asked for the root cause.", DefaultValueFactory = _ => "general" };
        task.AcceptOnlyFromAmong("general", "logs");
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Most tokens to generate (default: what the context leaves)." };
        var context = SettingOptions.ContextSize();
        var temperature = SettingOptions.Temperature();
        var topP = SettingOptions.TopP();
        var seed = new Option<uint?>("--seed") { Description = "Seed for reproducible sampling." };
        var threads = new Option<int?>("--threads", "-t") { Description = "CPU threads (default: the logical cores, shared with other generations running on this machine)." };
        var gpuLayers = SettingOptions.GpuLayers();
        var draft = DraftOption.Create("auto");
        var keepAlive = KeepAliveOption.Create();
        var json = new Option<bool>("--json") { Description = "Print one ReasonResult as JSON instead of streaming text." };
        var showPrompt = new Option<bool>("--show-prompt") { Description = "Print the exact prompt the model would get, and stop." };
        var hideThinking = new Option<bool>("--hide-thinking") { Description = "Do not print the reasoning chain while streaming." };
        var html = new Option<string?>("--html") { Description = "Also write a self-contained HTML report of the result to this file." };

        var command = new Command("run", "Ask a model a question (or pipe a log in) and stream its reasoning and answer.")
        {
            model, prompt, files, task, maxTokens, context, temperature, topP, seed, threads, gpuLayers, draft, keepAlive, json, showPrompt, hideThinking, html,
        };
        command.SetAction(async (parse, ct) =>
        {
            var stdout = CliConsole.Out(parse);
            var stderr = CliConsole.Error(parse);
            StreamView? view = null;
            try
            {
                var gpu = SettingOptions.ParseGpuLayers(parse.GetValue(gpuLayers)!);
                IReadOnlyList<(string, Stream)> streams = standardInput() is { } piped ? [("input", piped)] : [];
                var invocation = new ReasonInvocation
                {
                    Model = parse.GetValue(model) ?? await BestLocalModelAsync(parse.GetValue(context), stderr, ct),
                    Question = parse.GetValue(prompt),
                    Files = parse.GetValue(files) ?? [],
                    Streams = streams,
                    Task = parse.GetValue(task) == "logs" ? ReasonTask.LogAnalysis : ReasonTask.General,
                    Engine = new EngineOptions { ContextSize = parse.GetValue(context), Threads = parse.GetValue(threads), GpuLayers = gpu, Draft = DraftOption.Parse(parse.GetValue(draft)) },
                    KeepAlive = KeepAliveOption.Parse(parse.GetValue(keepAlive)),
                    Sampling = new ReasonRequest
                    {
                        MaxTokens = parse.GetValue(maxTokens),
                        Temperature = parse.GetValue(temperature),
                        TopP = parse.GetValue(topP),
                        Seed = parse.GetValue(seed),
                    },
                };

                if (parse.GetValue(showPrompt))
                {
                    stdout.WriteLine(ReasonTools.Reports.TerminalText.Clean(await ReasonService.PreviewPromptAsync(invocation, ct)));
                    return ExitCodes.Success;
                }

                var asJson = parse.GetValue(json);
                view = new StreamView(stdout, stderr, showThinking: !parse.GetValue(hideThinking) && !asJson, quiet: asJson);
                var result = await ReasonService.RunAsync(invocation, view.OnUpdate, ct);
                view.Finish(result);
                // Why llama.cpp runs on a lesser backend than the machine has (no CUDA runtime, too old a driver...).
                if (ReasonTools.Core.Native.LlamaNativeLibrary.Notice is { } notice) stderr.WriteLine(notice);
                if (asJson) stdout.WriteLine(ReasonJson.Serialize(result));
                // A cancelled run's partial result is written too: not with the token that cancelled it.
                if (parse.GetValue(html) is { } htmlPath) await File.WriteAllTextAsync(htmlPath, ReasonTools.Reports.HtmlReport.Document(result), CancellationToken.None);
                return result.FinishReason == FinishReason.Cancelled ? ExitCodes.Cancelled : ExitCodes.Success;
            }
            catch (Exception e)
            {
                view?.Abandon();
                return CliErrors.Report(e, stderr);
            }
        });
        return command;
    }

    /// <summary>The largest R1 distill found locally that this machine runs at a usable speed.</summary>
    private static async Task<string> BestLocalModelAsync(int contextSize, TextWriter stderr, CancellationToken ct)
    {
        var choice = await ModelResolver.ChooseBestLocalAsync(contextSize, ct);
        stderr.WriteLine($"reason: using {choice.Candidate.Path} ({choice.Reason})");
        return choice.Candidate.Path!;
    }
}
