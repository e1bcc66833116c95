using ReasonTools.Core.Reasoning;

namespace ReasonTools.Core.Inference.Generation;

/// <summary>
/// What one sequence has generated so far and whether it must stop: the chain and the answer apart, the token
/// count against its limit, loop detection and the times of the first token and the first answer token.
/// Pure: the engine samples and decodes, this decides; one instance per sequence of a batch.
/// </summary>
public sealed class SequenceGeneration
{
    private readonly ReasoningSplitter _splitter;
    private readonly LoopDetector? _loops;

    /// <param name="renderedPrompt">The exact prompt text (whether it opened the chain decides the first part).</param>
    /// <param name="maxTokens">Most tokens to generate (at least 1).</param>
    /// <param name="detectLoops">Stop a chain that keeps repeating itself.</param>
    public SequenceGeneration(string renderedPrompt, int maxTokens, bool detectLoops)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        _splitter = new ReasoningSplitter(ReasoningSplitter.PromptOpensChain(renderedPrompt));
        _loops = detectLoops ? new LoopDetector() : null;
        MaxTokens = maxTokens;
    }

    public int MaxTokens { get; }
    /// <summary>Why the sequence ended; null while it goes on.</summary>
    public FinishReason? Finish { get; private set; }
    /// <summary>Tokens generated (the end-of-generation token not counted).</summary>
    public int Generated { get; private set; }
    public double? FirstTokenMs { get; private set; }
    public double? FirstAnswerMs { get; private set; }
    public string Thinking => _splitter.Thinking;
    public string Answer => _splitter.Answer;
    public int ThinkingTokens => _splitter.ThinkingTokens;
    public int AnswerTokens => _splitter.AnswerTokens;
    public bool ReasoningComplete => _splitter.ReasoningClosed;

    /// <summary>
    /// Takes one sampled token with its visible text, at <paramref name="elapsedMs"/> since the request began.
    /// Returns the non-empty text segments to stream; afterwards <see cref="Finish"/> says whether to stop.
    /// </summary>
    public IReadOnlyList<TextSegment> Accept(int token, bool endOfGeneration, string text, double elapsedMs)
    {
        if (Finish is not null) throw new InvalidOperationException("The sequence has already finished.");
        FirstTokenMs ??= elapsedMs;
        if (endOfGeneration)
        {
            Finish = FinishReason.Stop;
            return [];
        }
        Generated++;
        var segments = new List<TextSegment>(2);
        foreach (var segment in _splitter.Push(text).Segments)
        {
            if (segment.Text.Length == 0) continue;
            if (segment.Part == ReasoningPart.Answer && FirstAnswerMs is null && !string.IsNullOrWhiteSpace(segment.Text))
                FirstAnswerMs = elapsedMs;
            segments.Add(segment);
        }
        // A repeated answer is left alone: only a chain that never gets to its answer is cut.
        if (_loops is not null && _loops.Push(token) && !_splitter.ReasoningClosed) Finish = FinishReason.Loop;
        else if (Generated >= MaxTokens) Finish = FinishReason.Length;
        return segments;
    }

    /// <summary>Marks the sequence cancelled unless it had already finished.</summary>
    public void Cancel() => Finish ??= FinishReason.Cancelled;

    /// <summary>Text the splitter still held (a partial tag at the end), as non-empty segments.</summary>
    public IReadOnlyList<TextSegment> Flush() => _splitter.Flush().Where(s => s.Text.Length > 0).ToList();
}
