using ReasonTools.Core.Reasoning;

namespace ReasonTools.Core.Inference.Generation;

/// <summary>What the engine measured for one sequence, besides what the sequence itself knows.</summary>
public sealed record GenerationMeasures
{
    public double? LoadMs { get; init; }
    public int PromptTokens { get; init; }
    /// <summary>Prompt tokens already in the KV cache from an earlier request, not decoded again.</summary>
    public int ReusedPromptTokens { get; init; }
    /// <summary>Prompt tokens decoded and the time that took (llama.cpp's perf counters).</summary>
    public int PromptEvaluated { get; init; }
    public double PromptMs { get; init; }
    /// <summary>Generated tokens decoded and the time that took.</summary>
    public int Evaluated { get; init; }
    public double EvaluationMs { get; init; }
    public double TotalMs { get; init; }
}

/// <summary>Builds the result of one finished sequence (pure).</summary>
public static class GenerationResult
{
    public static ReasonResult Build(ModelInfo model, ReasonRequest request, SequenceGeneration sequence, GenerationMeasures measures, GenerationSettings settings) => new()
    {
        Model = model,
        Prompt = request.Prompt,
        Thinking = sequence.Thinking,
        Answer = sequence.Answer,
        FinalAnswer = FinalAnswerExtractor.Extract(sequence.Answer, sequence.Thinking),
        Steps = ReasoningSteps.Segment(sequence.Thinking),
        FinishReason = sequence.Finish ?? FinishReason.Stop,
        ReasoningComplete = sequence.ReasoningComplete,
        Timings = new ReasonTimings
        {
            LoadMs = measures.LoadMs,
            PromptTokens = measures.PromptTokens,
            ReusedPromptTokens = measures.ReusedPromptTokens,
            PromptMs = measures.PromptMs,
            PromptTokensPerSecond = Rate(measures.PromptEvaluated, measures.PromptMs),
            GeneratedTokens = sequence.Generated,
            ThinkingTokens = sequence.ThinkingTokens,
            AnswerTokens = sequence.AnswerTokens,
            GenerationMs = measures.EvaluationMs,
            TokensPerSecond = Rate(measures.Evaluated, measures.EvaluationMs) ?? 0,
            TimeToFirstTokenMs = sequence.FirstTokenMs,
            TimeToFirstAnswerTokenMs = sequence.FirstAnswerMs,
            TotalMs = measures.TotalMs,
        },
        Settings = settings,
    };

    /// <summary>Tokens per second; null when nothing was measured.</summary>
    public static double? Rate(int tokens, double ms) => tokens > 0 && ms > 0 ? tokens * 1000.0 / ms : null;
}
