using ReasonTools.Core.Hosting;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Models;
using ReasonTools.Core.Tests.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Hosting;

/// <summary>Resident models: one load for many requests, keep-alive, eviction, unloading, the fit guard's count.</summary>
[Collection(EngineCollection.Name)]
public sealed class ModelHostTests
{
    private static readonly EngineOptions Options = new() { ContextSize = 512, Threads = 1 };
    private static string File(ScriptKind kind) => SyntheticModels.GetFile(kind);
    private static ReasonRequest Ask(ScriptKind kind) => new() { Prompt = SyntheticModels.Get(kind).Question, Seed = 1 };

    [Fact]
    public async Task Three_requests_load_the_model_once_and_the_later_results_say_it_was_resident()
    {
        using var host = new ModelHost(new ModelHostOptions { DefaultKeepAlive = TimeSpan.FromMinutes(5) });
        var results = new List<ReasonResult>();
        var engines = new HashSet<ReasonEngine>();
        for (var i = 0; i < 3; i++)
        {
            using var lease = await host.OpenAsync(File(ScriptKind.ClosedChain), Options);
            engines.Add(lease.Engine);
            results.Add(await RunThrough(lease));
        }

        Assert.Single(engines);
        Assert.False(results[0].Timings.Resident);
        Assert.True(results[0].Timings.LoadMs > 0);
        Assert.All(results.Skip(1), r => Assert.True(r.Timings.Resident && r.Timings.LoadMs == 0));
        Assert.All(results, r => Assert.Equal("5", r.FinalAnswer));
        var resident = Assert.Single(host.Resident());
        Assert.Equal(0, resident.InUse);
        Assert.True(resident.MemoryBytes > 0);
        Assert.NotNull(resident.ExpiresAt);
    }

    [Fact]
    public async Task Callers_opening_the_same_model_at_once_share_one_load()
    {
        using var host = new ModelHost(new ModelHostOptions { DefaultKeepAlive = TimeSpan.Zero });
        var leases = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => host.OpenAsync(File(ScriptKind.ClosedChain), Options)));

        Assert.Single(leases.Select(l => l.Engine).Distinct());
        Assert.Equal(3, Assert.Single(host.Resident()).InUse);
        foreach (var lease in leases) lease.Dispose();
        Assert.Empty(host.Resident());
    }

    [Fact]
    public async Task A_keep_alive_of_zero_unloads_when_the_lease_ends_and_a_short_one_expires()
    {
        using var host = new ModelHost();
        using (var lease = await host.OpenAsync(File(ScriptKind.ClosedChain), Options, keepAlive: TimeSpan.Zero))
            await RunThrough(lease);
        Assert.Empty(host.Resident());
        Assert.Equal(0, ReasonEngine.LiveContexts);

        using (var lease = await host.OpenAsync(File(ScriptKind.ClosedChain), Options, keepAlive: TimeSpan.FromMilliseconds(200)))
            await RunThrough(lease);
        Assert.Single(host.Resident());
        for (var i = 0; i < 100 && host.Resident().Count > 0; i++) await Task.Delay(50);
        Assert.Empty(host.Resident());
    }

    [Fact]
    public async Task A_model_that_does_not_fit_beside_the_resident_ones_evicts_the_least_recently_used_idle_one()
    {
        var one = await RequiredBytes(File(ScriptKind.ClosedChain));
        // Room for two of these models, not three.
        var budget = (long)((2.5 * one + FitEstimator.SystemHeadroomBytes) / FitEstimator.SystemMemoryShare);
        using var host = new ModelHost(new ModelHostOptions { MemoryBudgetBytes = budget, DefaultKeepAlive = TimeSpan.FromMinutes(5) });
        (await host.OpenAsync(File(ScriptKind.ClosedChain), Options)).Dispose();
        (await host.OpenAsync(File(ScriptKind.ChickensRight), Options)).Dispose();
        (await host.OpenAsync(File(ScriptKind.ClosedChain), Options)).Dispose(); // now ChickensRight is the least recently used

        using var third = await host.OpenAsync(File(ScriptKind.ChickensWrong), Options);

        var paths = host.Resident().Select(r => Path.GetFileName(r.Path)).ToList();
        Assert.Equal(2, paths.Count);
        Assert.Contains(Path.GetFileName(File(ScriptKind.ClosedChain)), paths);
        Assert.Contains(Path.GetFileName(File(ScriptKind.ChickensWrong)), paths);
    }

    [Fact]
    public async Task Unloading_a_model_in_use_waits_for_its_request_and_an_idle_one_goes_at_once()
    {
        using var host = new ModelHost(new ModelHostOptions { DefaultKeepAlive = Timeout.InfiniteTimeSpan });
        (await host.OpenAsync(File(ScriptKind.ChickensRight), Options)).Dispose();
        var busy = await host.OpenAsync(File(ScriptKind.ClosedChain), Options);

        var selected = host.Unload();

        Assert.Equal(2, selected.Count);
        var left = Assert.Single(host.Resident());
        Assert.Equal(1, left.InUse);
        Assert.Equal("5", (await RunThrough(busy)).FinalAnswer);
        busy.Dispose();
        Assert.Empty(host.Resident());
    }

    [Fact]
    public async Task The_fit_guard_counts_memory_already_held_by_resident_models()
    {
        var e = await Assert.ThrowsAsync<ModelDoesNotFitException>(() =>
            ReasonEngine.LoadAsync(File(ScriptKind.ClosedChain), Options with { ResidentBytes = long.MaxValue / 4 }));
        Assert.Contains("does not fit", e.Message);
    }

    [Theory]
    [InlineData("5m", 300)]
    [InlineData("1h30m", 5400)]
    [InlineData("30s", 30)]
    [InlineData("45", 45)]
    [InlineData("0", 0)]
    public void Keep_alive_reads_like_ollama(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), KeepAlive.Parse(text));

    [Fact]
    public void A_negative_keep_alive_keeps_the_model_and_nonsense_is_refused_with_the_forms()
    {
        Assert.Equal(Timeout.InfiniteTimeSpan, KeepAlive.Parse("-1"));
        Assert.Equal(Timeout.InfiniteTimeSpan, KeepAlive.Parse("-5m"));
        Assert.Contains("5m", Assert.Throws<FormatException>(() => KeepAlive.Parse("soon")).Message);
        Assert.Equal("5m", KeepAlive.Format(KeepAlive.Default));
    }

    [Fact]
    public void The_settings_file_changes_the_default_keep_alive()
    {
        var path = Path.GetTempFileName();
        try
        {
            System.IO.File.WriteAllText(path, """{ "keepAlive": "10m", "endpoints": {} }""");
            Assert.Equal(TimeSpan.FromMinutes(10), KeepAlive.FromSettings(path));
            System.IO.File.WriteAllText(path, """{ "keepAlive": 0 }""");
            Assert.Equal(TimeSpan.Zero, KeepAlive.FromSettings(path));
            System.IO.File.WriteAllText(path, "{}");
            Assert.Equal(KeepAlive.Default, KeepAlive.FromSettings(path));
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    private static async Task<ReasonResult> RunThrough(IReasonModel model)
    {
        ReasonResult? result = null;
        await foreach (var u in model.StreamAsync(Ask(ScriptKind.ClosedChain)))
            if (u.Kind == ReasonUpdateKind.Completed) result = u.Result;
        return result!;
    }

    private static async Task<long> RequiredBytes(string file)
    {
        using var host = new ModelHost(new ModelHostOptions { DefaultKeepAlive = Timeout.InfiniteTimeSpan });
        (await host.OpenAsync(file, Options)).Dispose();
        return Assert.Single(host.Resident()).MemoryBytes;
    }
}
