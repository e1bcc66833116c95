using System.Diagnostics;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;
using ReasonTools.Reports;

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
        Console.Write(TextReport.Render(last!.Report));
        Console.WriteLine();
        foreach (var query in new[] { "32b", "70b", "7b" })
            Console.WriteLine(HardwareText.Verdict(last.Assess(query)));

        // What the automatic choice picks on reference machines (no download list: the catalog).
        const long GiB = 1024L * 1024 * 1024;
        Console.WriteLine();
        Console.WriteLine("automatic choice on reference machines (context 4096, minimum 5 tokens/s):");
        foreach (var (label, machine) in new (string, MachineProfile)[]
        {
            ("this machine", last.Profile),
            ("CPU, 8 GB, 20 GB/s", MachineProfile.CpuOnly(8 * GiB, 20)),
            ("CPU, 64 GB, 80 GB/s", MachineProfile.CpuOnly(64 * GiB, 80)),
            ("24 GB GPU (1008 GB/s) + 32 GB", new MachineProfile(32 * GiB, 30 * GiB, 60, [new GpuBudget("RTX 4090", 23 * GiB, 24 * GiB, 1008)])),
            ("80 GB GPU (3350 GB/s) + 128 GB", new MachineProfile(128 * GiB, 120 * GiB, 100, [new GpuBudget("H100", 79 * GiB, 80 * GiB, 3350)])),
        })
        {
            var choice = ModelChooser.Choose([], machine);
            Console.WriteLine($"  {label,-32} " + (choice is null ? "nothing fits" :
                $"{choice.Candidate.Spec.Name} {choice.Candidate.Spec.Quantization}, {choice.Estimate.Placement.ToString().ToLowerInvariant()}" +
                $"{(choice.Estimate.Placement == Placement.Partial ? $" ({choice.Estimate.GpuLayers} layers)" : "")}, ≈ {ReportFormat.TokensPerSecond(choice.Estimate.EstimatedTokensPerSecond)}"));
        }
        return totals.Min() < 1000 ? 0 : 1;
    }
}
