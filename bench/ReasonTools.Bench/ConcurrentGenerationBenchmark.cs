using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ReasonTools.Core.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Bench;

/// <summary>
/// Two `reason bench` processes at once against one alone, on the real-shape Qwen-1.5B Q4_K_M: the generation
/// tokens/s of both together as a ratio of one alone's (target ≥ 0.8, with the cores shared between them), beside
/// with --every-core, two at once that each take every core (--threads = cores, what every process did before they
/// coordinated; slow on a small machine).
/// The three alternate round by round, so a busy machine slows each alike.
/// </summary>
public sealed class ConcurrentGenerationBenchmark : IBenchmark
{
    public string Name => "concurrent";
    public string Description => "tokens/s of two reason processes at once vs one alone, real-shape Qwen-1.5B Q4_K_M (args: [--rounds N] [--tokens N] [--model PATH] [--every-core])";

    public async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var rounds = InferenceBenchmark.IntArg(args, "--rounds") ?? 3;
        var everyCore = args.Contains("--every-core");
        var tokens = InferenceBenchmark.IntArg(args, "--tokens") ?? 128;
        var at = Array.IndexOf(args, "--model");
        var model = at >= 0 && at + 1 < args.Length ? args[at + 1] : BenchModels.Q4KM(ModelShape.Qwen1_5B, "1.5b");
        var cores = Environment.ProcessorCount;
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"model: {model}, {cores} logical cores, tg{tokens}, {rounds} rounds");
        var alone = new List<double>();
        var shared = new List<double>();
        var unshared = new List<double>();
        for (var round = 1; round <= rounds && !ct.IsCancellationRequested; round++)
        {
            var one = (await Together(model, tokens, 1, null, ct))[0];
            var two = await Together(model, tokens, 2, null, ct);
            var oversubscribed = everyCore ? await Together(model, tokens, 2, cores, ct) : [];
            // A random-weight model may sample its end token first (0 tokens/s): such a round measures nothing.
            if (one.TokensPerSecond <= 0 || two.Concat(oversubscribed).Any(r => r.TokensPerSecond <= 0))
            {
                Console.WriteLine($"round {round}: a run ended at its first token (0 tokens/s); not counted | load {LoadAverage()}");
                continue;
            }
            alone.Add(one.TokensPerSecond);
            shared.Add(two.Sum(r => r.TokensPerSecond));
            if (everyCore) unshared.Add(oversubscribed.Sum(r => r.TokensPerSecond));
            var everyCoreText = everyCore
                ? string.Format(inv, " | two with every core {0:0.00} + {1:0.00} = {2:0.00}", oversubscribed[0].TokensPerSecond, oversubscribed[1].TokensPerSecond, unshared[^1])
                : "";
            Console.WriteLine(string.Format(inv,
                "round {0}: alone {1:0.00} tokens/s ({2} threads) | two sharing {3:0.00} + {4:0.00} = {5:0.00} ({6}+{7} threads){8} | load {9}",
                round, one.TokensPerSecond, one.Threads, two[0].TokensPerSecond, two[1].TokensPerSecond, shared[^1], two[0].Threads, two[1].Threads,
                everyCoreText, LoadAverage()));
        }
        if (alone.Count == 0) return 1;
        Console.WriteLine(string.Format(inv, "ratio two sharing / alone {0:0.000} (median rounds; target >= 0.8), best rounds {1:0.000}",
            Median(shared) / Median(alone), shared.Max() / alone.Max()));
        if (everyCore)
            Console.WriteLine(string.Format(inv, "ratio two with every core / alone {0:0.000} (median rounds), best rounds {1:0.000}",
                Median(unshared) / Median(alone), unshared.Max() / alone.Max()));
        return 0;
    }

    /// <summary>Starts <paramref name="count"/> `reason bench` processes at the same moment and waits for all of them.</summary>
    private static async Task<SpeedTestResult[]> Together(string model, int tokens, int count, int? threads, CancellationToken ct)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "reason.dll");
        var threadArg = threads is { } t ? $" --threads {t}" : "";
        var runs = Enumerable.Range(0, count).Select(_ => Task.Run(async () =>
        {
            var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" bench --model \"{model}\" -p 16 -n {tokens} -r 1 --json{threadArg}")
                { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var stderr = p.StandardError.ReadToEndAsync(ct);
            var json = await p.StandardOutput.ReadToEndAsync(ct);
            await p.WaitForExitAsync(ct);
            if (p.ExitCode != 0) throw new InvalidOperationException($"reason bench failed: {await stderr}");
            return JsonSerializer.Deserialize<SpeedTestResult>(json, ReasonTools.Core.ReasonJson.Options)!;
        }, ct)).ToArray();
        return await Task.WhenAll(runs);
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
