using System.CommandLine;
using System.Globalization;
using ReasonTools.Core;
using ReasonTools.Core.Inference;

namespace ReasonTools.Cli;

/// <summary><c>reason bench</c>: prompt and generation tokens/s of a model on this machine, like llama-bench's pp/tg.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = "GGUF file to measure.", Required = true };
        var promptTokens = new Option<int>("--prompt-tokens", "-p") { Description = "Prompt length in tokens.", DefaultValueFactory = _ => 512 };
        var genTokens = new Option<int>("--gen-tokens", "-n") { Description = "Tokens to generate.", DefaultValueFactory = _ => 128 };
        var repetitions = new Option<int>("--repetitions", "-r") { Description = "Measured runs after one warm-up.", DefaultValueFactory = _ => 3 };
        var threads = new Option<int?>("--threads", "-t") { Description = "CPU threads (default: all logical cores)." };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var command = new Command("bench", "Measure prompt and generation speed of a model on this machine.")
        {
            model, promptTokens, genTokens, repetitions, threads, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            try
            {
                var p = parse.GetValue(promptTokens);
                var n = parse.GetValue(genTokens);
                var options = new EngineOptions { ContextSize = Math.Max(512, p + n + 16), Threads = parse.GetValue(threads) };
                using var engine = await ReasonEngine.LoadAsync(parse.GetValue(model)!, options, cancellationToken: ct);
                var result = await SpeedTest.RunAsync(engine, p, n, Math.Max(1, parse.GetValue(repetitions)), ct);
                Console.Out.WriteLine(parse.GetValue(json)
                    ? ReasonJson.Serialize(result)
                    : string.Format(CultureInfo.InvariantCulture, "{0}: pp{1} {2:0.00} tokens/s, tg{3} {4:0.00} tokens/s ({5:0.00} wall clock), {6} threads",
                        result.Model, result.PromptTokens, result.PromptTokensPerSecond, result.GeneratedTokens, result.TokensPerSecond, result.WallClockTokensPerSecond, result.Threads));
                return ExitCodes.Success;
            }
            catch (Exception e)
            {
                return CliErrors.Report(e, Console.Error);
            }
        });
        return command;
    }
}
