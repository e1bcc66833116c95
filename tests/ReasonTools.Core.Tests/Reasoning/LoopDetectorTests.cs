using ReasonTools.Core.Reasoning;

namespace ReasonTools.Core.Tests.Reasoning;

public class LoopDetectorTests
{
    /// <summary>Pushes tokens; returns the index of the token at which a loop was first reported, or -1.</summary>
    private static int FirstDetection(LoopDetector detector, IEnumerable<int> tokens)
    {
        var i = 0;
        foreach (var token in tokens)
        {
            if (detector.Push(token)) return i;
            i++;
        }
        return -1;
    }

    private static IEnumerable<int> Distinct(int count, int offset = 100_000) => Enumerable.Range(offset, count);

    [Fact]
    public void Single_token_run_is_caught_at_32()
    {
        var detector = new LoopDetector();
        var tokens = Distinct(50).Concat(Enumerable.Repeat(7, 100));
        Assert.Equal(50 + 31, FirstDetection(detector, tokens));
        Assert.Equal(new LoopInfo(1, 32, 50, 32), detector.Detected);
    }

    [Fact]
    public void Single_token_repeated_31_times_is_not_a_loop()
    {
        var detector = new LoopDetector();
        Assert.Equal(-1, FirstDetection(detector, Distinct(10).Concat(Enumerable.Repeat(7, 31)).Concat(Distinct(10, 5))));
        Assert.Null(detector.Detected);
    }

    [Fact]
    public void Long_sentence_repeated_three_times_is_a_loop()
    {
        var sentence = Distinct(40, 500).ToArray();
        var tokens = Distinct(300).Concat(sentence).Concat(sentence).Concat(sentence).Concat(sentence);
        var detector = new LoopDetector();
        Assert.Equal(300 + 120 - 1, FirstDetection(detector, tokens));
        var info = detector.Detected!;
        Assert.Equal(40, info.Period);
        Assert.Equal(3, info.Repeats);
        Assert.Equal(300, info.StartIndex);
        Assert.Equal(120, info.Length);
    }

    [Fact]
    public void Long_sentence_said_twice_is_not_a_loop()
    {
        var sentence = Distinct(100, 500).ToArray();
        Assert.Equal(-1, FirstDetection(new LoopDetector(), Distinct(10).Concat(sentence).Concat(sentence).Concat(Distinct(50, 9000))));
    }

    [Fact]
    public void Short_span_needs_64_tokens()
    {
        int[] haha = [1, 2];
        var detector = new LoopDetector();
        Assert.Equal(63, FirstDetection(detector, Enumerable.Repeat(haha, 40).SelectMany(x => x)));
        Assert.Equal(2, detector.Detected!.Period);
        Assert.Equal(32, detector.Detected.Repeats);
    }

    [Fact]
    public void Period_is_the_shortest_repeating_span()
    {
        int[] span = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14];
        var detector = new LoopDetector();
        FirstDetection(detector, Enumerable.Repeat(span, 20).SelectMany(x => x));
        Assert.Equal(10, detector.Detected!.Period);
        Assert.Equal(0, detector.Detected.StartIndex);
    }

    [Fact]
    public void Counting_list_is_not_a_loop()
    {
        // "1, 2, 3, ..., 500": number token, comma, space.
        var tokens = Enumerable.Range(1, 500).SelectMany(n => new[] { 10_000 + n, 11, 220 });
        Assert.Equal(-1, FirstDetection(new LoopDetector(), tokens));
    }

    [Fact]
    public void Short_word_repeated_a_few_times_and_a_table_rule_are_not_loops()
    {
        var veryVery = Enumerable.Repeat(42, 5);
        var tableRule = Enumerable.Repeat(new[] { 91, 92 }, 12).SelectMany(x => x); // |---|---| ...
        var tokens = Distinct(20).Concat(veryVery).Concat(Distinct(20, 300)).Concat(tableRule).Concat(Distinct(20, 600));
        Assert.Equal(-1, FirstDetection(new LoopDetector(), tokens));
    }

    [Fact]
    public void Span_longer_than_the_window_is_not_seen()
    {
        var sentence = Distinct(300, 500).ToArray();
        var detector = new LoopDetector(maxPeriod: 256);
        Assert.Equal(-1, FirstDetection(detector, sentence.Concat(sentence).Concat(sentence).Concat(sentence)));
    }

    [Fact]
    public void Detection_stays_set_and_push_keeps_reporting()
    {
        var detector = new LoopDetector();
        FirstDetection(detector, Enumerable.Repeat(3, 40));
        var first = detector.Detected;
        Assert.True(detector.Push(99));
        Assert.Same(first, detector.Detected);
    }

    [Fact]
    public void Long_varied_chain_is_not_a_loop()
    {
        // 50k pseudo-random tokens from a small vocabulary: repeats occur, runaway loops do not.
        var random = new Random(1234);
        var detector = new LoopDetector();
        for (var i = 0; i < 50_000; i++)
            Assert.False(detector.Push(random.Next(0, 2000)));
        Assert.Equal(50_000, detector.TokenCount);
    }

    [Fact]
    public void Thresholds_are_configurable_and_validated()
    {
        var strict = new LoopDetector(maxPeriod: 8, minRepeats: 2, minLoopTokens: 8, minSingleTokenRun: 4);
        Assert.Equal(3, FirstDetection(strict, [1, 1, 1, 1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoopDetector(maxPeriod: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LoopDetector(minRepeats: 1));
    }
}
