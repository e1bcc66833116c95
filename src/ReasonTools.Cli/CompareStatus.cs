using System.Globalization;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Inference;
using ReasonTools.Reports;

namespace ReasonTools.Cli;

/// <summary>
/// The status line of <c>reason compare</c> on a terminal, as <c>reason run</c> has one: the cell it is on and its
/// phase (loading, the prompt with a bar, thinking and answering tokens). Redirected, it writes nothing.
/// </summary>
internal sealed class CompareStatus(TextWriter stderr, bool enabled)
{
    // Generated tokens between two redraws.
    private const int TokenStep = 8;

    private string? _shown;

    public void On(ComparisonUpdate update)
    {
        if (!enabled) return;
        var text = update.Kind switch
        {
            ComparisonUpdateKind.ModelLoading => $"{Cell(update)} loading {update.Model}…",
            ComparisonUpdateKind.Generation when update.Generation is { Phase: { } phase } generation && Redraws(generation, phase) =>
                $"{Cell(update)} {update.Model}: {update.PromptId}  {PhaseText.Line(phase)}",
            _ => null,
        };
        if (text is null || text == _shown) return;
        stderr.Write("\r" + TerminalText.Clean(text) + "\x1b[K");
        _shown = text;
    }

    /// <summary>Clears the status line, before a line of its own is written to stderr and at the end.</summary>
    public void Clear()
    {
        if (_shown is null) return;
        stderr.Write("\r\x1b[2K");
        _shown = null;
    }

    private static string Cell(ComparisonUpdate update) =>
        string.Create(CultureInfo.InvariantCulture, $"[{Math.Min(update.Completed + 1, update.Total)}/{update.Total}]");

    // Load and prompt progress change the bar; tokens redraw every few.
    private static bool Redraws(ReasonUpdate generation, PhaseProgress phase) =>
        generation.Kind is ReasonUpdateKind.LoadProgress or ReasonUpdateKind.PromptProgress
        || generation.Kind == ReasonUpdateKind.Token && phase.Done % TokenStep == 1;
}
