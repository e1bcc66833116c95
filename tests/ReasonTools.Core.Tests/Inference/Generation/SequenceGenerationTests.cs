using System.Text;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Inference.Generation;
using ReasonTools.Core.Reasoning;

namespace ReasonTools.Core.Tests.Inference.Generation;

/// <summary>The parts of a generation that decide, without a model: text assembly, stopping, the result.</summary>
public sealed class SequenceGenerationTests
{
    private const string OpenedPrompt = "<｜User｜>q<｜Assistant｜><think>\n";

    [Fact]
    public void A_character_split_over_tokens_comes_out_whole_once_its_last_byte_arrives()
    {
        var assembler = new Utf8PieceAssembler();
        var sqrt = Encoding.UTF8.GetBytes("√");

        Assert.Equal("", assembler.Push(sqrt.AsSpan(0, 1)));
        Assert.Equal("", assembler.Push(sqrt.AsSpan(1, 1)));
        Assert.Equal("√2", assembler.Push([sqrt[2], (byte)'2']));
    }

    [Fact]
    public void Chain_and_answer_are_told_apart_and_the_first_answer_time_is_the_first_visible_answer_text()
    {
        var sequence = new SequenceGeneration(OpenedPrompt, maxTokens: 100, detectLoops: false);

        Assert.Equal(ReasoningPart.Thinking, Assert.Single(sequence.Accept(1, false, "hmm", 5)).Part);
        sequence.Accept(2, false, "</think>", 6);
        sequence.Accept(3, false, "\n\n", 7);
        Assert.Equal(ReasoningPart.Answer, Assert.Single(sequence.Accept(4, false, "5", 8)).Part);
        Assert.Empty(sequence.Accept(5, true, "", 9));

        Assert.Equal(FinishReason.Stop, sequence.Finish);
        Assert.Equal(5, sequence.FirstTokenMs);
        Assert.Equal(8, sequence.FirstAnswerMs);
        Assert.Equal(4, sequence.Generated);
        Assert.True(sequence.ReasoningComplete);
        Assert.Equal("5", sequence.Answer.Trim());
    }

    [Fact]
    public void The_token_limit_ends_the_sequence_with_length_and_more_tokens_are_refused()
    {
        var sequence = new SequenceGeneration(OpenedPrompt, maxTokens: 2, detectLoops: false);
        sequence.Accept(1, false, "a", 1);
        Assert.Null(sequence.Finish);
        sequence.Accept(2, false, "b", 2);

        Assert.Equal(FinishReason.Length, sequence.Finish);
        Assert.Throws<InvalidOperationException>(() => sequence.Accept(3, false, "c", 3));
    }

    [Fact]
    public void A_chain_repeating_one_span_stops_as_a_loop_but_cancelling_later_keeps_that_reason()
    {
        var sequence = new SequenceGeneration(OpenedPrompt, maxTokens: 10_000, detectLoops: true);
        for (var i = 0; sequence.Finish is null && i < 5_000; i++) sequence.Accept(100 + i % 7, false, $" w{i % 7}", i);

        Assert.Equal(FinishReason.Loop, sequence.Finish);
        sequence.Cancel();
        Assert.Equal(FinishReason.Loop, sequence.Finish);
    }

    [Fact]
    public void The_result_carries_the_measures_and_rates_of_the_sequence()
    {
        var sequence = new SequenceGeneration(OpenedPrompt, maxTokens: 10, detectLoops: false);
        sequence.Accept(1, false, "x</think>The answer is \\boxed{7}.", 3);
        sequence.Accept(2, true, "", 4);
        var measures = new GenerationMeasures { LoadMs = 12, PromptTokens = 20, ReusedPromptTokens = 15, PromptEvaluated = 5, PromptMs = 10, Evaluated = 1, EvaluationMs = 4, TotalMs = 30 };
        var settings = new GenerationSettings(0.6f, 0.95f, 1, 128, 1, 0, 10);

        var result = GenerationResult.Build(new ModelInfo("m", null, null, null, null, null), new ReasonRequest { Prompt = "q" }, sequence, measures, settings);

        Assert.Equal("7", result.FinalAnswer);
        Assert.Equal(15, result.Timings.ReusedPromptTokens);
        Assert.Equal(500, result.Timings.PromptTokensPerSecond);
        Assert.Equal(250, result.Timings.TokensPerSecond);
        Assert.Equal(FinishReason.Stop, result.FinishReason);
        Assert.Null(GenerationResult.Rate(0, 5));
    }
}
