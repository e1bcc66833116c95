using System.Globalization;
using ReasonTools.Core.Inference;
using ReasonTools.Reports;

namespace ReasonTools.Cli;

/// <summary>
/// Terminal rendering of a run: the reasoning chain on stderr (dimmed on a terminal), the answer on stdout,
/// so <c>reason run … &gt; answer.txt</c> keeps only the answer. Progress and timings go to stderr.
/// </summary>
internal sealed class StreamView(TextWriter stdout, TextWriter stderr, bool showThinking, bool quiet)
{
    private readonly bool color = !Console.IsErrorRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
    private bool inThinking;
    private bool progressShown;

    public void OnUpdate(ReasonUpdate update)
    {
        switch (update.Kind)
        {
            case ReasonUpdateKind.LoadProgress when !quiet && !Console.IsErrorRedirected:
                stderr.Write($"\rloading model {update.Progress * 100,3:0}%");
                progressShown = true;
                break;
            case ReasonUpdateKind.Stage when !quiet:
                ClearProgress();
                EndThinking();
                stderr.WriteLine($"[{TerminalText.Clean(update.Text)}]");
                break;
            case ReasonUpdateKind.PromptProgress when !quiet && !Console.IsErrorRedirected:
                stderr.Write($"\rreading prompt {update.Progress * 100,3:0}%");
                progressShown = true;
                break;
            case ReasonUpdateKind.Token when !quiet:
                ClearProgress();
                if (update.IsThinking)
                {
                    if (!showThinking) break;
                    if (!inThinking) { stderr.Write(color ? "\x1b[2m" : "<think>\n"); inThinking = true; }
                    stderr.Write(TerminalText.Clean(update.Text));
                }
                else
                {
                    EndThinking();
                    stdout.Write(TerminalText.Clean(update.Text));
                }
                break;
        }
    }

    /// <summary>Ends the streamed text; with <paramref name="timings"/>, prints the timing line (chat prints it on /show timings).</summary>
    public void Finish(ReasonResult result, bool timings = true)
    {
        if (quiet) return;
        ClearProgress();
        EndThinking();
        stdout.WriteLine();
        stdout.Flush();
        if (!timings) return;
        stderr.WriteLine(TimingLine(result));
        if (DraftOption.Describe(result.Timings) is { } draftLine) stderr.WriteLine($"[{draftLine}]");
    }

    /// <summary>"[stop] 12 thinking + 5 answer tokens, 30.1 tokens/s, prompt 20 tokens at ..., total 1.2 s".</summary>
    public static string TimingLine(ReasonResult result)
    {
        var t = result.Timings;
        var c = CultureInfo.InvariantCulture;
        return string.Format(c,
            "[{0}] {1} thinking + {2} answer tokens, {3:0.0} tokens/s, prompt {4} tokens at {5:0.0} tokens/s, first answer token {6}, total {7:0.0} s",
            result.FinishReason.ToString().ToLowerInvariant(), t.ThinkingTokens, t.AnswerTokens, t.TokensPerSecond, t.PromptTokens,
            t.PromptTokensPerSecond ?? 0, t.TimeToFirstAnswerTokenMs is { } ms ? (ms / 1000).ToString("0.0 s", c) : "none", t.TotalMs / 1000);
    }

    private void EndThinking()
    {
        if (!inThinking) return;
        stderr.Write(color ? "\x1b[0m\n" : "\n</think>\n");
        stderr.Flush();
        inThinking = false;
    }

    private void ClearProgress()
    {
        if (!progressShown) return;
        stderr.Write("\r\x1b[2K");
        progressShown = false;
    }
}
