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
        var counts = countsArg.Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
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
        Console.WriteLine("best rounds:");
        foreach (var c in counts)
            Console.WriteLine(string.Format(inv, "tg128 x{0} | {1:0.00} tokens/s   llama-batched-bench {2:0.00}   ratio {3:0.000} (target >= 0.9)", c, ours[c], reference[c], ours[c] / reference[c]));
        if (ours.ContainsKey(1) && ours.ContainsKey(counts.Max()))
            Console.WriteLine(string.Format(inv, "x{0} / x1: reason {1:0.00} (target >= 2.0), llama-batched-bench {2:0.00}", counts.Max(),
                ours[counts.Max()] / ours[1], reference[counts.Max()] / reference[1]));
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
        var speeds = new Dictionary<int, double>();
        // | PP | TG | B | N_KV | T_PP s | S_PP t/s | T_TG s | S_TG t/s | T s | S t/s |
        foreach (var line in (table + stderr.Result).Split('\n').Where(l => l.StartsWith('|')))
        {
            var cells = line.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (cells.Length >= 8 && int.TryParse(cells[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var b))
                speeds[b] = double.Parse(cells[7], CultureInfo.InvariantCulture);
        }
        return speeds;
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
