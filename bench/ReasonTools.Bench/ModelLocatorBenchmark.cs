using System.Diagnostics;
using System.Globalization;
using ReasonTools.Core.Models;
using ReasonTools.Testing;
using ModelShape = ReasonTools.Testing.ModelShape;

namespace ReasonTools.Bench;

/// <summary>
/// Time to find and describe models: a fake home with N full-size sparse GGUFs (real 1.5B/7B metadata, 150k-token
/// vocabularies) spread over the configured folder, Hugging Face cache and LM Studio, then Locate and Resolve("7b").
/// Every name lookup (<c>reason run --model 7b</c>) pays one Locate. Usage: models-locate [--models N] [--runs K]
/// </summary>
public sealed class ModelLocatorBenchmark : IBenchmark
{
    public string Name => "models-locate";
    public string Description => "model locator: ms to find and read N real-shape GGUF headers, and to resolve a size to a file";

    public Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        int count = 12, runs = 5; // runs ≥ 2: the first locate reads headers, later ones hit the cache
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--models" when i + 1 < args.Length: count = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs" when i + 1 < args.Length: runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                default: Console.Error.WriteLine($"unknown argument {args[i]}; usage: models-locate [--models N] [--runs K]"); return Task.FromResult(1);
            }
        }

        var home = Path.Combine(Path.GetTempPath(), "reasontools-locatebench-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        try
        {
            var configured = Path.Combine(home, "gguf");
            string[] folders = [configured, Path.Combine(home, ".lmstudio", "models", "bench", "models"), Path.Combine(home, ".local", "share", "reasontools", "models")];
            for (var i = 0; i < count; i++)
            {
                var folder = folders[i % folders.Length];
                Directory.CreateDirectory(folder);
                var shape = i == 0 ? ModelShape.Qwen7B : ModelShape.Qwen1_5B;
                RealShapeModels.WriteSparse(Path.Combine(folder, $"model-{i:00}.gguf"), shape);
            }
            var environment = ModelEnvironment.Create(home, new Dictionary<string, string> { ["REASONTOOLS_MODELS"] = configured });

            var locate = new List<double>();
            var resolve = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var clock = Stopwatch.StartNew();
                var found = ModelLocator.Locate(environment, cancellationToken);
                locate.Add(clock.Elapsed.TotalMilliseconds);
                if (found.Models.Count != count) throw new InvalidOperationException($"found {found.Models.Count} of {count} models: {string.Join("; ", found.Warnings)}");
                clock.Restart();
                ModelResolver.ResolveLocal("7b", environment);
                resolve.Add(clock.Elapsed.TotalMilliseconds);
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"locate {count} models, first in this process: {locate[0]:0} ms ({locate[0] / count:0.0} ms per model, headers read)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"locate again (unchanged files, descriptions cached): median {Median(locate.Skip(1).ToList()):0.0} ms; resolve \"7b\": median {Median(resolve):0.0} ms"));
            return Task.FromResult(0);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
