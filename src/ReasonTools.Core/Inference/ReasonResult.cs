using System.Globalization;
using System.Text.Json.Serialization;
using ReasonTools.Core;
using ReasonTools.Core.Models;

namespace ReasonTools.Core.Inference;

/// <summary>Why a generation ended.</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<FinishReason>))]
public enum FinishReason
{
    /// <summary>The model produced its end-of-generation token.</summary>
    Stop,
    /// <summary>The token limit was reached.</summary>
    Length,
    /// <summary>The caller cancelled.</summary>
    Cancelled,
    /// <summary>The loop detector stopped a chain that kept repeating itself.</summary>
    Loop,
}

/// <summary>The model a result came from (ARCHITECTURE.md: <c>model</c>).</summary>
public sealed record ModelInfo(
    string Name,
    string? Path,
    string? Architecture,
    long? Parameters,
    string? Quantization,
    long? FileSizeBytes)
{
    /// <summary>"DeepSeek-R1-Distill-Qwen-1.5B (Q4_K_M, 1.1 GB)": how a list or a nested view prints it.</summary>
    public override string ToString()
    {
        var parts = new[] { Quantization, FileSizeBytes is { } bytes ? MessageUnits.Gb(bytes) : null }.Where(p => !string.IsNullOrEmpty(p)).ToList();
        return parts.Count == 0 ? Name : $"{Name} ({string.Join(", ", parts)})";
    }
}

/// <summary>Sampling and runtime settings a result was produced with.</summary>
public sealed record GenerationSettings(
    float Temperature,
    float TopP,
    uint Seed,
    int ContextSize,
    int Threads,
    int GpuLayers,
    int MaxTokens)
{
    /// <summary>"temperature 0.6, top-p 0.95, seed 42, context 4,096, 8 threads, 0 GPU layers, max tokens 2,048".</summary>
    public override string ToString() => string.Format(CultureInfo.InvariantCulture,
        "temperature {0}, top-p {1}, seed {2}, context {3:N0}, {4} thread{5}, {6} GPU layer{7}, max tokens {8:N0}",
        Temperature, TopP, Seed, ContextSize, Threads, Threads == 1 ? "" : "s", GpuLayers, GpuLayers == 1 ? "" : "s", MaxTokens);

    /// <summary>Why <see cref="Threads"/> threads: set, every core, or a share of the cores with other generations; null for remote models.</summary>
    public ThreadChoice? ThreadChoice { get; init; }
}

/// <summary>
/// Timings measured the way llama.cpp's perf counters measure them. Fields a client cannot know
/// (a remote model's load or prompt time) are null.
/// </summary>
public sealed record ReasonTimings
{
    /// <summary>0 when the model was already resident (see <see cref="Resident"/>).</summary>
    public double? LoadMs { get; init; }
    /// <summary>True when the model was already loaded by the process's model host, so nothing was loaded for this request.</summary>
    public bool Resident { get; init; }
    public int PromptTokens { get; init; }
    /// <summary>Prompt tokens found in the KV cache from the previous request of a conversation and not decoded again.</summary>
    public int ReusedPromptTokens { get; init; }
    public double? PromptMs { get; init; }
    public double? PromptTokensPerSecond { get; init; }
    public int GeneratedTokens { get; init; }
    public int ThinkingTokens { get; init; }
    public int AnswerTokens { get; init; }
    public double GenerationMs { get; init; }
    public double TokensPerSecond { get; init; }
    /// <summary>From the start of the request to the first generated token (prompt processing included).</summary>
    public double? TimeToFirstTokenMs { get; init; }
    /// <summary>From the start of the request to the first token of the answer (after the reasoning chain).</summary>
    public double? TimeToFirstAnswerTokenMs { get; init; }
    public double TotalMs { get; init; }
    /// <summary>The draft of speculative decoding (a model's name, or "ngram"); null when decoding was plain.</summary>
    public string? DraftModel { get; init; }
    /// <summary>Tokens the draft proposed and the model verified; null without a draft.</summary>
    public int? DraftedTokens { get; init; }
    /// <summary>Proposed tokens the model kept; null without a draft.</summary>
    public int? AcceptedDraftTokens { get; init; }

    /// <summary>"27 thinking + 7 answer tokens at 30.1 tokens/s, prompt 20 tokens, first answer token 1.2 s, total 1.5 s".</summary>
    public override string ToString()
    {
        var c = CultureInfo.InvariantCulture;
        var firstAnswer = TimeToFirstAnswerTokenMs is { } ms ? (ms / 1000).ToString("0.0 s", c) : "none";
        return string.Format(c, "{0:N0} thinking + {1:N0} answer token{2} at {3:0.0} tokens/s, prompt {4:N0} token{5}, first answer token {6}, total {7:0.0} s",
            ThinkingTokens, AnswerTokens, ThinkingTokens + AnswerTokens == 1 ? "" : "s", TokensPerSecond, PromptTokens, PromptTokens == 1 ? "" : "s", firstAnswer, TotalMs / 1000);
    }
}

/// <summary>One question answered by one model: the reasoning chain and the answer apart, with timings.</summary>
public sealed record ReasonResult
{
    public required ModelInfo Model { get; init; }
    public required string Prompt { get; init; }
    /// <summary>The earlier turns this answer followed (empty for a first question); <see cref="Conversation.After"/> continues it.</summary>
    public IReadOnlyList<ConversationTurn> History { get; init; } = [];
    public required string Thinking { get; init; }
    public required string Answer { get; init; }
    /// <summary>The extracted final answer (<c>\boxed{}</c> or an "Answer:" line); null when there is none.</summary>
    public string? FinalAnswer { get; init; }
    /// <summary><see cref="FinalAnswer"/> as plain text (LaTeX and markdown turned into what they say), for people to read.</summary>
    public string? FinalAnswerText => FinalAnswer is null ? null : Reasoning.FinalAnswerExtractor.PlainText(FinalAnswer);
    public IReadOnlyList<string> Steps { get; init; } = [];
    public FinishReason FinishReason { get; init; }
    /// <summary>False when <c>&lt;/think&gt;</c> never came.</summary>
    public bool ReasoningComplete { get; init; }
    public required ReasonTimings Timings { get; init; }
    public required GenerationSettings Settings { get; init; }
}
