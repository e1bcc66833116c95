using ReasonTools.Core.Inference;
using ReasonTools.Core.Reasoning;
using ReasonTools.Core.Reasoning.Grading;

namespace ReasonTools.Core.Tests.Reasoning;

/// <summary>A whole R1-style reply through splitter, steps, extraction and grading, cut into token-like pieces.</summary>
public class ReasoningPipelineTests
{
    private const string Reply =
        "Okay, so I need to find how many chickens and rabbits there are. There are 25 heads and 76 legs.\n\n" +
        "Let me call the chickens $c$ and the rabbits $r$. Then $c + r = 25$ and $2c + 4r = 76$. " +
        "Multiplying the first equation by 2 gives $2c + 2r = 50$, and subtracting it from the second leaves $2r = 26$. " +
        "So $r = 13$ and $c = 12$, both whole numbers as they must be. Wait, let me double-check: $12 \\cdot 2 + 13 \\cdot 4 = 24 + 52 = 76$. Yes.\n\n" +
        "So the answer is 12 chickens, 13 rabbits.\n" +
        "</think>\n\n" +
        "We set up the system:\n\\[\n\\begin{cases} c + r = 25 \\\\ 2c + 4r = 76 \\end{cases}\n\\]\n" +
        "**Final Answer**\n\\[\n\\boxed{12 \\text{ chickens}, 13 \\text{ rabbits}}\n\\]";

    /// <summary>Cuts text into pieces of 1 to 5 characters, like a tokenizer would, deterministically.</summary>
    private static List<string> Pieces(string text, int seed)
    {
        var random = new Random(seed);
        var pieces = new List<string>();
        for (var i = 0; i < text.Length;)
        {
            var length = Math.Min(random.Next(1, 6), text.Length - i);
            pieces.Add(text.Substring(i, length));
            i += length;
        }
        return pieces;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Reply_cut_anywhere_gives_the_same_parts_steps_and_grade(int seed)
    {
        var splitter = new ReasoningSplitter(promptOpenedChain: true);
        foreach (var piece in Pieces(Reply, seed)) splitter.Push(piece);
        splitter.Flush();

        Assert.True(splitter.ReasoningClosed);
        Assert.StartsWith("Okay, so I need", splitter.Thinking);
        Assert.EndsWith("12 chickens, 13 rabbits.", splitter.Thinking);
        Assert.StartsWith("We set up the system:", splitter.Answer);
        Assert.DoesNotContain("think>", splitter.Thinking + splitter.Answer);

        var steps = ReasoningSteps.Segment(splitter.Thinking);
        Assert.Equal(4, steps.Count);
        Assert.StartsWith("Okay, so I need", steps[0]);
        Assert.StartsWith("Let me call", steps[1]);
        Assert.EndsWith("as they must be.", steps[1]); // "So $r" is no marker: only "So," is
        Assert.StartsWith("Wait, let me double-check", steps[2]);
        Assert.Equal("So the answer is 12 chickens, 13 rabbits.", steps[3]);

        var final = FinalAnswerExtractor.Extract(splitter.Answer, splitter.Thinking);
        Assert.Equal("12 \\text{ chickens}, 13 \\text{ rabbits}", final);
        Assert.True(AnswerGrader.Grade(final, "12 chickens, 13 rabbits", GraderKind.Text).Correct);
        Assert.False(AnswerGrader.Grade(final, "13 chickens, 12 rabbits", GraderKind.Text).Correct);
    }

    [Fact]
    public void Chain_cut_by_the_token_limit_is_graded_wrong_and_says_why()
    {
        var cut = Reply[..Reply.IndexOf("So the answer", StringComparison.Ordinal)];
        var splitter = new ReasoningSplitter(promptOpenedChain: true);
        foreach (var piece in Pieces(cut, 9)) splitter.Push(piece);
        splitter.Flush();

        Assert.False(splitter.ReasoningClosed);
        Assert.Equal("", splitter.Answer);
        var final = FinalAnswerExtractor.Extract(splitter.Answer, splitter.Thinking);
        Assert.Null(final);
        var grade = AnswerGrader.Grade(final, "12 chickens, 13 rabbits", GraderKind.Text, FinishReason.Length, splitter.ReasoningClosed);
        Assert.False(grade.Correct);
        Assert.Equal("no final answer: the token limit cut the reasoning chain before </think>", grade.Reason);
    }

    [Fact]
    public void Model_that_skips_thinking_with_an_empty_chain()
    {
        var splitter = new ReasoningSplitter(promptOpenedChain: false);
        foreach (var piece in new[] { "<think>", "\n\n", "</think>", "\n\n", "The answer is ", "$\\boxed{4}$" }) splitter.Push(piece);
        splitter.Flush();
        Assert.True(splitter.ReasoningOpened);
        Assert.True(splitter.ReasoningClosed);
        Assert.Equal("", splitter.Thinking);
        Assert.Empty(ReasoningSteps.Segment(splitter.Thinking));
        Assert.Equal("4", FinalAnswerExtractor.Extract(splitter.Answer, splitter.Thinking));
    }
}
