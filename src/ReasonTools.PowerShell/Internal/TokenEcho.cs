namespace ReasonTools.PowerShell.Internal;

/// <summary>A piece of text for the host, dim when it belongs to the reasoning chain.</summary>
internal readonly record struct EchoSegment(string Text, bool Dim);

/// <summary>
/// Decides what -Stream and -ShowThinking write to the host as tokens arrive (pure): thinking only with
/// -ShowThinking, the answer only with -Stream, a blank line between the two parts, and a final newline.
/// </summary>
internal sealed class TokenEcho(bool streamAnswer, bool showThinking)
{
    private bool _wroteThinking;
    private bool _wroteAnswer;
    private bool _endsWithNewline = true;

    /// <summary>True when nothing would ever be written.</summary>
    public bool IsSilent => !streamAnswer && !showThinking;

    /// <summary>The segments to write for one token's text.</summary>
    public IEnumerable<EchoSegment> Token(bool isThinking, string text)
    {
        if (text.Length == 0) yield break;
        if (isThinking)
        {
            if (!showThinking) yield break;
            if (!_wroteThinking) text = text.TrimStart('\n');
            if (text.Length == 0) yield break;
            _wroteThinking = true;
            yield return Remember(new EchoSegment(text, Dim: true));
            yield break;
        }
        if (!streamAnswer) yield break;
        if (!_wroteAnswer)
        {
            text = text.TrimStart('\n');
            if (text.Length == 0) yield break;
            if (_wroteThinking) yield return Remember(new EchoSegment(_endsWithNewline ? "\n" : "\n\n", Dim: false));
        }
        _wroteAnswer = true;
        yield return Remember(new EchoSegment(text, Dim: false));
    }

    /// <summary>What ends the echo so the next prompt starts on its own line.</summary>
    public IEnumerable<EchoSegment> Finish()
    {
        if ((_wroteThinking || _wroteAnswer) && !_endsWithNewline) yield return Remember(new EchoSegment("\n", Dim: false));
    }

    private EchoSegment Remember(EchoSegment segment)
    {
        _endsWithNewline = segment.Text.EndsWith('\n');
        return segment;
    }
}
