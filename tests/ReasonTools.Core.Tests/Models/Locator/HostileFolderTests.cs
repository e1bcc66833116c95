using System.Diagnostics;
using ReasonTools.Core.Gguf;
using ReasonTools.Core.Models;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Models.Locator;

/// <summary>Model folders a hostile or careless user builds: FIFOs named *.gguf, symlink loops, /proc.</summary>
public sealed class HostileFolderTests : IDisposable
{
    private readonly FakeModelTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private static void MakeFifo(string path)
    {
        using var mkfifo = Process.Start(new ProcessStartInfo("mkfifo", $"\"{path}\"") { UseShellExecute = false })!;
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
    }

    [Fact]
    public async Task A_fifo_named_gguf_is_skipped_with_a_note_and_never_opened()
    {
        var folder = _tree.Dir("fifo-models");
        _tree.Variables["REASONTOOLS_MODELS"] = folder;
        MakeFifo(Path.Combine(folder, "trap.gguf"));
        File.WriteAllBytes(Path.Combine(folder, "ok.gguf"), HostileModels.Valid());

        var found = await Task.Run(() => ModelLocator.Locate(_tree.Environment)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Single(found.Models);
        Assert.Contains(found.Warnings, w => w.Contains("trap.gguf", StringComparison.Ordinal) && w.Contains("not a regular file", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Reading_a_fifo_as_a_model_is_refused_at_once()
    {
        var fifo = Path.Combine(_tree.Dir("fifo-read"), "trap.gguf");
        MakeFifo(fifo);

        var refused = await Task.Run(() => Record.Exception(() => GgufReader.Read(fifo))).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains("not a regular file", Assert.IsType<GgufFormatException>(refused).Message);
    }

    [Fact]
    public void A_symlink_loop_lists_its_model_once_at_its_real_path()
    {
        var folder = _tree.Dir("loop-models");
        _tree.Variables["REASONTOOLS_MODELS"] = folder;
        var inner = Directory.CreateDirectory(Path.Combine(folder, "loop")).FullName;
        Directory.CreateSymbolicLink(Path.Combine(inner, "up"), folder);
        File.WriteAllBytes(Path.Combine(inner, "ok.gguf"), HostileModels.Valid());

        var found = ModelLocator.Locate(_tree.Environment);

        var model = Assert.Single(found.Models);
        Assert.Equal(Path.Combine(inner, "ok.gguf"), model.Path);
    }

    [Fact]
    public void A_walk_of_proc_stops_at_its_limits_and_says_so()
    {
        var notes = new List<string>();
        var watch = Stopwatch.StartNew();

        BoundedFileWalk.Find("/proc", "*.gguf", new WalkLimits(MaxDepth: 6, MaxEntries: 20_000, MaxSeconds: 3), notes);

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"took {watch.Elapsed}");
        Assert.Contains(notes, n => n.StartsWith("/proc: stopped looking after", StringComparison.Ordinal));
    }
}
