namespace ReasonTools.Bench.Tests;

/// <summary>What a user of the parallel benchmark reads: the counts it takes, the reference it parses, the ratios it prints.</summary>
public sealed class ParallelBenchmarkReportTests
{
    // llama-batched-bench's table as the pinned build prints it (-npp 8 -ntg 128 -npl 1,4,8).
    private const string BatchedBenchOutput = """
        main: n_kv_max = 1152, n_batch = 2048, n_ubatch = 512, flash_attn = auto, is_pp_shared = 0, n_gpu_layers = -1, n_threads = 2, n_threads_batch = 2

        |    PP |     TG |    B |   N_KV |   T_PP s | S_PP t/s |   T_TG s | S_TG t/s |      T s |    S t/s |
        |-------|--------|------|--------|----------|----------|----------|----------|----------|----------|
        |     8 |    128 |    1 |    136 |    0.120 |    66.67 |    6.400 |    20.00 |    6.520 |    20.86 |
        |     8 |    128 |    4 |    544 |    0.400 |    80.00 |    9.846 |    52.00 |   10.246 |    53.09 |
        |     8 |    128 |    8 |   1088 |    0.800 |    80.00 |   14.222 |    72.00 |   15.022 |    72.43 |
        """;

    [Fact]
    public void Counts_are_read_as_the_cli_writes_them()
    {
        Assert.Equal([1, 4, 8], ParallelBenchmarkReport.ParseCounts("1,4,8"));
        Assert.Equal([2, 16], ParallelBenchmarkReport.ParseCounts(" 2 , 16 "));
    }

    [Theory]
    [InlineData("1,x")]
    [InlineData("0,4")]
    [InlineData("65")]
    [InlineData(",")]
    public void A_count_that_is_not_one_to_sixty_four_is_refused_with_the_accepted_form(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => ParallelBenchmarkReport.ParseCounts(text));
        Assert.Contains("such as 1,4,8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_reference_speed_of_each_batch_count_is_its_S_TG_column()
    {
        var speeds = ParallelBenchmarkReport.ParseBatchedBench(BatchedBenchOutput);

        Assert.Equal(new Dictionary<int, double> { [1] = 20.0, [4] = 52.0, [8] = 72.0 }, speeds);
    }

    [Fact]
    public void The_summary_prints_each_ratio_to_llama_batched_bench_and_the_gain_of_the_largest_count_over_one()
    {
        var reference = ParallelBenchmarkReport.ParseBatchedBench(BatchedBenchOutput);
        var ours = new Dictionary<int, double> { [1] = 19.0, [4] = 50.0, [8] = 57.0 };

        var lines = ParallelBenchmarkReport.Summary([1, 4, 8], ours, reference).ToList();

        Assert.Equal(
        [
            "best rounds:",
            "tg128 x1 | 19.00 tokens/s   llama-batched-bench 20.00   ratio 0.950 (target >= 0.9)",
            "tg128 x4 | 50.00 tokens/s   llama-batched-bench 52.00   ratio 0.962 (target >= 0.9)",
            "tg128 x8 | 57.00 tokens/s   llama-batched-bench 72.00   ratio 0.792 (target >= 0.9)",
            "x8 / x1: reason 3.00 (target >= 2.0), llama-batched-bench 3.60",
        ], lines);
    }

    [Fact]
    public void Without_one_sequence_measured_there_is_no_gain_line()
    {
        var both = new Dictionary<int, double> { [4] = 50.0, [8] = 60.0 };
        Assert.DoesNotContain(ParallelBenchmarkReport.Summary([4, 8], both, both), l => l.Contains("/ x1", StringComparison.Ordinal));
    }
}
