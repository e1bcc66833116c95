using ReasonTools.Core.Inference;

namespace ReasonTools.Reports.Tests;

public class TextReportTests
{
    [Fact]
    public void Reason_text_puts_the_answer_before_numbered_steps_and_lists_every_timing()
    {
        var text = TextReport.Render(Samples.Reason(loadMs: null));

        Assert.True(text.IndexOf("Final answer: 80", StringComparison.Ordinal) < text.IndexOf("Thinking (262 tokens, 3 steps)", StringComparison.Ordinal));
        Assert.Contains("  1. Okay, speed is distance over time.", text);
        Assert.Contains("  3. 120 / 1.5 = 80", text);
        foreach (var stage in new[] { "Load", "Prompt", "Generation", "thinking", "answer", "Time to first token", "Time to first answer token", "Total" })
        {
            Assert.Matches(@"\n +" + System.Text.RegularExpressions.Regex.Escape(stage) + " ", text);
        }
        Assert.Matches(@"\n  Load +— *\n", text);
        Assert.Contains("22.1 tokens/s", text);
        Assert.DoesNotContain("!", text.Split('\n')[1]);
    }

    [Fact]
    public void Reason_text_and_html_show_the_draft_and_its_acceptance_only_for_a_speculative_run()
    {
        var plain = Samples.Reason();
        var drafted = plain with { Timings = plain.Timings with { DraftModel = "DeepSeek-R1-Distill-Qwen-1.5B", DraftedTokens = 16, AcceptedDraftTokens = 12 } };

        Assert.Matches(@"\n  +draft DeepSeek-R1-Distill-Qwen-1\.5B +12 of 16 accepted \(75%\)", TextReport.Render(drafted));
        Assert.Contains("12 of 16 accepted (75%)", HtmlReport.Fragment(drafted));
        Assert.DoesNotContain("draft", TextReport.Render(plain));
        Assert.DoesNotContain("acceptedDraftTokens", HtmlReport.Fragment(plain));
    }

    [Fact]
    public void Reason_text_flags_a_length_finish_and_an_incomplete_chain_and_can_leave_the_chain_out()
    {
        var text = TextReport.Render(Samples.Reason(FinishReason.Length, complete: false), includeThinking: false);

        Assert.Contains("! Stopped at the token limit (finish reason: length)", text);
        Assert.Contains("! Reasoning incomplete", text);
        Assert.Contains("left out", text);
        Assert.DoesNotContain("1. Okay", text);
    }

    [Fact]
    public void Comparison_text_aligns_the_grid_and_lists_notes()
    {
        var text = TextReport.Render(Samples.Comparison());
        var lines = text.Split('\n');
        var header = lines.Single(l => l.TrimStart().StartsWith("Prompt", StringComparison.Ordinal));
        var primes = lines.Single(l => l.TrimStart().StartsWith("primes", StringComparison.Ordinal));

        Assert.Equal(header.IndexOf("DeepSeek-R1-Distill-Qwen-7B", StringComparison.Ordinal), primes.IndexOf('✓'));
        Assert.Contains("✗ 15", primes);
        Assert.Contains("[length]", text);
        Assert.Contains("[2] does not fit: needs 9.8 GB, 8.1 GB available  (DeepSeek-R1-Distill-Qwen-14B: logic)", text);
        Assert.Single(lines, l => l.Contains("does not fit", StringComparison.Ordinal));
        Assert.Contains("50%", text);
    }

    [Fact]
    public void Hardware_text_names_the_recommendation_and_each_fit()
    {
        var text = TextReport.Render(Samples.Hardware());

        Assert.Contains("Recommended: DeepSeek-R1-Distill-Qwen-14B Q4_K_M, context 4,096, on GPU, about 26.0 tokens/s", text);
        Assert.Contains("limit 60.0 GB", text);
        Assert.Contains("* DeepSeek-R1-Distill-Qwen-14B", text);
        Assert.Contains("does not fit", text);
        Assert.Equal(18, text.Split('\n').Count(l => l.Contains("DeepSeek-R1-Distill-", StringComparison.Ordinal) && l.Contains("Q", StringComparison.Ordinal) && !l.StartsWith("Recommended", StringComparison.Ordinal)));
    }
}
