using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Native;
using ReasonTools.Testing;

namespace ReasonTools.Bench;

/// <summary>
/// Prompt (pp512) and generation (tg128) tokens/s of our engine beside llama.cpp's own llama-bench on the same
/// real-shape Q4_K_M file, thread count and batch sizes, in the same run. Target: ratio ≥ 0.97 for both.
/// </summary>
public sealed class InferenceBenchmark : IBenchmark
{
    public string Name => "inference";
    public string Description => "pp512/tg128 of ReasonEngine vs llama-bench on a real-shape Qwen-1.5B Q4_K_M (args: [7b] [--threads N] [--reps N])";

    public async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var tag = args.Contains("7b") ? "7b" : "1.5b";
        var shape = tag == "7b" ? ModelShape.Qwen7B : ModelShape.Qwen1_5B;
        var threads = IntArg(args, "--threads") ?? Environment.ProcessorCount;
        var reps = IntArg(args, "--reps") ?? 3;
        var model = BenchModels.Q4KM(shape, tag);
        Console.WriteLine($"model: {model} ({new FileInfo(model).Length:N0} bytes), threads {threads}, repetitions {reps}");

        var llamaBench = LlamaBench.Path();
        var reference = LlamaBench.Run(llamaBench, model, threads, reps);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"llama-bench:  pp512 {reference.Pp:0.00} t/s   tg128 {reference.Tg:0.00} t/s"));

        using var engine = await ReasonEngine.LoadAsync(model, new EngineOptions { ContextSize = 1024, Threads = threads }, cancellationToken: ct);
        var prompt = PromptOfTokens(engine, 512);
        var pp = new List<double>();
        var tg = new List<double>();
        var tgWall = new List<double>();
        for (var i = 0; i < reps + 1; i++)
        {
            ReasonResult? result = null;
            await foreach (var u in engine.StreamAsync(new ReasonRequest { Prompt = prompt, MaxTokens = 128, DetectLoops = false, ForceThinking = false, Seed = 1 }, ct))
            {
                if (u.Kind == ReasonUpdateKind.Completed) result = u.Result;
            }
            if (i == 0) continue; // warm-up, as llama-bench does
            var t = result!.Timings;
            pp.Add(t.PromptTokensPerSecond ?? 0);
            tg.Add(t.TokensPerSecond);
            // Wall clock from the first token to the end: includes sampling, detokenizing and streaming.
            tgWall.Add((t.GeneratedTokens - 1) * 1000.0 / (t.TotalMs - t.TimeToFirstTokenMs!.Value));
            if (t.PromptTokens != 512 || t.GeneratedTokens != 128)
                Console.WriteLine($"note: run {i} had {t.PromptTokens} prompt and {t.GeneratedTokens} generated tokens");
        }
        var ours = (Pp: pp.Average(), Tg: tg.Average(), TgWall: tgWall.Average());
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ReasonTools:  pp512 {ours.Pp:0.00} t/s   tg128 {ours.Tg:0.00} t/s (perf counters), {ours.TgWall:0.00} t/s (wall clock incl. sampling and streaming)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio pp512 {ours.Pp / reference.Pp:0.000}   tg128 {ours.Tg / reference.Tg:0.000}   tg128 wall {ours.TgWall / reference.Tg:0.000}   (target >= 0.97)"));
        return 0;
    }

    /// <summary>A prompt that formats to exactly <paramref name="count"/> tokens with the chat template.</summary>
    private static string PromptOfTokens(ReasonEngine engine, int count)
    {
        var words = new System.Text.StringBuilder();
        var rng = new Random(7);
        while (true)
        {
            var n = engine.CountTokens(engine.FormatPrompt(new ReasonRequest { Prompt = words.ToString(), ForceThinking = false })) + 1; // +1: BOS
            if (n >= count) return words.ToString();
            words.Append((char)('a' + rng.Next(26)));
        }
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

    public static (double Pp, double Tg) Run(string exe, string model, int threads, int reps)
    {
        var psi = new ProcessStartInfo(exe, $"-m \"{model}\" -t {threads} -p 512 -n 128 -r {reps} -o json") { RedirectStandardOutput = true, RedirectStandardError = true };
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
