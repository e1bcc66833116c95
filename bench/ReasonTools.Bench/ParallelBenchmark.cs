using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ReasonTools.Core.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Bench;

/// <summary>
/// tg128 with 1, 4 and 8 sequences in one batch: <c>reason bench --parallel</c> beside llama.cpp's own llama-batched-bench
/// (S_TG, unified KV cache) on the same real-shape 1.5B file and thread count, alternating round by round, best round of
/// each. Targets: x8 ≥ 2.0 × x1, and each count ≥ 0.9 × llama-batched-bench.
/// </summary>
public sealed class ParallelBenchmark : IBenchmark
{
    public string Name => "parallel";
    public string Description => "tg128 x1/x4/x8 of reason bench --parallel vs llama-batched-bench on the scripted 1.5B shape (args: [--threads N] [--rounds N] [--counts 1,4,8])";

    public Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var threads = InferenceBenchmark.IntArg(args, "--threads") ?? Environment.ProcessorCount;
        var rounds = InferenceBenchmark.IntArg(args, "--rounds") ?? 2;
        var countsArg = Array.IndexOf(args, "--counts") is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : "1,4,8";
        var counts = ParallelBenchmarkReport.ParseCounts(countsArg);
        // The scripted file never emits end-of-generation, so every sequence generates all 128 tokens in both tools.
        var model = SpeculativeBenchmark.Model(ModelShape.Qwen1_5B, "1.5b", 0);
        var batched = Path.Combine(Path.GetDirectoryName(LlamaBench.Path())!, "llama-batched-bench");
        Console.WriteLine($"model: {model}, threads {threads}, rounds {rounds}, counts {countsArg}, load before: {LoadAverage()}");
        var inv = CultureInfo.InvariantCulture;
        var reference = counts.ToDictionary(c => c, _ => 0.0);
        var ours = counts.ToDictionary(c => c, _ => 0.0);
        for (var round = 1; round <= rounds; round++)
        {
            var r = RunBatchedBench(batched, model, threads, counts);
            var o = RunReasonBench(model, threads, countsArg);
            foreach (var c in counts)
            {
                reference[c] = Math.Max(reference[c], r[c]);
                ours[c] = Math.Max(ours[c], o[c]);
                Console.WriteLine(string.Format(inv, "round {0}: tg128 x{1} | llama-batched-bench {2,7:0.00} | reason {3,7:0.00} tokens/s", round, c, r[c], o[c]));
            }
        }
        foreach (var line in ParallelBenchmarkReport.Summary(counts, ours, reference)) Console.WriteLine(line);
        Console.WriteLine($"load after: {LoadAverage()}");
        return Task.FromResult(0);
    }

    /// <summary>S_TG per batch count from llama-batched-bench's table (prompt of 8 tokens per sequence, 128 generated).</summary>
    private static Dictionary<int, double> RunBatchedBench(string exe, string model, int threads, int[] counts)
    {
        var context = counts.Max() * (8 + 128) + 64;
        var psi = new ProcessStartInfo(exe, $"-m \"{model}\" -t {threads} -c {context} -b 2048 -ub 512 -npp 8 -ntg 128 -npl {string.Join(',', counts)} -kvu")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var table = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"llama-batched-bench failed: {stderr.Result}");
        return ParallelBenchmarkReport.ParseBatchedBench(table + stderr.Result);
    }

    private static Dictionary<int, double> RunReasonBench(string model, int threads, string counts)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "reason.dll");
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" bench --model \"{model}\" --threads {threads} -n 128 -r 1 --parallel {counts} --json")
        {
            RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var json = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"reason bench failed: {stderr.Result}");
        var result = JsonSerializer.Deserialize<ParallelSpeedTestResult>(json, ReasonTools.Core.ReasonJson.Options)!;
        return result.Counts.ToDictionary(s => s.Count, s => s.AggregateTokensPerSecond);
    }

    internal static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";
}

/// <summary>The pure parts of the parallel benchmark: its arguments, llama-batched-bench's table, the summary lines.</summary>
internal static class ParallelBenchmarkReport
{
    /// <summary>Sequence counts such as <c>1,4,8</c>, each from 1 to the most one context decodes together.</summary>
    public static int[] ParseCounts(string text)
    {
        var counts = new List<int>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.Integer, CultureInfo.InvariantCulture, out var count) || count is < 1 or > ParallelSequences.Max)
                throw new ArgumentException($"--counts takes sequence counts from 1 to {ParallelSequences.Max} separated by commas, such as 1,4,8, not '{text}'.");
            counts.Add(count);
        }
        return counts.Count > 0 ? [.. counts] : throw new ArgumentException("--counts takes sequence counts such as 1,4,8.");
    }

    /// <summary>S_TG (tokens/s) per batch count B from llama-batched-bench's markdown table.</summary>
    public static Dictionary<int, double> ParseBatchedBench(string output)
    {
        var speeds = new Dictionary<int, double>();
        // | PP | TG | B | N_KV | T_PP s | S_PP t/s | T_TG s | S_TG t/s | T s | S t/s |
        foreach (var line in output.Split('\n').Where(l => l.StartsWith('|')))
        {
            var cells = line.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (cells.Length >= 8 && int.TryParse(cells[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var b))
                speeds[b] = double.Parse(cells[7], CultureInfo.InvariantCulture);
        }
        return speeds;
    }

    /// <summary>One line per count with its ratio to llama-batched-bench, then the largest count's gain over one sequence.</summary>
    public static IEnumerable<string> Summary(int[] counts, IReadOnlyDictionary<int, double> ours, IReadOnlyDictionary<int, double> reference)
    {
        var inv = CultureInfo.InvariantCulture;
        yield return "best rounds:";
        foreach (var c in counts)
            yield return string.Format(inv, "tg128 x{0} | {1:0.00} tokens/s   llama-batched-bench {2:0.00}   ratio {3:0.000} (target >= 0.9)", c, ours[c], reference[c], ours[c] / reference[c]);
        var most = counts.Max();
        if (ours.ContainsKey(1) && most > 1)
            yield return string.Format(inv, "x{0} / x1: reason {1:0.00} (target >= 2.0), llama-batched-bench {2:0.00}", most, ours[most] / ours[1], reference[most] / reference[1]);
    }
}
