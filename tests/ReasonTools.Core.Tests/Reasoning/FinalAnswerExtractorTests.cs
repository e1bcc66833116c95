using ReasonTools.Core.Reasoning;

namespace ReasonTools.Core.Tests.Reasoning;

public class FinalAnswerExtractorTests
{
    [Theory]
    [InlineData("The answer is \\boxed{42}.", "42")]
    [InlineData("So \\boxed{\\frac{1}{4}}", "\\frac{1}{4}")]
    [InlineData("\\boxed{768 + 512\\sqrt{2}}", "768 + 512\\sqrt{2}")]
    [InlineData("\\boxed {  7 }", "7")]
    [InlineData("\\fbox{C}", "C")]
    [InlineData("$\\boxed{\\text{(C)}}$", "\\text{(C)}")]
    [InlineData("First \\boxed{1}, then corrected: \\boxed{2}", "2")]
    [InlineData("\\boxed{\\{1, 2\\}}", "\\{1, 2\\}")]
    [InlineData("\\boxed{(1, 5), (3, 1)}", "(1, 5), (3, 1)")]
    public void Last_boxed_content_with_nested_braces(string answer, string expected)
    {
        Assert.Equal(expected, FinalAnswerExtractor.Extract(answer, ""));
    }

    [Fact]
    public void Answer_part_is_preferred_over_thinking()
    {
        Assert.Equal("5", FinalAnswerExtractor.Extract("\\boxed{5}", "draft \\boxed{4}"));
    }

    [Fact]
    public void Falls_back_to_the_thinking_when_the_answer_has_no_box()
    {
        Assert.Equal("4", FinalAnswerExtractor.Extract("I am not sure.", "So \\boxed{3}. Wait, no: \\boxed{4}"));
        Assert.Equal("4", FinalAnswerExtractor.Extract("", "So \\boxed{4}"));
    }

    [Fact]
    public void Unclosed_box_cut_by_the_token_limit_is_ignored()
    {
        Assert.Equal("1", FinalAnswerExtractor.Extract("\\boxed{1} and then \\boxed{2 + \\sqrt{", ""));
        Assert.Null(FinalAnswerExtractor.Extract("\\boxed{2 + ", ""));
    }

    [Fact]
    public void Empty_box_quoted_from_the_prompt_is_not_an_answer()
    {
        Assert.Null(FinalAnswerExtractor.Extract("", "I should put the final answer within \\boxed{}."));
        Assert.Equal("9", FinalAnswerExtractor.Extract("\\boxed{9}", "within \\boxed{} they said"));
    }

    [Theory]
    [InlineData("Some text.\nAnswer: 12", "12")]
    [InlineData("Final answer: x = 3.", "x = 3")]
    [InlineData("**Answer:** 12 chickens, 13 rabbits", "12 chickens, 13 rabbits")]
    [InlineData("**Final Answer:** $\\frac{3}{4}$", "\\frac{3}{4}")]
    [InlineData("答案：鸡23只，兔12只。", "鸡23只，兔12只")]
    [InlineData("最终答案: 72", "72")]
    [InlineData("The final answer is: 7", "7")]
    [InlineData("**Final Answer**\n\n12", "12")]
    [InlineData("### Final Answer\n\\[ 5 \\]", "5")]
    [InlineData("Answer: 1\nMore work.\nAnswer: 2", "2")]
    public void Answer_lines_when_there_is_no_box(string answer, string expected)
    {
        Assert.Equal(expected, FinalAnswerExtractor.Extract(answer, ""));
    }

    [Fact]
    public void Answer_line_in_the_answer_beats_a_box_in_the_thinking()
    {
        Assert.Equal("6", FinalAnswerExtractor.Extract("Answer: 6", "draft \\boxed{5}"));
    }

    [Fact]
    public void Box_beats_an_answer_line_in_the_same_part()
    {
        Assert.Equal("8", FinalAnswerExtractor.Extract("Answer: 7\n\n**Final Answer**\n\\boxed{8}", ""));
    }

    [Theory]
    [InlineData("The capital of France is Paris.")]
    [InlineData("The answer depends on the input.")]
    [InlineData("Answer:")]
    [InlineData("")]
    public void No_final_answer_gives_null(string answer)
    {
        Assert.Null(FinalAnswerExtractor.Extract(answer, "thinking without a box"));
    }

    [Fact]
    public void Null_parts_are_treated_as_empty()
    {
        Assert.Null(FinalAnswerExtractor.Extract(null, null));
    }
}

public class FinalAnswerExtractorHostileInputTests
{
    [Fact]
    public void Runaway_reply_of_unclosed_boxes_is_handled()
    {
        var runaway = string.Concat(Enumerable.Repeat("\\boxed{", 50_000));
        Assert.Null(FinalAnswerExtractor.Extract(runaway, runaway));
        Assert.Equal("3", FinalAnswerExtractor.Extract("\\boxed{3}" + runaway, ""));
    }

    [Fact]
    public void Nested_box_gives_the_innermost_last_opened()
    {
        Assert.Equal("5", FinalAnswerExtractor.Extract("\\boxed{\\boxed{5}}", ""));
    }
}

public class FinalAnswerPlainTextTests
{
    [Theory]
    [InlineData(@"\text{12 chickens, 13 rabbits}", "12 chickens, 13 rabbits")]
    [InlineData(@"\frac{1}{2}", "1/2")]
    [InlineData(@"\dfrac{a+b}{2}", "(a+b)/2")]
    [InlineData(@"\sqrt{2}", "√2")]
    [InlineData(@"3 \times 4 = 12", "3 × 4 = 12")]
    [InlineData(@"x \leq 5", "x ≤ 5")]
    [InlineData(@"90^\circ", "90°")]
    [InlineData(@"\frac{\text{apples}}{\text{crates}}", "apples/crates")]
    [InlineData(@"\$4.50", "$4.50")]
    [InlineData(@"**$\boxed{42}$**", "42")]
    [InlineData(@"x^{2}", "x^2")]
    [InlineData("12 chickens", "12 chickens")]
    public void LaTeX_and_markdown_become_what_they_say(string raw, string plain)
    {
        Assert.Equal(plain, FinalAnswerExtractor.PlainText(raw));
    }

    [Fact]
    public void A_result_keeps_the_raw_final_answer_beside_the_plain_one()
    {
        var result = new ReasonTools.Core.Inference.ReasonResult
        {
            Model = new("m", null, null, null, null, null), Prompt = "q", Thinking = "", Answer = "", FinalAnswer = @"\text{yes}",
            Timings = new(), Settings = new(0.6f, 0.95f, 1, 512, 1, 0, 64),
        };
        Assert.Equal(@"\text{yes}", result.FinalAnswer);
        Assert.Equal("yes", result.FinalAnswerText);
        Assert.Contains("\"finalAnswerText\": \"yes\"", ReasonJson.Serialize(result));
    }
}
