using System.Text;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Reasoning;

namespace ReasonTools.Core.Remote;

/// <summary>Token counts and server-side timings a reply's last message may carry.</summary>
internal sealed record RemoteUsage
{
    public int? PromptTokens { get; init; }
    public int? CompletionTokens { get; init; }
    /// <summary>DeepSeek's completion_tokens_details.reasoning_tokens.</summary>
    public int? ReasoningTokens { get; init; }
    public double? LoadMs { get; init; }
    public double? PromptMs { get; init; }
    public double? GenerationMs { get; init; }
}

/// <summary>One parsed message of a stream, in protocol-neutral form.</summary>
internal sealed record RemoteDelta
{
    /// <summary>Reasoning text from a field of its own (reasoning_content, Ollama's thinking).</summary>
    public string? Reasoning { get; init; }
    /// <summary>Content text; it may hold inline &lt;think&gt; tags.</summary>
    public string? Content { get; init; }
    /// <summary>The server's finish reason, once given.</summary>
    public FinishReason? Finish { get; init; }
    public RemoteUsage? Usage { get; init; }
    /// <summary>The server said the stream is over ([DONE], Ollama's done).</summary>
    public bool Done { get; init; }
}

/// <summary>
/// Assembles a streamed remote reply into the same updates and <see cref="ReasonResult"/> a local run gives.
/// Pure apart from the times it is handed. Reasoning fields go to the chain directly; content goes through
/// <see cref="ReasoningSplitter"/>, so inline tags split across chunks are handled too.
/// </summary>
internal sealed class RemoteReply
{
    private readonly ReasoningSplitter _splitter = new(promptOpenedChain: false);
    private readonly StringBuilder _reasoning = new();
    private int _reasoningChunks;
    private bool _contentAfterReasoning;

    public double? FirstTokenMs { get; private set; }
    public double? FirstAnswerMs { get; private set; }
    public double? LastTokenMs { get; private set; }
    public FinishReason? Finish { get; private set; }
    public RemoteUsage? Usage { get; private set; }
    public bool Done { get; private set; }
    public bool Empty => FirstTokenMs is null;

    /// <summary>Takes one message; returns the token updates it releases.</summary>
    public List<ReasonUpdate> Add(RemoteDelta delta, double elapsedMs)
    {
        var updates = new List<ReasonUpdate>();
        if (!string.IsNullOrEmpty(delta.Reasoning))
        {
            // Leading whitespace of the chain is dropped, as the splitter drops it for inline chains.
            var text = _reasoning.Length == 0 ? delta.Reasoning.TrimStart() : delta.Reasoning;
            _reasoningChunks++;
            FirstTokenMs ??= elapsedMs;
            LastTokenMs = elapsedMs;
            if (text.Length > 0)
            {
                _reasoning.Append(text);
                updates.Add(new ReasonUpdate(ReasonUpdateKind.Token) { IsThinking = true, Text = text });
            }
        }
        if (!string.IsNullOrEmpty(delta.Content))
        {
            FirstTokenMs ??= elapsedMs;
            LastTokenMs = elapsedMs;
            if (_reasoningChunks > 0) _contentAfterReasoning = true;
            var classification = _splitter.Push(delta.Content);
            if (classification.Reclassified) FirstAnswerMs = null;
            Release(classification.Segments, elapsedMs, updates);
        }
        if (delta.Finish is not null) Finish = delta.Finish;
        if (delta.Usage is not null) Usage = Merge(Usage, delta.Usage);
        if (delta.Done) Done = true;
        return updates;
    }

    /// <summary>Ends the reply: releases text the splitter held back.</summary>
    public List<ReasonUpdate> Flush(double elapsedMs)
    {
        var updates = new List<ReasonUpdate>();
        Release(_splitter.Flush(), elapsedMs, updates);
        return updates;
    }

    private void Release(IReadOnlyList<TextSegment> segments, double elapsedMs, List<ReasonUpdate> updates)
    {
        foreach (var segment in segments)
        {
            if (segment.Text.Length == 0) continue;
            var thinking = segment.Part == ReasoningPart.Thinking;
            if (!thinking && FirstAnswerMs is null && !string.IsNullOrWhiteSpace(segment.Text)) FirstAnswerMs = elapsedMs;
            updates.Add(new ReasonUpdate(ReasonUpdateKind.Token) { IsThinking = thinking, Text = segment.Text });
        }
    }

    /// <summary>
    /// The result. Token counts come from the server's usage when it sent one (chunks only apportion them between
    /// chain and answer, unless the server counted reasoning tokens itself); otherwise each chunk counts as a token.
    /// Client-side generation time runs from the first to the last token; server-side timings win where given.
    /// </summary>
    public ReasonResult Build(ModelInfo model, ReasonRequest request, FinishReason finish, double totalMs, int estimatedPromptTokens, GenerationSettings settings)
    {
        var thinking = _reasoning.ToString().Trim();
        if (_splitter.Thinking.Length > 0) thinking = thinking.Length == 0 ? _splitter.Thinking : thinking + "\n\n" + _splitter.Thinking;
        var answer = _splitter.Answer;
        var chainChunks = _reasoningChunks + _splitter.ThinkingTokens;
        var answerChunks = _splitter.AnswerTokens;

        var generated = Usage?.CompletionTokens ?? chainChunks + answerChunks;
        int thinkingTokens;
        if (Usage?.ReasoningTokens is int counted) thinkingTokens = Math.Min(counted, generated);
        else if (chainChunks + answerChunks == 0) thinkingTokens = 0;
        else thinkingTokens = (int)Math.Round((double)generated * chainChunks / (chainChunks + answerChunks));

        var chainOpened = _reasoningChunks > 0 || _splitter.ReasoningOpened;
        var chainClosed = _reasoningChunks > 0 ? _contentAfterReasoning || _splitter.ReasoningClosed || finish == FinishReason.Stop : _splitter.ReasoningClosed;
        var generationMs = Usage?.GenerationMs ?? (FirstTokenMs is double first && LastTokenMs is double last ? last - first : 0);
        return new ReasonResult
        {
            Model = model,
            Prompt = request.Prompt,
            Thinking = thinking,
            Answer = answer,
            FinalAnswer = FinalAnswerExtractor.Extract(answer, thinking),
            Steps = ReasoningSteps.Segment(thinking),
            FinishReason = finish,
            // A model that shows no chain at all (GPT-4) and stopped by itself did not have its reasoning cut.
            ReasoningComplete = chainOpened ? chainClosed : finish == FinishReason.Stop,
            Timings = new ReasonTimings
            {
                LoadMs = Usage?.LoadMs,
                PromptTokens = Usage?.PromptTokens ?? estimatedPromptTokens,
                PromptMs = Usage?.PromptMs,
                PromptTokensPerSecond = Rate(Usage?.PromptTokens, Usage?.PromptMs),
                GeneratedTokens = generated,
                ThinkingTokens = thinkingTokens,
                AnswerTokens = generated - thinkingTokens,
                GenerationMs = generationMs,
                TokensPerSecond = Rate(generated, generationMs) ?? 0,
                TimeToFirstTokenMs = FirstTokenMs,
                TimeToFirstAnswerTokenMs = FirstAnswerMs,
                TotalMs = totalMs,
            },
            Settings = settings,
        };
    }

    private static double? Rate(int? tokens, double? ms) => tokens > 0 && ms > 0 ? tokens.Value * 1000.0 / ms.Value : null;

    private static RemoteUsage Merge(RemoteUsage? earlier, RemoteUsage later) => earlier is null ? later : new RemoteUsage
    {
        PromptTokens = later.PromptTokens ?? earlier.PromptTokens,
        CompletionTokens = later.CompletionTokens ?? earlier.CompletionTokens,
        ReasoningTokens = later.ReasoningTokens ?? earlier.ReasoningTokens,
        LoadMs = later.LoadMs ?? earlier.LoadMs,
        PromptMs = later.PromptMs ?? earlier.PromptMs,
        GenerationMs = later.GenerationMs ?? earlier.GenerationMs,
    };
}
