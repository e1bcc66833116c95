using System.Diagnostics;
using ReasonTools.Core.Hardware;

namespace ReasonTools.Bench;

/// <summary>Times every hardware probe and the whole report (target: under 1 s together), then prints the report.</summary>
public sealed class HardwareProbeBenchmark : IBenchmark
{
    public string Name => "hardware-probe";
    public string Description => "time of each hardware probe and the total; prints the report (args: [runs] [model folder])";

    public async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        int runs = args.Length > 0 && int.TryParse(args[0], out var n) ? Math.Max(1, n) : 3;
        var options = new HardwareProbeOptions { ModelDirectory = args.Length > 1 ? args[1] : Path.GetTempPath() };
        HardwareProbeResult? last = null;
        var totals = new List<double>();
        for (int run = 1; run <= runs; run++)
        {
            long start = Stopwatch.GetTimestamp();
            last = await HardwareProbe.CollectDetailedAsync(options, cancellationToken);
            var total = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            totals.Add(total);
            Console.WriteLine($"run {run}: " + string.Join("  ", last.Timings.Select(t => $"{t.Probe} {t.Elapsed.TotalMilliseconds:0.0} ms")) +
                              $"  | total {total:0.0} ms  | bandwidth {last.Bandwidth?.GBps:0.0} GB/s ({last.Bandwidth?.Threads} threads, {last.Bandwidth?.BufferBytes / (1024 * 1024)} MiB)");
        }
        Console.WriteLine($"total: best {totals.Min():0.0} ms, median {totals.Order().ElementAt(totals.Count / 2):0.0} ms, target < 1000 ms");
        Console.WriteLine();
        Console.Write(HardwareTextRenderer.Render(last!.Report));
        Console.WriteLine();
        foreach (var query in new[] { "32b", "70b", "7b" })
            Console.WriteLine(HardwareTextRenderer.RenderAnswer(last.Assess(query)));
        return totals.Min() < 1000 ? 0 : 1;
    }
}
