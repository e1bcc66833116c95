using System.Globalization;
using ReasonTools.Core.Inference;
using ReasonTools.Reports;

namespace ReasonTools.Cli;

/// <summary>
/// Terminal rendering of a run: the reasoning chain on stderr (dimmed on a terminal), the answer on stdout,
/// so <c>reason run … &gt; answer.txt</c> keeps only the answer. Timings go to stderr; on a terminal one status line
/// says what is happening (loading with a bar, the prompt with tokens done / total and the rate, thinking tokens
/// while the chain is hidden); redirected, there is no status line.
/// </summary>
internal sealed class StreamView(TextWriter stdout, TextWriter stderr, bool showThinking, bool quiet)
{
    // Thinking tokens between two status lines while the chain is hidden.
    private const int ThinkingStep = 8;

    private readonly bool _color = CliConsole.IsTerminal(stderr) && Environment.GetEnvironmentVariable("NO_COLOR") is null;
    private readonly bool _statusLine = !quiet && CliConsole.IsTerminal(stderr);
    private bool _inThinking;
    private bool _progressShown;
    private string? _shownStatus;

    public void OnUpdate(ReasonUpdate update)
    {
        switch (update.Kind)
        {
            case ReasonUpdateKind.LoadProgress or ReasonUpdateKind.PromptProgress when _statusLine && update.Phase is { } phase:
                ShowStatus(PhaseText.Line(phase));
                break;
            case ReasonUpdateKind.Stage when !quiet:
                ClearProgress();
                EndThinking();
                stderr.WriteLine($"[{TerminalText.Clean(update.Text)}]");
                break;
            case ReasonUpdateKind.Token when !quiet:
                if (update.IsThinking)
                {
                    if (!showThinking)
                    {
                        if (_statusLine && update.Phase is { } thinking && thinking.Done % ThinkingStep == 1) ShowStatus(PhaseText.Line(thinking));
                        break;
                    }
                    ClearProgress();
                    if (!_inThinking) { stderr.Write(_color ? "\x1b[2m" : "<think>\n"); _inThinking = true; }
                    stderr.Write(TerminalText.Clean(update.Text));
                }
                else
                {
                    ClearProgress();
                    EndThinking();
                    stdout.Write(TerminalText.Clean(update.Text));
                }
                break;
        }
    }

    /// <summary>The end of a run, finished or not: the status line cleared, dimming reset, and with <paramref name="timings"/> the summary line (chat prints it on /show timings).</summary>
    public void Finish(ReasonResult result, bool timings = true)
    {
        if (quiet) return;
        Abandon();
        stdout.WriteLine();
        stdout.Flush();
        if (!timings) return;
        // The answer above is the model's own text (markdown, LaTeX); this is what it says, in plain words.
        if (!string.IsNullOrEmpty(result.FinalAnswerText)) stderr.WriteLine("Final answer: " + TerminalText.Clean(result.FinalAnswerText));
        stderr.WriteLine(TimingLine(result));
        if (DraftOption.Describe(result.Timings) is { } draftLine) stderr.WriteLine($"[{draftLine}]");
    }

    /// <summary>"[stop] 12 thinking + 5 answer tokens, 30.1 tokens/s, prompt 20 tokens at ..., total 1.2 s".</summary>
    public static string TimingLine(ReasonResult result)
    {
        var t = result.Timings;
        var c = CultureInfo.InvariantCulture;
        var line = string.Format(c,
            "[{0}] {1} thinking + {2} answer tokens, {3:0.0} tokens/s, prompt {4} at {5:0.0} tokens/s, first answer token {6}, total {7:0.0} s",
            result.FinishReason.ToString().ToLowerInvariant(), t.ThinkingTokens, t.AnswerTokens, t.TokensPerSecond, Wording.Plural(t.PromptTokens, "token"),
            t.PromptTokensPerSecond ?? 0, t.TimeToFirstAnswerTokenMs is { } ms ? (ms / 1000).ToString("0.0 s", c) : "none", t.TotalMs / 1000);
        // Why it stopped, where that is not obvious: "the reasoning chain was cut by the token limit (60 tokens): raise it with --max-tokens".
        if (TokenLimit.Of(result) is { } limit) line += $"; {limit.Describe(CliWording.Instance)}";
        return line;
    }

    /// <summary>Leaves the terminal as it was (status line cleared, dimming reset) when a run ends without a result.</summary>
    public void Abandon()
    {
        ClearProgress();
        EndThinking();
    }

    private void ShowStatus(string text)
    {
        // llama.cpp reports loading progress far more often than the line changes.
        if (_progressShown && text == _shownStatus) return;
        stderr.Write("\r" + TerminalText.Clean(text) + "\x1b[K");
        _shownStatus = text;
        _progressShown = true;
    }

    private void EndThinking()
    {
        if (!_inThinking) return;
        stderr.Write(_color ? "\x1b[0m\n" : "\n</think>\n");
        stderr.Flush();
        _inThinking = false;
    }

    private void ClearProgress()
    {
        if (!_progressShown) return;
        stderr.Write("\r\x1b[2K");
        _progressShown = false;
    }
}
