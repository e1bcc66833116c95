using System.Text;

namespace ReasonTools.Core.Reasoning;

/// <summary>Which part of a reply a piece of generated text belongs to.</summary>
public enum ReasoningPart
{
    /// <summary>The reasoning chain between <c>&lt;think&gt;</c> and <c>&lt;/think&gt;</c>.</summary>
    Thinking,
    /// <summary>The answer after the chain (or the whole reply when there is no chain).</summary>
    Answer,
}

/// <summary>Text that became visible in one part while a token was pushed.</summary>
public readonly record struct TextSegment(ReasoningPart Part, string Text);

/// <summary>What one pushed token turned out to be.</summary>
/// <param name="Part">The part the token counts towards. A token that carries <c>&lt;/think&gt;</c> counts as thinking.</param>
/// <param name="Segments">
/// Text released by this token, in order; empty while a possible tag is held back. Concatenating all segments
/// of one part over a generation gives exactly <see cref="ReasoningSplitter.Thinking"/> or <see cref="ReasoningSplitter.Answer"/>.
/// </param>
/// <param name="Reclassified">
/// True when a <c>&lt;/think&gt;</c> arrived although no chain was open (the prompt opened it but the splitter was told
/// it did not): everything released so far as answer is thinking after all. A live display should redraw.
/// </param>
public readonly record struct TokenClassification(ReasoningPart Part, IReadOnlyList<TextSegment> Segments, bool Reclassified = false)
{
    /// <summary>The thinking text this token released (empty when none).</summary>
    public string ThinkingText => Join(ReasoningPart.Thinking);

    /// <summary>The answer text this token released (empty when none).</summary>
    public string AnswerText => Join(ReasoningPart.Answer);

    private string Join(ReasoningPart part)
    {
        if (Segments is null) return "";
        var text = "";
        foreach (var segment in Segments)
            if (segment.Part == part) text += segment.Text;
        return text;
    }
}

/// <summary>
/// Splits a streamed DeepSeek-R1 reply into its reasoning chain and its answer, token by token.
/// </summary>
/// <remarks>
/// <para>Tags are recognised where R1 puts them: an opening <c>&lt;think&gt;</c> only at the start of the output
/// (after whitespace), and the first <c>&lt;/think&gt;</c> after it. Text after the chain closed is answer,
/// tags included: a reply that talks about tags keeps its words.</para>
/// <para>A tag may arrive split over several pieces ("&lt;/th" + "ink&gt;"); a possible tag prefix is held back
/// until it is decided, so tag characters never reach either part. Whitespace at either end of a part is dropped
/// (trailing whitespace is held until more text follows), so the segments of a part add up to the trimmed part.</para>
/// <para>Create one splitter per generation; it is not thread-safe.</para>
/// </remarks>
public sealed class ReasoningSplitter
{
    private const string OpenTag = "<think>";
    private const string CloseTag = "</think>";

    private enum Phase
    {
        /// <summary>Only whitespace so far: an opening tag may still come.</summary>
        Start,
        /// <summary>Inside the chain, waiting for the closing tag.</summary>
        Thinking,
        /// <summary>No chain was opened; a stray closing tag would make everything so far thinking.</summary>
        AnswerWithoutChain,
        /// <summary>The chain closed; everything is answer text.</summary>
        AnswerAfterChain,
    }

    private readonly bool _forcedOpen;
    private readonly StringBuilder _pending = new();
    private readonly StringBuilder _thinking = new();
    private readonly StringBuilder _answer = new();
    private string _heldWhitespace = "";
    private Phase _phase = Phase.Start;
    private bool _flushed;

    /// <param name="promptOpenedChain">
    /// True when the prompt already ends with <c>&lt;think&gt;</c> (R1 distill templates end with
    /// <c>&lt;｜Assistant｜&gt;&lt;think&gt;\n</c>), so the output starts inside the chain.
    /// </param>
    public ReasoningSplitter(bool promptOpenedChain)
    {
        _forcedOpen = promptOpenedChain;
    }

    /// <summary>
    /// True when a rendered prompt leaves the chain open (ends with <c>&lt;think&gt;</c>, whitespace after it allowed),
    /// as the updated R1 distill templates do: pass the result to the constructor.
    /// </summary>
    public static bool PromptOpensChain(string renderedPrompt)
    {
        ArgumentNullException.ThrowIfNull(renderedPrompt);
        return renderedPrompt.TrimEnd().EndsWith(OpenTag, StringComparison.Ordinal);
    }

    /// <summary>The part the next text goes to.</summary>
    public ReasoningPart CurrentPart => _phase switch
    {
        Phase.Start => _forcedOpen ? ReasoningPart.Thinking : ReasoningPart.Answer,
        Phase.Thinking => ReasoningPart.Thinking,
        _ => ReasoningPart.Answer,
    };

    /// <summary>True once a chain was opened, by the prompt or by a <c>&lt;think&gt;</c> in the output.</summary>
    public bool ReasoningOpened { get; private set; }

    /// <summary>True once <c>&lt;/think&gt;</c> arrived: the chain is complete.</summary>
    public bool ReasoningClosed { get; private set; }

    /// <summary>The reasoning chain so far, without tags and surrounding whitespace. Builds a new string on each call.</summary>
    public string Thinking => _thinking.ToString();

    /// <summary>The answer so far, without leading whitespace. Builds a new string on each call.</summary>
    public string Answer => _answer.ToString();

    /// <summary>Tokens counted towards the chain (including the one that closed it).</summary>
    public int ThinkingTokens { get; private set; }

    /// <summary>Tokens counted towards the answer.</summary>
    public int AnswerTokens { get; private set; }

    /// <summary>Classifies the next generated token from its decoded text (may be empty or several characters).</summary>
    /// <exception cref="InvalidOperationException">After <see cref="Flush"/>.</exception>
    public TokenClassification Push(string pieceText)
    {
        ArgumentNullException.ThrowIfNull(pieceText);
        if (_flushed)
            throw new InvalidOperationException("The splitter was flushed at the end of a generation; create a new one for the next.");

        if (_phase == Phase.Start && _forcedOpen) ReasoningOpened = true;
        _pending.Append(pieceText);
        var segments = new List<TextSegment>();
        var result = Process(segments, flushing: false);
        var part = result.ClosedChain ? ReasoningPart.Thinking : CurrentPart;
        if (part == ReasoningPart.Thinking) ThinkingTokens++;
        else AnswerTokens++;
        return new TokenClassification(part, segments, result.Reclassified);
    }

    /// <summary>
    /// Ends the generation (token limit, end of text, cancellation): releases held-back text into the current part.
    /// Calling it again returns nothing.
    /// </summary>
    public IReadOnlyList<TextSegment> Flush()
    {
        if (_flushed) return [];
        _flushed = true;
        if (_phase == Phase.Start && _forcedOpen) ReasoningOpened = true;
        var segments = new List<TextSegment>();
        Process(segments, flushing: true);
        _heldWhitespace = "";
        return segments;
    }

    private readonly record struct StepResult(bool ClosedChain, bool Reclassified);

    private StepResult Process(List<TextSegment> segments, bool flushing)
    {
        var closed = false;
        var reclassified = false;
        while (_pending.Length > 0)
        {
            switch (_phase)
            {
                case Phase.Start:
                {
                    var firstText = 0;
                    while (firstText < _pending.Length && char.IsWhiteSpace(_pending[firstText])) firstText++;
                    _pending.Remove(0, firstText);
                    if (_pending.Length == 0) return new(closed, reclassified);
                    if (StartsWith(_pending, OpenTag))
                    {
                        _pending.Remove(0, OpenTag.Length);
                        ReasoningOpened = true;
                        _phase = Phase.Thinking;
                        continue;
                    }
                    if (!flushing && (IsProperPrefixOf(_pending, OpenTag) || IsProperPrefixOf(_pending, CloseTag)))
                        return new(closed, reclassified);
                    _phase = _forcedOpen ? Phase.Thinking : Phase.AnswerWithoutChain;
                    continue;
                }
                case Phase.Thinking:
                {
                    var tagAt = IndexOf(_pending, CloseTag);
                    if (tagAt >= 0)
                    {
                        Emit(segments, ReasoningPart.Thinking, _pending.ToString(0, tagAt));
                        _pending.Remove(0, tagAt + CloseTag.Length);
                        _heldWhitespace = "";
                        ReasoningClosed = true;
                        closed = true;
                        _phase = Phase.AnswerAfterChain;
                        continue;
                    }
                    EmitAllButPossibleTag(segments, ReasoningPart.Thinking, flushing);
                    return new(closed, reclassified);
                }
                case Phase.AnswerWithoutChain:
                {
                    var tagAt = IndexOf(_pending, CloseTag);
                    if (tagAt >= 0)
                    {
                        // The prompt opened the chain after all: what looked like answer was thinking.
                        Emit(segments, ReasoningPart.Answer, _pending.ToString(0, tagAt));
                        _pending.Remove(0, tagAt + CloseTag.Length);
                        MoveAnswerToThinking(segments);
                        ReasoningOpened = true;
                        ReasoningClosed = true;
                        closed = true;
                        reclassified = true;
                        _phase = Phase.AnswerAfterChain;
                        continue;
                    }
                    EmitAllButPossibleTag(segments, ReasoningPart.Answer, flushing);
                    return new(closed, reclassified);
                }
                default:
                    Emit(segments, ReasoningPart.Answer, _pending.ToString());
                    _pending.Clear();
                    return new(closed, reclassified);
            }
        }
        return new(closed, reclassified);
    }

    private void MoveAnswerToThinking(List<TextSegment> segments)
    {
        _thinking.Append(_answer);
        _answer.Clear();
        _heldWhitespace = "";
        ThinkingTokens += AnswerTokens;
        AnswerTokens = 0;
        for (var i = 0; i < segments.Count; i++)
            if (segments[i].Part == ReasoningPart.Answer)
                segments[i] = segments[i] with { Part = ReasoningPart.Thinking };
    }

    /// <summary>Releases pending text except a trailing prefix of the closing tag (all of it when flushing).</summary>
    private void EmitAllButPossibleTag(List<TextSegment> segments, ReasoningPart part, bool flushing)
    {
        var keep = flushing ? 0 : LongestSuffixThatPrefixes(_pending, CloseTag);
        Emit(segments, part, _pending.ToString(0, _pending.Length - keep));
        _pending.Remove(0, _pending.Length - keep);
    }

    /// <summary>Appends text to a part, dropping leading whitespace of the part and holding trailing whitespace.</summary>
    private void Emit(List<TextSegment> segments, ReasoningPart part, string text)
    {
        if (text.Length == 0) return;
        var target = part == ReasoningPart.Thinking ? _thinking : _answer;
        var body = _heldWhitespace + text;
        if (target.Length == 0) body = body.TrimStart();
        var trimmed = body.TrimEnd();
        _heldWhitespace = body[trimmed.Length..];
        if (trimmed.Length == 0) return;
        target.Append(trimmed);
        if (segments.Count > 0 && segments[^1].Part == part)
            segments[^1] = segments[^1] with { Text = segments[^1].Text + trimmed };
        else
            segments.Add(new TextSegment(part, trimmed));
    }

    private static bool StartsWith(StringBuilder text, string value)
    {
        if (text.Length < value.Length) return false;
        for (var i = 0; i < value.Length; i++)
            if (text[i] != value[i]) return false;
        return true;
    }

    private static bool IsProperPrefixOf(StringBuilder text, string value)
    {
        if (text.Length >= value.Length) return false;
        for (var i = 0; i < text.Length; i++)
            if (text[i] != value[i]) return false;
        return true;
    }

    private static int IndexOf(StringBuilder text, string value)
    {
        for (var start = 0; start + value.Length <= text.Length; start++)
        {
            var i = 0;
            while (i < value.Length && text[start + i] == value[i]) i++;
            if (i == value.Length) return start;
        }
        return -1;
    }

    /// <summary>Length of the longest end of <paramref name="text"/> that is a proper prefix of <paramref name="tag"/>.</summary>
    private static int LongestSuffixThatPrefixes(StringBuilder text, string tag)
    {
        for (var length = Math.Min(tag.Length - 1, text.Length); length > 0; length--)
        {
            var start = text.Length - length;
            var i = 0;
            while (i < length && text[start + i] == tag[i]) i++;
            if (i == length) return length;
        }
        return 0;
    }
}
