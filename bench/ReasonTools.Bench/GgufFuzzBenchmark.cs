using System.Diagnostics;
using System.Text.RegularExpressions;
using ReasonTools.Core.Gguf;
using ReasonTools.Testing;

namespace ReasonTools.Bench;

/// <summary>
/// Fuzzes the GGUF reader with mutated valid files (fixed seed) and reports throughput, outcomes by problem class and
/// the largest allocation per case; then times reading the header of a real-shape 7B file.
/// Usage: gguf-fuzz [cases=100000] [seed=1]
/// </summary>
public sealed partial class GgufFuzzBenchmark : IBenchmark
{
    public string Name => "gguf-fuzz";

    public string Description => "GGUF reader under >=100k mutated files: cases/s, outcomes, max allocation; 7B header read time";

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var cases = args.Length > 0 ? int.Parse(args[0]) : 100_000;
        var seed = args.Length > 1 ? int.Parse(args[1]) : 1;

        var seeds = new List<(string Name, byte[] Bytes)>();
        foreach (var kind in new[] { ScriptKind.SplitUtf8, ScriptKind.ClosedChain })
            seeds.Add(($"synthetic {kind}", File.ReadAllBytes(SyntheticModels.GetFile(kind))));
        seeds.Add(("all value types", AllTypes()));

        var mutator = new GgufMutator(seed);
        var outcomes = new Dictionary<string, int>();
        long maxAllocated = 0, maxAllocatedInput = 0;
        var maxAllocatedOutcome = "";
        double maxRatio = 0;
        var unexpected = 0;
        long readTicks = 0;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < cases && !cancellationToken.IsCancellationRequested; i++)
        {
            var input = mutator.Mutate(seeds[i % seeds.Count].Bytes);
            var before = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            string outcome;
            try
            {
                GgufReader.Read(new MemoryStream(input, writable: false), input.Length);
                outcome = "accepted";
            }
            catch (GgufFormatException ex)
            {
                outcome = "rejected: " + Classify(ex.Problem);
            }
            catch (Exception ex)
            {
                unexpected++;
                outcome = $"UNEXPECTED {ex.GetType().Name}";
            }
            readTicks += Stopwatch.GetTimestamp() - started;
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated > maxAllocated) (maxAllocated, maxAllocatedInput, maxAllocatedOutcome) = (allocated, input.Length, outcome);
            if (input.Length >= 4096) maxRatio = Math.Max(maxRatio, (double)allocated / input.Length);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        sw.Stop();
        var total = outcomes.Values.Sum();

        Console.WriteLine($"gguf-fuzz: {total:N0} cases in {sw.Elapsed.TotalSeconds:F2} s = {total / sw.Elapsed.TotalSeconds:N0} cases/s (seed {seed}; inputs {string.Join(", ", seeds.Select(s => $"{s.Name} {s.Bytes.Length:N0} B"))})");
        var readSeconds = (double)readTicks / Stopwatch.Frequency;
        Console.WriteLine($"reader alone: {readSeconds:F2} s = {total / readSeconds:N0} cases/s (the rest is mutating 1.3 MB copies)");
        Console.WriteLine($"max allocation per case: {maxAllocated:N0} B (input {maxAllocatedInput:N0} B, {maxAllocatedOutcome}); max allocation/input ratio for inputs >= 4 KiB {maxRatio:F2} (test bound: 32x + 64 KiB)");
        Console.WriteLine($"unexpected exceptions: {unexpected}");
        foreach (var (outcome, n) in outcomes.OrderByDescending(o => o.Value))
            Console.WriteLine($"  {n,8:N0}  {100.0 * n / total,6:F2}%  {outcome}");

        var path = Path.Combine(Path.GetTempPath(), $"reasontools-bench-7b-{Environment.ProcessId}.gguf");
        try
        {
            RealShapeModels.WriteSparse(path, ModelShape.Qwen7B);
            for (var i = 0; i < 3; i++) GgufReader.Read(path);
            var times = new List<double>();
            for (var i = 0; i < 10; i++)
            {
                var read = Stopwatch.StartNew();
                GgufReader.Read(path);
                times.Add(read.Elapsed.TotalMilliseconds);
            }
            var length = new FileInfo(path).Length;
            Console.WriteLine($"header read of a {length / 1e9:F1} GB 7B-shaped file (152k tokens, 339 tensors): min {times.Min():F1} ms, median {times.Order().ElementAt(times.Count / 2):F1} ms");
        }
        finally { File.Delete(path); }
        return Task.FromResult(unexpected == 0 ? 0 : 1);
    }

    private static byte[] AllTypes()
    {
        var w = new GgufWriter()
            .Add("general.architecture", "qwen2").Add("u8", (byte)1).Add("i8", (sbyte)-1).Add("u16", (ushort)2)
            .Add("i16", (short)-2).Add("u32", 3u).Add("i32", -3).Add("f32", 1f).Add("b", true).Add("s", "text")
            .Add("u64", 4UL).Add("i64", -4L).Add("f64", 2.0).Add("as", new[] { "a", "bc", "" }).Add("ai", new[] { 1, 2, 3 })
            .Add("af", new[] { 1f, 2f });
        w.AddTensor("a", GgmlType.F32, [8, 2], TensorFills.Zeros);
        w.AddTensor("q", GgmlType.Q8_0, [64], TensorFills.Zeros);
        var ms = new MemoryStream();
        w.WriteTo(ms);
        return ms.ToArray();
    }

    // Groups problems by their wording: numbers and quoted names removed.
    private static string Classify(string problem) => Spaces().Replace(Numbers().Replace(Quoted().Replace(problem, "'…'"), "N"), " ");

    [GeneratedRegex("'[^']*'")]
    private static partial Regex Quoted();

    [GeneratedRegex(@"-?\d+(\.\d+)?")]
    private static partial Regex Numbers();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
