using System.CommandLine;
using System.Globalization;
using ReasonTools.Core;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Inference.Speculative;
using ReasonTools.Core.Models;

namespace ReasonTools.Cli;

/// <summary><c>reason bench</c>: prompt and generation tokens/s of a model on this machine, like llama-bench's pp/tg.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model", "-m") { Description = $"The model to measure: {ModelOptionWords.Local}.", Required = true };
        var promptTokens = new Option<int>("--prompt-tokens", "-p") { Description = "Prompt length in tokens.", DefaultValueFactory = _ => 512 };
        var genTokens = new Option<int>("--gen-tokens", "-n") { Description = "Tokens to generate.", DefaultValueFactory = _ => 128 };
        var repetitions = new Option<int>("--repetitions", "-r") { Description = "Measured runs after one warm-up.", DefaultValueFactory = _ => 3 };
        var threads = new Option<int?>("--threads", "-t") { Description = "CPU threads (default: the logical cores, shared with other generations running on this machine)." };
        var json = new Option<bool>("--json") { Description = "Print the figures as JSON." };
        var draft = DraftOption.Create("none");
        draft.Description = "A draft to measure generation with, beside plain decoding: a model's path or name, ngram, or auto.";
        var draftMax = new Option<int>("--draft-max") { Description = "Most tokens the draft proposes per round.", DefaultValueFactory = _ => new SpeculationOptions().MaxDraftTokens };
        var parallel = new Option<string?>("--parallel") { Description = "Sequence counts to measure generation with, together in one batch, such as 1,4,8: one tg line per count with the aggregate tokens/s." };
        var command = new Command("bench", "Measure prompt and generation speed of a model on this machine.")
        {
            model, promptTokens, genTokens, repetitions, threads, json, draft, draftMax, parallel,
        };
        command.SetAction(async (parse, ct) =>
        {
            var stdout = CliConsole.Out(parse);
            var stderr = CliConsole.Error(parse);
            try
            {
                var p = parse.GetValue(promptTokens);
                var n = parse.GetValue(genTokens);
                var draftChoice = DraftOption.Parse(parse.GetValue(draft));
                var options = new EngineOptions
                {
                    ContextSize = Math.Max(512, p + n + 16), Threads = parse.GetValue(threads), Draft = draftChoice,
                    Speculation = new SpeculationOptions { MaxDraftTokens = parse.GetValue(draftMax) },
                };
                // Named like run's models: a size, a name or an Ollama tag resolves to the file found here.
                var modelPath = ModelResolver.ResolveLocal(parse.GetValue(model)!);
                if (parse.GetValue(parallel) is { } counts)
                    return await BenchParallelAsync(stdout, stderr, modelPath, options with { ContextSize = Math.Max(256, n + 64), Draft = DraftChoice.None }, ParseCounts(counts),
                        n, Math.Max(1, parse.GetValue(repetitions)), parse.GetValue(json), ct);
                using var engine = await ReasonEngine.LoadAsync(modelPath, options, cancellationToken: ct);
                if (draftChoice.Kind != DraftKind.None) return await BenchDraftAsync(stdout, stderr, engine, n, Math.Max(1, parse.GetValue(repetitions)), parse.GetValue(json), ct);
                var result = await SpeedTest.RunAsync(engine, p, n, Math.Max(1, parse.GetValue(repetitions)), ct);
                stdout.WriteLine(parse.GetValue(json)
                    ? ReasonJson.Serialize(result)
                    : string.Format(CultureInfo.InvariantCulture, "{0}: pp{1} {2:0.00} tokens/s, tg{3} {4:0.00} tokens/s ({5:0.00} wall clock), {6} threads",
                        result.Model, result.PromptTokens, result.PromptTokensPerSecond, result.GeneratedTokens, result.TokensPerSecond, result.WallClockTokensPerSecond, result.Threads));
                return ExitCodes.Success;
            }
            catch (Exception e)
            {
                return CliErrors.Report(e, stderr);
            }
        });
        return command;
    }

    /// <summary>One <c>tg N xC | aggregate tokens/s</c> line per sequence count C.</summary>
    private static async Task<int> BenchParallelAsync(TextWriter stdout, TextWriter stderr, string model, EngineOptions options, IReadOnlyList<int> counts, int n, int repetitions, bool json, CancellationToken ct)
    {
        var result = await ParallelSpeedTest.RunAsync(model, options, counts, n, repetitions, ct);
        if (json)
        {
            stdout.WriteLine(ReasonJson.Serialize(result));
            return ExitCodes.Success;
        }
        stdout.WriteLine($"{result.Model}, {result.Threads} threads, best of {result.Repetitions} rounds (sequences in one batch)");
        foreach (var speed in result.Counts)
            stdout.WriteLine(string.Format(CultureInfo.InvariantCulture, "tg{0} x{1} | {2:0.00} tokens/s ({3:0.00} per sequence)", n, speed.Count, speed.AggregateTokensPerSecond, speed.TokensPerSecondPerSequence));
        return ExitCodes.Success;
    }

    internal static IReadOnlyList<int> ParseCounts(string value)
    {
        var counts = new List<int>();
        foreach (var part in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count is < 1 or > ParallelSequences.Max)
                throw new ReasonFailure(FailureKind.BadInput, $"--parallel takes sequence counts from 1 to {ParallelSequences.Max} separated by commas, such as 1,4,8, not '{value}'.") { Setting = SettingNames.Parallel };
            counts.Add(count);
        }
        if (counts.Count == 0) throw new ReasonFailure(FailureKind.BadInput, "--parallel takes sequence counts such as 1,4,8.") { Setting = SettingNames.Parallel };
        return counts;
    }

    /// <summary>tg N plain and with the draft, in alternating rounds, as two <c>tg N | rate</c> lines and the acceptance.</summary>
    private static async Task<int> BenchDraftAsync(TextWriter stdout, TextWriter stderr, ReasonEngine engine, int n, int repetitions, bool json, CancellationToken ct)
    {
        if (engine.DraftModel is null)
        {
            stderr.WriteLine($"reason: no draft to measure with: {engine.DraftNote ?? "none was found"}.");
            return ExitCodes.ModelUnavailable;
        }
        var result = await DraftSpeedTest.RunAsync(engine, n, repetitions, ct);
        var c = CultureInfo.InvariantCulture;
        if (json) stdout.WriteLine(ReasonJson.Serialize(result));
        else
        {
            stdout.WriteLine($"{result.Model}, {result.Threads} threads, best of {result.Repetitions} rounds (wall clock)");
            stdout.WriteLine(string.Format(c, "tg{0} | {1:0.00} tokens/s", n, result.PlainTokensPerSecond));
            stdout.WriteLine(string.Format(c, "tg{0} | {1:0.00} tokens/s with draft {2} ({3:0.00}x plain)", n, result.DraftTokensPerSecond, result.Draft, result.Speedup));
            stdout.WriteLine(string.Format(c, "acceptance {0:0.0} % ({1} of {2} proposed tokens)", 100 * result.AcceptanceRate, result.AcceptedDraftTokens, result.DraftedTokens));
        }
        return ExitCodes.Success;
    }
}
