using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Native;
using ReasonTools.Testing;

namespace ReasonTools.Bench;

/// <summary>
/// Prompt (pp512) and generation (tg128) tokens/s of `reason bench` beside llama.cpp's own llama-bench on the same
/// real-shape Q4_K_M file, thread count and batch sizes, in the same run. Target: ratio ≥ 0.97 for both.
/// The two alternate round by round and the best round of each is compared, so a busy machine slows both alike.
/// </summary>
public sealed class InferenceBenchmark : IBenchmark
{
    public string Name => "inference";
    public string Description => "pp512/tg128 of ReasonEngine vs llama-bench on a real-shape Qwen-1.5B Q4_K_M (args: [7b] [--threads N] [--rounds N])";

    public Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var tag = args.Contains("7b") ? "7b" : "1.5b";
        var shape = tag == "7b" ? ModelShape.Qwen7B : ModelShape.Qwen1_5B;
        var threads = IntArg(args, "--threads") ?? Environment.ProcessorCount;
        var rounds = IntArg(args, "--rounds") ?? 5;
        var model = BenchModels.Q4KM(shape, tag);
        Console.WriteLine($"model: {model} ({new FileInfo(model).Length:N0} bytes), threads {threads}, rounds {rounds}");
        var llamaBench = LlamaBench.Path();

        var reference = new List<(double Pp, double Tg)>();
        var ours = new List<SpeedTestResult>();
        var inv = CultureInfo.InvariantCulture;
        for (var round = 1; round <= rounds; round++)
        {
            var r = LlamaBench.Run(llamaBench, model, threads, repetitions: 1);
            reference.Add(r);
            var o = ReasonBench(model, threads);
            ours.Add(o);
            if (o.PromptTokens != 512) Console.WriteLine($"note: round {round} had {o.PromptTokens} prompt tokens");
            Console.WriteLine(string.Format(inv, "round {0}: llama-bench pp512 {1,7:0.00} tg128 {2,6:0.00} | reason bench pp512 {3,7:0.00} tg128 {4,6:0.00} (wall clock {5,6:0.00})",
                round, r.Pp, r.Tg, o.PromptTokensPerSecond, o.TokensPerSecond, o.WallClockTokensPerSecond));
        }
        var (refPp, refTg) = (reference.Max(x => x.Pp), reference.Max(x => x.Tg));
        var (ourPp, ourTg, ourWall) = (ours.Max(x => x.PromptTokensPerSecond), ours.Max(x => x.TokensPerSecond), ours.Max(x => x.WallClockTokensPerSecond));
        Console.WriteLine(string.Format(inv, "best: llama-bench pp512 {0:0.00} tg128 {1:0.00} | reason bench pp512 {2:0.00} tg128 {3:0.00} (wall clock {4:0.00})", refPp, refTg, ourPp, ourTg, ourWall));
        Console.WriteLine(string.Format(inv, "ratio pp512 {0:0.000}   tg128 {1:0.000}   tg128 wall-clock {2:0.000}   (best rounds; target >= 0.97)", ourPp / refPp, ourTg / refTg, ourWall / refTg));
        Console.WriteLine(string.Format(inv, "ratio pp512 {0:0.000}   tg128 {1:0.000}   tg128 wall-clock {2:0.000}   (median rounds)",
            Median(ours.Select(x => x.PromptTokensPerSecond)) / Median(reference.Select(x => x.Pp)),
            Median(ours.Select(x => x.TokensPerSecond)) / Median(reference.Select(x => x.Tg)),
            Median(ours.Select(x => x.WallClockTokensPerSecond)) / Median(reference.Select(x => x.Tg))));
        return Task.FromResult(0);
    }

    /// <summary>One run of the real <c>reason bench</c> command (a warm-up and one measured repetition, like llama-bench -r 1).</summary>
    private static SpeedTestResult ReasonBench(string model, int threads)
    {
        var dll = System.IO.Path.Combine(AppContext.BaseDirectory, "reason.dll");
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" bench --model \"{model}\" --threads {threads} -p 512 -n 128 -r 1 --json") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var json = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"reason bench failed: {stderr.Result}");
        return JsonSerializer.Deserialize<SpeedTestResult>(json, ReasonTools.Core.ReasonJson.Options)!;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    internal static int? IntArg(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : null;
    }
}

/// <summary>llama.cpp's llama-bench, built from the bundled source against the same prebuilt libraries.</summary>
internal static class LlamaBench
{
    public static string Path()
    {
        var script = System.IO.Path.Combine(RepoRoot(), "build", "build-llama-bench.sh");
        var psi = new ProcessStartInfo("bash", $"\"{script}\" \"{LlamaNativeLibrary.CacheRoot}\" {LlamaNativeLibrary.PinnedNpmVersion}") { RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        var path = p.StandardOutput.ReadToEnd().Trim().Split('\n').Last();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException("building llama-bench failed");
        return path;
    }

    public static (double Pp, double Tg) Run(string exe, string model, int threads, int repetitions)
    {
        var psi = new ProcessStartInfo(exe, $"-m \"{model}\" -t {threads} -p 512 -n 128 -r {repetitions} -o json") { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var json = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"llama-bench failed: {stderr.Result}");
        double pp = 0, tg = 0;
        foreach (var test in JsonDocument.Parse(json).RootElement.EnumerateArray())
        {
            var avg = test.GetProperty("avg_ts").GetDouble();
            if (test.GetProperty("n_prompt").GetInt32() > 0) pp = avg; else tg = avg;
        }
        return (pp, tg);
    }

    private static string RepoRoot()
    {
        for (var dir = AppContext.BaseDirectory; dir is not null; dir = System.IO.Path.GetDirectoryName(dir))
            if (File.Exists(System.IO.Path.Combine(dir, "ReasonTools.sln"))) return dir;
        throw new InvalidOperationException("run the benchmark from inside the repository");
    }
}
