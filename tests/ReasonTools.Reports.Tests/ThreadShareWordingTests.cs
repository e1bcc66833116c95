using ReasonTools.Core.Inference;

namespace ReasonTools.Reports.Tests;

/// <summary>The settings line says when other generations on the machine took a share of the cores.</summary>
public class ThreadShareWordingTests
{
    private static GenerationSettings Settings(ThreadChoice? choice) => new(0.6f, 0.95f, 42, 4096, choice?.Threads ?? 8, 0, 2048) { ThreadChoice = choice };

    [Fact]
    public void A_shared_generation_says_how_many_shared_the_cores()
    {
        Assert.Contains("threads 1 (2 generations share 2 cores) · GPU layers", Wording.Settings(Settings(new ThreadChoice(1, 2, 2, Explicit: false))));
    }

    [Theory]
    [InlineData(false, 1)]
    [InlineData(true, 3)]
    public void Alone_or_set_explicitly_the_line_is_as_before(bool explicitThreads, int generations)
    {
        Assert.Contains("threads 2 · GPU layers", Wording.Settings(Settings(new ThreadChoice(2, 2, generations, explicitThreads))));
    }
}
