using System.Text;
using ReasonTools.Core.Reasoning;

namespace ReasonTools.Core.Tests.Reasoning;

public class ReasoningSplitterTests
{
    /// <summary>Pushes every piece, flushes, and checks the segments add up to the accumulated parts.</summary>
    private static (ReasoningSplitter Splitter, List<TokenClassification> Tokens) Run(bool forced, params string[] pieces)
    {
        var splitter = new ReasoningSplitter(forced);
        var tokens = new List<TokenClassification>();
        var thinking = new StringBuilder();
        var answer = new StringBuilder();
        foreach (var piece in pieces)
        {
            var token = splitter.Push(piece);
            tokens.Add(token);
            if (token.Reclassified)
            {
                thinking.Append(answer);
                answer.Clear();
            }
            thinking.Append(token.ThinkingText);
            answer.Append(token.AnswerText);
        }
        foreach (var segment in splitter.Flush())
            (segment.Part == ReasoningPart.Thinking ? thinking : answer).Append(segment.Text);
        Assert.Equal(splitter.Thinking, thinking.ToString());
        Assert.Equal(splitter.Answer, answer.ToString());
        Assert.Equal(pieces.Length, splitter.ThinkingTokens + splitter.AnswerTokens);
        return (splitter, tokens);
    }

    [Fact]
    public void Forced_open_chain_with_closing_tag_only()
    {
        var (s, tokens) = Run(true, "Okay", ", so", " 2+2.", "\n", "</think>", "\n\n", "The answer", " is 4.");
        Assert.Equal("Okay, so 2+2.", s.Thinking);
        Assert.Equal("The answer is 4.", s.Answer);
        Assert.True(s.ReasoningOpened);
        Assert.True(s.ReasoningClosed);
        Assert.Equal(5, s.ThinkingTokens); // the closing tag counts as thinking
        Assert.Equal(3, s.AnswerTokens);
        Assert.Equal(ReasoningPart.Thinking, tokens[4].Part);
        Assert.Equal(ReasoningPart.Answer, tokens[5].Part);
        Assert.Empty(tokens[5].Segments); // leading whitespace of the answer is dropped
        Assert.Equal(ReasoningPart.Answer, s.CurrentPart);
    }

    [Fact]
    public void Explicit_think_at_start_without_forcing_is_not_text()
    {
        var (s, tokens) = Run(false, "<think>", "\n", "Let me see.", "</think>", "\n\nDone.");
        Assert.Equal("Let me see.", s.Thinking);
        Assert.Equal("Done.", s.Answer);
        Assert.Equal(ReasoningPart.Thinking, tokens[0].Part);
        Assert.DoesNotContain("think", s.Thinking + s.Answer);
    }

    [Fact]
    public void Explicit_think_at_start_with_forcing_is_also_consumed()
    {
        var (s, _) = Run(true, "\n", "<think>", "\nHmm.", "</think>", "Yes");
        Assert.Equal("Hmm.", s.Thinking);
        Assert.Equal("Yes", s.Answer);
    }

    [Fact]
    public void No_tags_and_not_forced_is_all_answer()
    {
        var (s, tokens) = Run(false, "Paris", " is the", " capital.");
        Assert.Equal("", s.Thinking);
        Assert.Equal("Paris is the capital.", s.Answer);
        Assert.False(s.ReasoningOpened);
        Assert.False(s.ReasoningClosed);
        Assert.All(tokens, t => Assert.Equal(ReasoningPart.Answer, t.Part));
        Assert.Equal(3, s.AnswerTokens);
    }

    [Fact]
    public void Forced_and_never_closed_is_all_thinking_and_incomplete()
    {
        var (s, _) = Run(true, "Let", " me", " think", " about", " it");
        Assert.Equal("Let me think about it", s.Thinking);
        Assert.Equal("", s.Answer);
        Assert.True(s.ReasoningOpened);
        Assert.False(s.ReasoningClosed);
        Assert.Equal(5, s.ThinkingTokens);
        Assert.Equal(ReasoningPart.Thinking, s.CurrentPart);
    }

    [Fact]
    public void Closing_tag_split_over_pieces_is_held_back_then_removed()
    {
        var (s, tokens) = Run(true, "x = 1", "</th", "ink>", "\n\nOK");
        Assert.Equal("x = 1", s.Thinking);
        Assert.Equal("OK", s.Answer);
        Assert.Empty(tokens[1].Segments); // held: may be a tag
        Assert.Equal(ReasoningPart.Thinking, tokens[2].Part);
        Assert.DoesNotContain('<', s.Thinking + s.Answer);
    }

    [Theory]
    [InlineData("a|<|/|t|h|i|n|k|>|b")]
    [InlineData("a<|/think|>b")]
    [InlineData("a</|thi|nk>b")]
    [InlineData("a</think>b")]
    public void Closing_tag_split_anywhere_gives_the_same_parts(string barSeparatedPieces)
    {
        var pieces = barSeparatedPieces.Split('|');
        var (s, _) = Run(true, pieces);
        Assert.Equal("a", s.Thinking);
        Assert.Equal("b", s.Answer);
        Assert.True(s.ReasoningClosed);
    }

    [Fact]
    public void Opening_tag_split_over_pieces_without_forcing()
    {
        var (s, _) = Run(false, "<th", "ink>", "plan", "</think>", "result");
        Assert.Equal("plan", s.Thinking);
        Assert.Equal("result", s.Answer);
    }

    [Fact]
    public void Held_prefix_that_is_not_a_tag_is_released_as_text()
    {
        var (s, tokens) = Run(true, "if a </", "b then");
        Assert.Equal("if a </b then", s.Thinking);
        Assert.Equal("if a", tokens[0].ThinkingText); // "</" and the space before it held back
    }

    [Fact]
    public void Chain_cut_inside_a_possible_tag_releases_it_on_flush()
    {
        var splitter = new ReasoningSplitter(true);
        splitter.Push("compute 3 </th");
        var flushed = splitter.Flush();
        Assert.Equal("compute 3 </th", splitter.Thinking);
        Assert.False(splitter.ReasoningClosed);
        Assert.Contains(flushed, seg => seg.Part == ReasoningPart.Thinking && seg.Text == " </th");
        Assert.Empty(splitter.Flush());
        Assert.Throws<InvalidOperationException>(() => splitter.Push("more"));
    }

    [Fact]
    public void Empty_pieces_change_nothing()
    {
        var (s, tokens) = Run(true, "", "a", "", "</think>", "", "b");
        Assert.Equal("a", s.Thinking);
        Assert.Equal("b", s.Answer);
        Assert.Empty(tokens[0].Segments);
        Assert.Equal(ReasoningPart.Answer, tokens[4].Part);
    }

    [Fact]
    public void One_piece_with_whole_chain_and_answer()
    {
        var (s, tokens) = Run(false, "<think>\nshort\n</think>\n\nlong answer");
        Assert.Equal("short", s.Thinking);
        Assert.Equal("long answer", s.Answer);
        Assert.Equal(ReasoningPart.Thinking, tokens[0].Part);
        Assert.Equal(2, tokens[0].Segments.Count);
        Assert.Equal(1, s.ThinkingTokens);
        Assert.Equal(0, s.AnswerTokens);
    }

    [Fact]
    public void Tags_after_the_chain_closed_are_answer_text()
    {
        var (s, _) = Run(true, "t", "</think>", "Use <think> tags", " and </think> too.");
        Assert.Equal("Use <think> tags and </think> too.", s.Answer);
    }

    [Fact]
    public void Opening_tag_after_text_is_not_a_chain()
    {
        var (s, _) = Run(false, "Hello ", "<think>", " x");
        Assert.Equal("Hello <think> x", s.Answer);
        Assert.False(s.ReasoningOpened);
    }

    [Fact]
    public void Whitespace_inside_parts_is_kept_and_trailing_whitespace_is_dropped()
    {
        var (s, tokens) = Run(true, "\n", "line one", "\n\n", "line two", "\n", "</think>", "\n\n", "A", "\n", "B", "\n");
        Assert.Equal("line one\n\nline two", s.Thinking);
        Assert.Equal("A\nB", s.Answer);
        Assert.Empty(tokens[2].Segments); // "\n\n" held until more text follows
        Assert.Equal("\n\nline two", tokens[3].ThinkingText);
    }

    [Fact]
    public void Stray_closing_tag_without_forcing_turns_earlier_answer_into_thinking()
    {
        var (s, tokens) = Run(false, "Let me", " check.", "</think>", "\n\n42");
        Assert.Equal("Let me check.", s.Thinking);
        Assert.Equal("42", s.Answer);
        Assert.True(tokens[2].Reclassified);
        Assert.False(tokens[1].Reclassified);
        Assert.Equal(3, s.ThinkingTokens);
        Assert.Equal(1, s.AnswerTokens);
        Assert.True(s.ReasoningClosed);
    }

    [Fact]
    public void Immediately_closed_chain_gives_empty_thinking()
    {
        var (s, _) = Run(true, "</think>", "\n\nJust the answer.");
        Assert.Equal("", s.Thinking);
        Assert.Equal("Just the answer.", s.Answer);
        Assert.True(s.ReasoningClosed);
    }

    [Fact]
    public void Multibyte_text_passes_through_unchanged()
    {
        var (s, _) = Run(true, "鸡兔同笼", "，设鸡x只。", "</think>", "答案：鸡23只 🐔");
        Assert.Equal("鸡兔同笼，设鸡x只。", s.Thinking);
        Assert.Equal("答案：鸡23只 🐔", s.Answer);
    }

    [Fact]
    public void Answer_text_ending_in_a_lone_angle_bracket_is_released_by_flush()
    {
        var splitter = new ReasoningSplitter(false);
        var token = splitter.Push("a <");
        Assert.Equal("a", token.AnswerText);
        splitter.Flush();
        Assert.Equal("a <", splitter.Answer);
    }

    [Theory]
    [InlineData("<｜begin▁of▁sentence｜><｜User｜>2+2?<｜Assistant｜><think>\n", true)]
    [InlineData("<｜User｜>2+2?<｜Assistant｜><think>", true)]
    [InlineData("<｜begin▁of▁sentence｜><｜User｜>2+2?<｜Assistant｜>", false)]
    [InlineData("<｜User｜>What does </think> mean?<｜Assistant｜>", false)]
    [InlineData("", false)]
    public void Prompt_that_opens_the_chain_is_recognised(string prompt, bool opens)
    {
        Assert.Equal(opens, ReasoningSplitter.PromptOpensChain(prompt));
    }

    [Fact]
    public void Null_piece_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => new ReasoningSplitter(true).Push(null!));
    }
}
