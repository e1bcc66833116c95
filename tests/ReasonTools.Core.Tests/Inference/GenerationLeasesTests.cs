using System.Diagnostics;
using ReasonTools.Core.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Inference;

/// <summary>Generations on one machine share its cores through lease files held with an OS lock.</summary>
public sealed class GenerationLeasesTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"reasontools-leases-{Guid.NewGuid():N}");

    private GenerationLeases Leases(int cores) => new(_folder, cores) { RecountInterval = TimeSpan.Zero };

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public void A_generation_alone_takes_every_core()
    {
        using var lease = Leases(4).Acquire();

        Assert.Equal(4, lease.Threads);
        Assert.Equal("every logical core", lease.Choice.Reason);
    }

    [Fact]
    public void Two_generations_take_half_the_cores_each_and_the_first_follows_when_the_second_starts_and_ends()
    {
        var leases = Leases(4);
        using var first = leases.Acquire();
        Assert.Equal(4, first.Threads);

        using (var second = leases.Acquire())
        {
            Assert.Equal(2, second.Threads);
            Assert.True(first.Recount());
            Assert.Equal(2, first.Threads);
            Assert.Equal("2 generations share 4 cores", second.Choice.Reason);
        }

        Assert.True(first.Recount());
        Assert.Equal(4, first.Threads);
        // The result reports the busiest moment: the fewest threads, the most generations.
        Assert.Equal(new ThreadChoice(2, 4, 2, Explicit: false), first.Choice);
    }

    [Fact]
    public void More_generations_than_cores_get_one_thread_each()
    {
        var leases = Leases(2);
        using var a = leases.Acquire();
        using var b = leases.Acquire();
        using var c = leases.Acquire();

        Assert.Equal(1, c.Threads);
        Assert.Equal(3, c.Choice.Generations);
    }

    [Fact]
    public void A_lease_left_by_a_dead_process_is_ignored_and_removed()
    {
        Directory.CreateDirectory(_folder);
        var stale = Path.Combine(_folder, "dead.lease");
        File.WriteAllText(stale, $"{DeadProcessId()}\n");

        using var lease = Leases(4).Acquire();

        Assert.Equal(4, lease.Threads);
        Assert.False(File.Exists(stale));
    }

    [Fact]
    public void A_lease_file_nobody_locks_is_not_counted_whatever_it_holds()
    {
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "unlocked.lease"), $"{Environment.ProcessId}\n");
        File.WriteAllText(Path.Combine(_folder, "garbage.lease"), "not a process id");

        using var lease = Leases(4).Acquire();

        Assert.Equal(4, lease.Threads);
    }

    [Fact]
    public void Explicit_threads_are_used_as_given_and_still_counted_by_the_others()
    {
        var leases = Leases(4);
        using var other = leases.Acquire();
        using var explicitLease = leases.Acquire(explicitThreads: 3);

        Assert.Equal(3, explicitLease.Threads);
        Assert.False(explicitLease.Recount());
        Assert.Equal("set explicitly", explicitLease.Choice.Reason);
        Assert.True(other.Recount());
        Assert.Equal(2, other.Threads);
    }

    [Fact]
    public void The_lease_file_is_gone_once_the_generation_ends()
    {
        var leases = Leases(4);
        using (leases.Acquire()) Assert.Single(Directory.GetFiles(_folder, "*.lease"));

        Assert.Empty(Directory.GetFiles(_folder, "*.lease"));
        Assert.Equal(0, leases.CountLive());
    }

    [Fact]
    public void A_folder_that_cannot_be_created_leaves_the_generation_every_core()
    {
        var file = Path.Combine(Path.GetTempPath(), $"reasontools-leases-file-{Guid.NewGuid():N}");
        File.WriteAllText(file, "");
        try
        {
            using var lease = new GenerationLeases(Path.Combine(file, "generations"), 4).Acquire();
            Assert.Equal(4, lease.Threads);
        }
        finally
        {
            File.Delete(file);
        }
    }

    private static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("dotnet", "--version") { RedirectStandardOutput = true })!;
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.Id;
    }
}

/// <summary>A generation reports the share of the cores it ran on.</summary>
[Collection(EngineCollection.Name)]
public sealed class GenerationThreadShareTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"reasontools-leases-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_generation_beside_another_runs_on_half_the_cores_and_says_so(int parallel)
    {
        var leases = new GenerationLeases(_folder, cores: 4);
        using var engine = await ReasonEngine.LoadAsync(SyntheticModels.GetFile(ScriptKind.ClosedChain),
            new EngineOptions { ContextSize = 1024, Parallel = parallel, Leases = leases });
        using var elsewhere = leases.Acquire();

        var result = await engine.RunAsync(new ReasonRequest { Prompt = SyntheticModels.Get(ScriptKind.ClosedChain).Question, Seed = 1 });

        Assert.Equal(2, result.Settings.Threads);
        Assert.Equal("2 generations share 4 cores", result.Settings.ThreadChoice!.Reason);
    }

    [Fact]
    public async Task Explicit_threads_are_not_shared()
    {
        var leases = new GenerationLeases(_folder, cores: 4);
        using var engine = await ReasonEngine.LoadAsync(SyntheticModels.GetFile(ScriptKind.ClosedChain),
            new EngineOptions { ContextSize = 1024, Threads = 3, Leases = leases });
        using var elsewhere = leases.Acquire();

        var result = await engine.RunAsync(new ReasonRequest { Prompt = SyntheticModels.Get(ScriptKind.ClosedChain).Question, Seed = 1 });

        Assert.Equal(3, result.Settings.Threads);
        Assert.True(result.Settings.ThreadChoice!.Explicit);
    }
}
