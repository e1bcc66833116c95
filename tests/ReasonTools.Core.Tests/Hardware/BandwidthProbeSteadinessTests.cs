using ReasonTools.Core.Hardware;

namespace ReasonTools.Core.Tests.Hardware;

/// <summary>The bandwidth probe says when its repeated passes disagree.</summary>
public sealed class BandwidthProbeSteadinessTests
{
    private const long BufferBytes = 256L * 1024 * 1024;

    [Fact]
    public void Passes_that_disagree_by_more_than_a_quarter_are_unsteady()
    {
        Assert.False(new BandwidthMeasurement(20, 2, BufferBytes, TimeSpan.Zero, Spread: 0.1).Unsteady);
        Assert.True(new BandwidthMeasurement(20, 2, BufferBytes, TimeSpan.Zero, Spread: 0.4).Unsteady);
        var measured = MemoryBandwidthProbe.Measure(1, 16 * 1024 * 1024, TimeSpan.FromMilliseconds(20));
        Assert.InRange(measured.Spread, 0, 1);
    }
}
