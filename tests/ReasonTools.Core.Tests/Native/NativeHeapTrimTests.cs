using ReasonTools.Core.Inference;
using ReasonTools.Core.Inference.Speculative;
using ReasonTools.Testing;
using Xunit.Abstractions;

namespace ReasonTools.Core.Tests.Native;

/// <summary>
/// A freed model's native heap goes back to the OS on Linux (malloc_trim) or is reused by the next load (all loads run on
/// one thread, so in one glibc arena): without either a long session grows by the tokenizer and metadata of each model
/// it loads (about 25 MB a load here for a 152k-token vocabulary without the trim, 10–20 MB with loads on new threads).
/// </summary>
[Collection(Tests.Inference.EngineCollection.Name)]
public sealed class NativeHeapTrimTests(ITestOutputHelper output) : IDisposable
{
    private const long MiB = 1L << 20;
    private readonly string _model = Path.Combine(Path.GetTempPath(), $"reasontools-heap-{Guid.NewGuid():N}.gguf");

    public void Dispose() => File.Delete(_model);

    [LinuxFact]
    public async Task Loading_and_unloading_a_model_again_and_again_does_not_grow_the_process()
    {
        // Tiny layers, the real vocabulary: the heap llama.cpp builds for the tokenizer is what a load leaves behind.
        RealShapeModels.WriteSparse(_model, new ModelShape("large vocabulary, tiny layers", 2, 64, 4, 2, 128, 151936, 4096, 10000f));
        var options = new EngineOptions { ContextSize = 256, Threads = 1, CheckFit = false, GpuLayers = 0, Draft = DraftChoice.None };
        var afterUnload = new List<long>();
        for (var cycle = 0; cycle < 12; cycle++)
        {
            var before = NativeBytes();
            using (await ReasonEngine.LoadAsync(_model, options)) { }
            afterUnload.Add(NativeBytes());
            output.WriteLine($"cycle {cycle}: native {before / MiB} MiB before loading, {afterUnload[^1] / MiB} MiB after unloading");
        }

        // The steady state, over the second half: the first loads also set up llama.cpp's backends, glibc's per-thread
        // arenas and the runtime's own native caches, which grow a few times and then stay. Without the trim every load
        // leaves its tokenizer heap behind (about 25 MB here), in the second half as in the first.
        var perLoad = (afterUnload[^1] - afterUnload[afterUnload.Count / 2 - 1]) / (afterUnload.Count / 2);
        Assert.True(perLoad < 8 * MiB, $"the process grew by {perLoad / MiB} MiB a load");
    }

    /// <summary>Anonymous resident memory not committed by the managed heap: llama.cpp's native heap, mostly.</summary>
    private static long NativeBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var rssAnon = long.Parse(File.ReadLines("/proc/self/status").First(l => l.StartsWith("RssAnon:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
        return rssAnon - GC.GetGCMemoryInfo().TotalCommittedBytes;
    }
}

/// <summary>A fact about Linux behaviour (glibc, /proc): skipped, saying so, elsewhere.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Linux only (glibc's heap and /proc).";
    }
}
