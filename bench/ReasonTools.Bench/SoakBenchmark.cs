using System.Diagnostics;
using System.Globalization;
using ReasonTools.Core.Hosting;
using ReasonTools.Core.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Bench;

/// <summary>
/// The seeds' stress test, shortened: several callers at once (5 by default) ask the resident 1.5B shape one question
/// after another for a given time, sharing one model whose engine batches them. Prints p50/p95 latency, errors (target
/// 0) and RSS at the start and the end (target: flat within 5 %).
/// </summary>
public sealed class SoakBenchmark : IBenchmark
{
    public string Name => "soak";
    public string Description => "concurrent callers on one resident model (args: [--callers 5] [--seconds 180] [--tokens 32] [--threads N])";

    public async Task<int> RunAsync(string[] args, CancellationToken ct)
    {
        var callers = InferenceBenchmark.IntArg(args, "--callers") ?? 5;
        var seconds = InferenceBenchmark.IntArg(args, "--seconds") ?? 180;
        var tokens = InferenceBenchmark.IntArg(args, "--tokens") ?? 32;
        var threads = InferenceBenchmark.IntArg(args, "--threads") ?? Environment.ProcessorCount;
        var model = SpeculativeBenchmark.Model(ModelShape.Qwen1_5B, "1.5b", 0);
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine($"model: {model}, {callers} callers, {seconds} s, {tokens} tokens a request, threads {threads}, load before: {ParallelBenchmark.LoadAverage()}");
        var options = new EngineOptions { ContextSize = 512, Threads = threads, GpuLayers = 0, Parallel = callers };
        using var lease = await ModelHost.Shared.OpenAsync(model, options, TimeSpan.Zero, cancellationToken: ct);
        // One request each first, so the start RSS includes the context and the KV cache.
        await Task.WhenAll(Enumerable.Range(0, callers).Select(i => lease.Engine.RunAsync(Request(i, tokens), ct)));
        var rssStart = Rss.Bytes();
        var latencies = new List<double>();
        var errors = 0;
        var until = Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);
        await Task.WhenAll(Enumerable.Range(0, callers).Select(caller => Task.Run(async () =>
        {
            for (var n = 0; Stopwatch.GetTimestamp() < until; n++)
            {
                var started = Stopwatch.GetTimestamp();
                try
                {
                    var result = await lease.Engine.RunAsync(Request(caller * 100_000 + n, tokens), ct);
                    if (result.Timings.GeneratedTokens != tokens) Interlocked.Increment(ref errors);
                    lock (latencies) latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Interlocked.Increment(ref errors);
                    Console.WriteLine($"caller {caller}: {e.Message}");
                }
            }
        }, ct)));
        var rssEnd = Rss.Bytes();
        latencies.Sort();
        double Percentile(double p) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(p * latencies.Count) - 1)];
        Console.WriteLine(string.Format(inv, "{0} requests in {1} s: latency p50 {2:0} ms, p95 {3:0} ms; errors {4}; RSS start {5}, end {6} ({7:+0.0;-0.0} %)",
            latencies.Count, seconds, Percentile(0.5), Percentile(0.95), errors, Rss.Mb(rssStart), Rss.Mb(rssEnd), 100.0 * (rssEnd - rssStart) / rssStart));
        Console.WriteLine($"load after: {ParallelBenchmark.LoadAverage()}");
        return errors == 0 ? 0 : 1;
    }

    private static ReasonRequest Request(int n, int tokens) =>
        new() { Prompt = $"Question {n}: count on.", MaxTokens = tokens, DetectLoops = false, Seed = (uint)n };
}
