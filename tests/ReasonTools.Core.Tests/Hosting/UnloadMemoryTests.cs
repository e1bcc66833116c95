using System.Globalization;
using ReasonTools.Core.Hosting;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Tests.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Hosting;

/// <summary>Unloading a resident model gives its memory back to the system, not only to the host's books.</summary>
[Collection(EngineCollection.Name)]
public sealed class UnloadMemoryTests
{
    // About 350 MB of F16 weights: far above what the rest of the process allocates or frees meanwhile.
    private static readonly ModelShape Shape = new("unload-rss (synthetic weights)", 4, 1024, 8, 2, 8192, 32000, 4096, 10000f);

    [Fact]
    public async Task Unloading_a_resident_model_drops_the_process_resident_memory_back_to_before_it_was_loaded()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reasontools-unload-rss-{Guid.NewGuid():N}.gguf");
        RealShapeModels.WriteSparse(path, Shape);
        try
        {
            // Read into memory rather than mapped, so the weights are the process's own pages whatever the page cache holds.
            var options = new EngineOptions { ContextSize = 256, Threads = 1, GpuLayers = 0, UseMmap = false, Draft = Core.Inference.Speculative.DraftChoice.None };
            using var host = new ModelHost(new ModelHostOptions { DefaultKeepAlive = Timeout.InfiniteTimeSpan });
            var before = ResidentBytes();
            long weights;
            using (var lease = await host.OpenAsync(path, options)) weights = lease.Engine.WeightBytes;
            var loaded = ResidentBytes();
            Assert.Single(host.Resident());
            host.Unload();
            var after = ResidentBytes();

            Assert.True(weights > 300_000_000, $"weights: {weights:N0} bytes");
            Assert.True(loaded - before > weights * 8 / 10, $"RSS before {before:N0}, loaded {loaded:N0}, weights {weights:N0}");
            Assert.Empty(host.Resident());
            Assert.True(after - before < weights / 5, $"RSS before {before:N0}, loaded {loaded:N0}, after unloading {after:N0}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>VmRSS on Linux (what the OOM killer and <c>ps</c> count); the working set elsewhere.</summary>
    private static long ResidentBytes()
    {
        if (!OperatingSystem.IsLinux()) return Environment.WorkingSet;
        var line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
    }
}
