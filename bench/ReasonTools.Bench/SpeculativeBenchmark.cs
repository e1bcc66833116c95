using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using ReasonTools.Core.Inference.Speculative;
using ReasonTools.Core.Native;
using ReasonTools.Testing;

namespace ReasonTools.Bench;

/// <summary>
/// Speculative decoding on the scripted real-shape 7B/1.5B pair (Q4_0 layers): `reason bench --draft` with a draft
/// that always agrees, one that diverges every third token (about 67 % acceptance) and one that is always wrong.
/// Each round runs `reason bench` (tg N plain and with the draft, alternating) and llama.cpp's own llama-speculative
/// on the same pair, draft length, thread count and tg N, so a busy machine slows all three alike; the best round of
/// each is compared. Targets: ≥ 2.0×, ≥ 1.3× and ≥ 0.95× plain, and ≥ 0.9× llama-speculative.
/// Args: [-n N] [-r ROUNDS] [--threads N] [--draft-max K] [--diverge 0,3,1] (the drafts to run: 0 agrees, n diverges every n-th token).
/// </summary>
public sealed partial class SpeculativeBenchmark : IBenchmark
{
    public string Name => "speculative";
    public string Description => "reason bench --draft vs plain vs llama-speculative on the scripted 7B/1.5B real-shape pair at full, ~67 % and no agreement (args: [-n N] [-r ROUNDS] [--threads N] [--draft-max K] [--diverge 0,3,1])";

    public Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var n = InferenceBenchmark.IntArg(args, "-n") ?? 64;
        var rounds = InferenceBenchmark.IntArg(args, "-r") ?? 3;
        var threads = InferenceBenchmark.IntArg(args, "--threads") ?? Environment.ProcessorCount;
        var draftMax = InferenceBenchmark.IntArg(args, "--draft-max") ?? 8;
        var target = Model(ModelShape.Qwen7B, "7b", 0);
        var speculative = Path.Combine(Path.GetDirectoryName(LlamaBench.Path())!, "llama-speculative");
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"target {target}, threads {threads}, tg{n}, draft max {draftMax}, {rounds} rounds; load average {LoadAverage()}");
        var i = Array.IndexOf(args, "--diverge");
        var drafts = i >= 0 && i + 1 < args.Length ? args[i + 1].Split(',').Select(d => int.Parse(d, inv)).ToArray() : [0, 3, 1];
        foreach (var divergeEvery in drafts)
        {
            var label = divergeEvery switch { 0 => "full agreement", 1 => "always wrong", var d => $"diverging every {d}. token" };
            ct.ThrowIfCancellationRequested();
            var draft = Model(ModelShape.Qwen1_5B, "1.5b", divergeEvery);
            Console.WriteLine($"--- draft {label}: {draft}");
            var ours = new List<DraftSpeedTestResult>();
            var reference = new List<(double TokensPerSecond, double Acceptance)>();
            for (var round = 1; round <= rounds; round++)
            {
                var o = ReasonBench(target, draft, n, threads, draftMax);
                var r = LlamaSpeculative(speculative, target, draft, n, threads, draftMax);
                ours.Add(o);
                reference.Add(r);
                Console.WriteLine(string.Format(inv, "round {0}: plain {1,6:0.00} | draft {2,6:0.00} ({3:0.0} % kept) | llama-speculative {4,6:0.00} ({5:0.0} % kept) tokens/s; load {6}",
                    round, o.PlainTokensPerSecond, o.DraftTokensPerSecond, 100 * o.AcceptanceRate, r.TokensPerSecond, 100 * r.Acceptance, LoadAverage()));
            }
            var (plain, withDraft, llama) = (ours.Max(x => x.PlainTokensPerSecond), ours.Max(x => x.DraftTokensPerSecond), reference.Max(x => x.TokensPerSecond));
            Console.WriteLine(string.Format(inv, "tg{0} | {1:0.00} tokens/s plain", n, plain));
            Console.WriteLine(string.Format(inv, "tg{0} | {1:0.00} tokens/s with draft ({2:0.00}x plain, acceptance {3:0.0} %)", n, withDraft, withDraft / plain,
                100.0 * ours.Sum(x => x.AcceptedDraftTokens) / Math.Max(1, ours.Sum(x => x.DraftedTokens))));
            Console.WriteLine(string.Format(inv, "tg{0} | {1:0.00} tokens/s llama-speculative ({2:0.00}x plain, acceptance {3:0.0} %)", n, llama, llama / plain, 100 * reference.Average(x => x.Acceptance)));
            Console.WriteLine(string.Format(inv, "ratio draft/plain {0:0.000}   draft/llama-speculative {1:0.000}   (best rounds; targets: plain {2}, llama-speculative >= 0.9)",
                withDraft / plain, withDraft / llama, divergeEvery switch { 0 => ">= 2.0", 3 => ">= 1.3", 1 => ">= 0.95", _ => "none set" }));
            Console.WriteLine(string.Format(inv, "ratio draft/plain {0:0.000}   draft/llama-speculative {1:0.000}   (median rounds)",
                Median(ours.Select(x => x.Speedup)), Median(ours.Select(x => x.DraftTokensPerSecond)) / Median(reference.Select(x => x.TokensPerSecond))));
        }
        return Task.FromResult(0);
    }

    /// <summary>One `reason bench --draft --json` (a warm-up of each, then one round of plain and one with the draft).</summary>
    private static DraftSpeedTestResult ReasonBench(string target, string draft, int n, int threads, int draftMax)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "reason.dll");
        var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" bench --model \"{target}\" --draft \"{draft}\" --draft-max {draftMax} -n {n} -r 1 --threads {threads} --json")
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var json = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"reason bench --draft failed: {stderr.Result}");
        return JsonSerializer.Deserialize<DraftSpeedTestResult>(json, ReasonTools.Core.ReasonJson.Options)!;
    }

    /// <summary>
    /// llama.cpp's llama-speculative at temperature 0 on the same pair: its decode speed (from the first generated token
    /// to the last, drafting included, as ours is measured) and its acceptance.
    /// </summary>
    private static (double TokensPerSecond, double Acceptance) LlamaSpeculative(string exe, string target, string draft, int n, int threads, int draftMax)
    {
        var psi = new ProcessStartInfo(exe,
            $"-m \"{target}\" -md \"{draft}\" -p \"Count.\" -n {n} --spec-draft-n-max {draftMax} -t {threads} -td {threads} -c 512 --temp 0 --seed 1")
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var log = p.StandardError.ReadToEnd() + stdout.Result;
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException($"llama-speculative failed: {log[^Math.Min(log.Length, 2000)..]}");
        var speed = DecodedLine().Match(log);
        var accept = AcceptLine().Match(log);
        if (!speed.Success || !accept.Success) throw new InvalidOperationException($"llama-speculative printed no speed or acceptance: {log[^Math.Min(log.Length, 2000)..]}");
        return (double.Parse(speed.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(accept.Groups[1].Value, CultureInfo.InvariantCulture) / 100);
    }

    [GeneratedRegex(@"decoded\s+\d+ tokens in\s+[\d.]+ seconds, speed:\s+([\d.]+) t/s")]
    private static partial Regex DecodedLine();

    [GeneratedRegex(@"accept\s+=\s+([\d.]+)%")]
    private static partial Regex AcceptLine();

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    // The machine is shared: every figure is printed with the load it was measured under.
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>The scripted file of a shape, written once into the bench model folder.</summary>
    internal static string Model(ModelShape shape, string tag, int divergeEvery)
    {
        Directory.CreateDirectory(BenchModels.Folder);
        var path = Path.Combine(BenchModels.Folder, $"qwen2-{tag}-shape-scripted{(divergeEvery > 0 ? $"-diverge{divergeEvery}" : "")}-Q4_0.gguf");
        if (File.Exists(path)) return path;
        Console.WriteLine($"writing {path} ...");
        ScriptedRealShapeModels.Write(path + ".tmp", shape, divergeEvery);
        File.Move(path + ".tmp", path);
        return path;
    }
}
