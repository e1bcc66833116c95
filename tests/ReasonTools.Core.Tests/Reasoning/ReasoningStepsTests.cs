using ReasonTools.Core.Reasoning;

namespace ReasonTools.Core.Tests.Reasoning;

public class ReasoningStepsTests
{
    private static string Long(string sentence, int times) => string.Join(" ", Enumerable.Repeat(sentence, times));

    [Fact]
    public void Paragraphs_are_steps()
    {
        var steps = ReasoningSteps.Segment("First, read the problem.\n\nThen add the numbers.\n \nSo the sum is 5.");
        Assert.Equal(["First, read the problem.", "Then add the numbers.", "So the sum is 5."], steps);
    }

    [Fact]
    public void Empty_and_whitespace_only_give_no_steps()
    {
        Assert.Empty(ReasoningSteps.Segment(""));
        Assert.Empty(ReasoningSteps.Segment(" \n\n\t\n "));
        Assert.Equal(["a"], ReasoningSteps.Segment("\n\n\na\n\n\n\n"));
    }

    [Fact]
    public void Short_paragraph_is_not_cut_at_markers()
    {
        var steps = ReasoningSteps.Segment("The sum is 5. Wait, is it? So, yes.");
        Assert.Single(steps);
    }

    [Fact]
    public void Long_paragraph_is_cut_where_sentences_open_with_markers()
    {
        var first = "We need the number of chickens and rabbits given the heads and the legs of the animals on the farm. " + Long("Each chicken has two legs and each rabbit has four legs.", 3);
        var text = first + " Wait, let me set up equations for this. Let me call c the chickens and r the rabbits. But r must be whole. Therefore r = 13.";
        var steps = ReasoningSteps.Segment(text);
        Assert.Equal(5, steps.Count);
        Assert.Equal(first, steps[0]);
        Assert.Equal("Wait, let me set up equations for this.", steps[1]);
        Assert.Equal("Let me call c the chickens and r the rabbits.", steps[2]);
        Assert.Equal("But r must be whole.", steps[3]);
        Assert.Equal("Therefore r = 13.", steps[4]);
    }

    [Fact]
    public void Markers_inside_a_sentence_or_a_longer_word_do_not_cut()
    {
        var text = Long("The value grows and so it goes. Butter melts. Thenceforth we continue and Wait, is not a sentence start here", 4);
        var steps = ReasoningSteps.Segment(text, longParagraphChars: 0);
        Assert.Single(steps);
    }

    [Fact]
    public void Lowercase_marker_does_not_cut()
    {
        var steps = ReasoningSteps.Segment("Alpha is one. so, beta is two.", longParagraphChars: 0);
        Assert.Single(steps);
    }

    [Fact]
    public void Never_cuts_inside_inline_or_display_math()
    {
        var text = "We get $x = 1. So, y$ is fine. Also \\[ a = b. Wait, c \\] holds. Hmm, and \\( p. But q \\) too.";
        var steps = ReasoningSteps.Segment(text, longParagraphChars: 0);
        Assert.Equal(["We get $x = 1. So, y$ is fine. Also \\[ a = b. Wait, c \\] holds.", "Hmm, and \\( p. But q \\) too."], steps);
    }

    [Fact]
    public void Blank_lines_inside_display_math_and_code_fences_do_not_split()
    {
        var text = "Compute:\n\\[\na = 1\n\nb = 2\n\\]\nDone.\n\n```python\nx = 1\n\nSo, y = 2\n```\n\nNext, run it.";
        var steps = ReasoningSteps.Segment(text, longParagraphChars: 0);
        Assert.Equal(3, steps.Count);
        Assert.Equal("Compute:\n\\[\na = 1\n\nb = 2\n\\]\nDone.", steps[0]);
        Assert.Equal("```python\nx = 1\n\nSo, y = 2\n```", steps[1]);
        Assert.Equal("Next, run it.", steps[2]);
    }

    [Fact]
    public void Unclosed_fence_protects_the_rest_of_a_cut_chain()
    {
        var text = "Code:\n```\na\n\nb";
        Assert.Single(ReasoningSteps.Segment(text));
    }

    [Fact]
    public void A_lone_dollar_sign_is_plain_text()
    {
        var text = "It costs $5 in total. So, the ball costs less.";
        var steps = ReasoningSteps.Segment(text, longParagraphChars: 0);
        Assert.Equal(["It costs $5 in total.", "So, the ball costs less."], steps);
    }

    [Fact]
    public void Marker_at_the_start_of_a_line_cuts_a_long_paragraph()
    {
        var text = "line one is here\nHmm, line two\nplain line three";
        var steps = ReasoningSteps.Segment(text, longParagraphChars: 0);
        Assert.Equal(["line one is here", "Hmm, line two\nplain line three"], steps);
    }

    [Fact]
    public void Windows_newlines_are_paragraph_breaks()
    {
        Assert.Equal(["a", "b"], ReasoningSteps.Segment("a\r\n\r\nb"));
    }
}

public class ReasoningStepsHostileInputTests
{
    [Fact]
    public void Many_unclosed_delimiters_are_handled()
    {
        var text = string.Concat(Enumerable.Repeat("\\[ $$ \\( ``` x. So, y. ", 5_000));
        var steps = ReasoningSteps.Segment(text);
        Assert.True(steps.Count > 1000); // "So," still opens steps between the unclosed delimiters
        Assert.Equal(WithoutWhitespace(text), WithoutWhitespace(string.Concat(steps)));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Steps_keep_every_character_of_the_chain_in_order(int seed)
    {
        string[] words = ["Wait,", "So,", "But", "Let me", "x", "$a$", "$", "\\[", "\\]", ".", "\n", "\n\n", "```", "Hmm,", "value", "?"];
        var random = new Random(seed);
        var text = string.Join(" ", Enumerable.Range(0, 3000).Select(_ => words[random.Next(words.Length)]))
            .Replace("\\n", "\n", StringComparison.Ordinal);
        var steps = ReasoningSteps.Segment(text, longParagraphChars: 50);
        Assert.All(steps, step => Assert.Equal(step.Trim(), step));
        Assert.All(steps, step => Assert.NotEqual("", step));
        Assert.Equal(WithoutWhitespace(text), WithoutWhitespace(string.Concat(steps)));
    }

    private static string WithoutWhitespace(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
}
