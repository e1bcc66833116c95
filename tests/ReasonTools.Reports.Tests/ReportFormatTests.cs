namespace ReasonTools.Reports.Tests;

public class ReportFormatTests
{
    [Theory]
    [InlineData(null, "—")]
    [InlineData(double.NaN, "—")]
    [InlineData(-1.0, "—")]
    [InlineData(2.54, "2.5 ms")]
    [InlineData(850.4, "850 ms")]
    [InlineData(1234.0, "1.23 s")]
    [InlineData(1200.0, "1.2 s")]
    [InlineData(16240.0, "16.2 s")]
    [InlineData(125_000.0, "2 min 05 s")]
    [InlineData(3_720_000.0, "1 h 02 min")]
    public void Durations(double? ms, string expected) => Assert.Equal(expected, ReportFormat.Duration(ms));

    [Theory]
    [InlineData(null, "—")]
    [InlineData(512L, "512 B")]
    [InlineData(4_683_073_248L, "4.68 GB")]
    [InlineData(19_900_000_000L, "19.9 GB")]
    [InlineData(128_000_000_000L, "128 GB")]
    [InlineData(999_999_999L, "1.00 GB")]
    [InlineData(1_114_165_632L, "1.11 GB")]
    public void Bytes(long? bytes, string expected) => Assert.Equal(expected, ReportFormat.Bytes(bytes));

    [Theory]
    [InlineData(null, "—")]
    [InlineData(7.814, "7.81 tokens/s")]
    [InlineData(42.26, "42.3 tokens/s")]
    [InlineData(1234.4, "1,234 tokens/s")]
    public void Speeds(double? tps, string expected) => Assert.Equal(expected, ReportFormat.TokensPerSecond(tps));

    [Fact]
    public void Counts_percentages_and_parameters_do_not_follow_the_current_culture()
    {
        var saved = Thread.CurrentThread.CurrentCulture;
        Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
        try
        {
            Assert.Equal("12,345", ReportFormat.Count(12345));
            Assert.Equal("75%", ReportFormat.Percent(0.749));
            Assert.Equal("7.62B", ReportFormat.Parameters(7_615_616_512));
            Assert.Equal("1.2 s", ReportFormat.Duration(1200));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = saved;
        }
    }
}
