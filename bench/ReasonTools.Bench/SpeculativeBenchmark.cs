using System.Diagnostics;
using ReasonTools.Core.Native;
using ReasonTools.Testing;

namespace ReasonTools.Bench;

/// <summary>
/// Speculative decoding on the scripted real-shape 7B/1.5B pair (Q4_0 layers): `reason bench --draft` with a draft
/// that always agrees, one that diverges every third token (about 67 % acceptance) and one that is always wrong,
/// each printing tg N plain and with the draft measured in the same alternating rounds. Targets: ≥ 2.0×, ≥ 1.3× and
/// ≥ 0.95× plain. Args: [-n N] [-r R] [--threads N] [--draft-max K].
/// </summary>
public sealed class SpeculativeBenchmark : IBenchmark
{
    public string Name => "speculative";
    public string Description => "reason bench --draft on the scripted 7B/1.5B real-shape pair at full, ~67 % and no agreement (args: [-n N] [-r R] [--threads N] [--draft-max K])";

    public Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var n = InferenceBenchmark.IntArg(args, "-n") ?? 64;
        var rounds = InferenceBenchmark.IntArg(args, "-r") ?? 1;
        var threads = InferenceBenchmark.IntArg(args, "--threads") ?? Environment.ProcessorCount;
        var draftMax = InferenceBenchmark.IntArg(args, "--draft-max") ?? 8;
        var target = Model(ModelShape.Qwen7B, "7b", 0);
        foreach (var (label, divergeEvery) in new[] { ("full agreement", 0), ("diverging every 3rd token", 3), ("always wrong", 1) })
        {
            var draft = Model(ModelShape.Qwen1_5B, "1.5b", divergeEvery);
            Console.WriteLine($"--- draft {label}");
            var dll = Path.Combine(AppContext.BaseDirectory, "reason.dll");
            var psi = new ProcessStartInfo("dotnet", $"\"{dll}\" bench --model \"{target}\" --draft \"{draft}\" --draft-max {draftMax} -n {n} -r {rounds} --threads {threads}");
            using var p = Process.Start(psi)!;
            p.WaitForExit();
            if (p.ExitCode != 0) return Task.FromResult(p.ExitCode);
        }
        return Task.FromResult(0);
    }

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
