using System.Globalization;
using ReasonTools.Core.Gguf;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Models;
using ReasonTools.Testing;

namespace ReasonTools.Bench;

/// <summary>
/// The fit estimator against reality: loads real-shape Q4_K_M models, measures resident memory after load and
/// after a 4096-token context is allocated and used, and generation tokens/s; prints estimate/measured ratios.
/// Targets: memory within ±10 %, tokens/s within ±30 %.
/// </summary>
public sealed class FitEstimateBenchmark : IBenchmark
{
    public string Name => "fit";
    public string Description => "estimate/measured memory and tokens/s for real-shape Q4_K_M models (args: [1.5b] [7b] [--threads N])";

    public async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var tags = args.Where(a => a is "1.5b" or "7b").DefaultIfEmpty("1.5b").ToList();
        var threads = InferenceBenchmark.IntArg(args, "--threads") ?? Environment.ProcessorCount;
        const int Context = 4096;
        var probe = await HardwareProbe.CollectDetailedAsync(new HardwareProbeOptions { ContextSize = Context }, ct);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"machine: {probe.Report.Cpu.Name}, {threads} threads, bandwidth {probe.Profile.CpuBandwidthGBps:0.0} GB/s"));
        var machine = probe.Profile with { Gpus = [] };

        foreach (var tag in tags)
        foreach (var mmap in new[] { true, false })
        {
            var path = BenchModels.Q4KM(tag == "7b" ? Testing.ModelShape.Qwen7B : Testing.ModelShape.Qwen1_5B, tag);
            var file = GgufReader.Read(path);
            var estimate = FitEstimator.Estimate(GgufModelSpec.From(file, tag), machine, new FitOptions { ContextSize = Context });

            GC.Collect();
            var baseline = ResidentBytes();
            using var engine = await ReasonEngine.LoadAsync(path, new EngineOptions { ContextSize = Context, Threads = threads, GpuLayers = 0, UseMmap = mmap }, cancellationToken: ct);
            var afterLoad = ResidentBytes() - baseline;
            // The first request allocates the context (KV cache, compute buffers) and touches every weight; a prompt
            // longer than one 512-token micro-batch uses the whole compute buffer.
            await engine.RunAsync(new ReasonRequest { Prompt = SpeedTest.PromptOfTokens(engine, 1100), MaxTokens = 48, DetectLoops = false, Seed = 1 }, ct);
            var afterContext = ResidentBytes() - baseline;
            var again = await engine.RunAsync(new ReasonRequest { Prompt = "Count to ten.", MaxTokens = 64, DetectLoops = false, Seed = 2 }, ct);

            var inv = CultureInfo.InvariantCulture;
            // With mmap the file's pages stay resident beside llama.cpp's repacked copy of the weights; the kernel can
            // drop those clean pages under pressure, so only the run without mmap shows what the model needs.
            Console.WriteLine($"\n{tag} Q4_K_M ({file.FileLength:N0} bytes), context {Context}, {(mmap ? "weights memory-mapped (llama.cpp's default)" : "weights read into memory (no mmap)")}");
            Console.WriteLine(string.Format(inv, "  estimate: weights {0}, KV cache {1}, compute {2}, overhead {3} = {4}",
                Gb(estimate.WeightsBytes), Gb(estimate.KvCacheBytes), Gb(estimate.ComputeBufferBytes), Gb(estimate.OverheadBytes), Gb(estimate.RequiredBytes)));
            var total = ResidentBytes();
            Console.WriteLine(string.Format(inv, "  process resident before load {0}, after load {1}, after the context is allocated and used {2} (anonymous {3}, file-backed {4})",
                Gb(baseline), Gb(baseline + afterLoad), Gb(total), Gb(Status("RssAnon:")), Gb(Status("RssFile:"))));
            Console.WriteLine(string.Format(inv, "  memory ratio estimate/measured: {0:0.000} against the whole process, {1:0.000} against what loading the model added (target 0.90-1.10)",
                (double)estimate.RequiredBytes / total, (double)estimate.RequiredBytes / afterContext));
            Console.WriteLine(string.Format(inv, "  tokens/s: estimated {0:0.0}, measured {1:0.0} -> ratio {2:0.000} (target 0.70-1.30)",
                estimate.EstimatedTokensPerSecond, again.Timings.TokensPerSecond, estimate.EstimatedTokensPerSecond / again.Timings.TokensPerSecond));
        }
        return 0;
    }

    private static string Gb(long bytes) => (bytes / 1e9).ToString("0.000", CultureInfo.InvariantCulture) + " GB";

    /// <summary>VmRSS of this process (Linux).</summary>
    private static long ResidentBytes() => Status("VmRSS:");

    /// <summary>A size field of /proc/self/status, in bytes.</summary>
    private static long Status(string field)
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
            if (line.StartsWith(field, StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        throw new PlatformNotSupportedException($"{field} is read from /proc/self/status (Linux).");
    }
}
