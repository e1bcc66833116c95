using System.Diagnostics;
using System.Globalization;
using ReasonTools.Core.Hosting;
using ReasonTools.Core.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Bench;

/// <summary>
/// The model host on the real-shape 1.5B: time to first token of a first run (which loads the model) and of a second
/// one on the resident model (target ≤ 0.2 × the first), and the process's RSS before loading, while resident and after
/// unloading (it should drop back).
/// </summary>
public sealed class ResidentBenchmark : IBenchmark
{
    public string Name => "resident";
    public string Description => "time to first token, first run vs on the resident model, and RSS after unloading (args: [--threads N])";

    public async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var threads = InferenceBenchmark.IntArg(args, "--threads") ?? Environment.ProcessorCount;
        var model = SpeculativeBenchmark.Model(ModelShape.Qwen1_5B, "1.5b", 0);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"model: {model}, threads {threads}, load before: {ParallelBenchmark.LoadAverage()}");
        var before = Rss.Bytes();
        var first = await TimeToFirstTokenAsync(model, threads, ct);
        var resident = Rss.Bytes();
        var second = await TimeToFirstTokenAsync(model, threads, ct);
        Console.WriteLine(string.Format(inv, "time to first token: first run {0:0} ms (load {1:0} ms), on the resident model {2:0} ms; ratio {3:0.000} (target <= 0.2)",
            first.Ttft, first.LoadMs, second.Ttft, second.Ttft / first.Ttft));
        ModelHost.Shared.Unload();
        await Task.Delay(500, ct);
        var after = Rss.Bytes();
        Console.WriteLine(string.Format(inv, "RSS: before loading {0}, resident {1}, after unloading {2} ({3:0.0} % of the resident growth freed)",
            Rss.Mb(before), Rss.Mb(resident), Rss.Mb(after), 100.0 * (resident - after) / Math.Max(1, resident - before)));
        Console.WriteLine($"load after: {ParallelBenchmark.LoadAverage()}");
        return 0;
    }

    /// <summary>From the call to the first generated token, through the same service Invoke-Reason and reason run use.</summary>
    private static async Task<(double Ttft, double LoadMs)> TimeToFirstTokenAsync(string model, int threads, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        double? ttft = null;
        var result = await ReasonService.RunAsync(new ReasonInvocation
        {
            Model = model, Question = "Count.", KeepAlive = TimeSpan.FromMinutes(5),
            Engine = new EngineOptions { ContextSize = 512, Threads = threads, GpuLayers = 0 },
            Sampling = new ReasonRequest { MaxTokens = 4, DetectLoops = false, Seed = 1 },
        }, u => { if (u.Kind == ReasonUpdateKind.Token) ttft ??= Stopwatch.GetElapsedTime(started).TotalMilliseconds; }, ct);
        return (ttft ?? double.NaN, result.Timings.LoadMs ?? 0);
    }
}

/// <summary>Resident set size of this process (Linux).</summary>
internal static class Rss
{
    public static long Bytes()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    public static string Mb(long bytes) => (bytes / 1048576.0).ToString("0 MB", CultureInfo.InvariantCulture);
}
