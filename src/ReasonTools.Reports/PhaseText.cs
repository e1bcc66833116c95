using System.Globalization;
using ReasonTools.Core.Inference;

namespace ReasonTools.Reports;

/// <summary>One line saying what a run is doing, for a terminal status line (pure).</summary>
public static class PhaseText
{
    /// <summary>Cells of <see cref="Bar"/> between its brackets.</summary>
    public const int BarWidth = 24;

    /// <summary>A bar of <see cref="BarWidth"/> cells, filled to <paramref name="fraction"/> (0..1): <c>[██████░░░░]</c>.</summary>
    public static string Bar(double fraction)
    {
        var filled = (int)Math.Round(Math.Clamp(double.IsNaN(fraction) ? 0 : fraction, 0, 1) * BarWidth);
        return "[" + new string('█', filled) + new string('░', BarWidth - filled) + "]";
    }

    /// <summary>
    /// "loading model [bar]  45%", "processing the prompt [bar] 512/1,376 tokens, 20.1 tokens/s", "thinking: 120 tokens, 5.2 tokens/s",
    /// "answering: 12 tokens".
    /// </summary>
    public static string Line(PhaseProgress phase)
    {
        var c = CultureInfo.InvariantCulture;
        var rate = phase.TokensPerSecond is { } r ? string.Format(c, ", {0:0.0} tokens/s", r) : "";
        return phase.Phase switch
        {
            ReasonPhase.Loading => string.Format(c, "loading model {0} {1,3:0}%", Bar(phase.Fraction ?? 0), (phase.Fraction ?? 0) * 100),
            ReasonPhase.ProcessingPrompt => string.Format(c, "processing the prompt {0} {1:N0}/{2:N0} tokens{3}", Bar(phase.Fraction ?? 0), phase.Done, phase.Total ?? 0, rate),
            ReasonPhase.Thinking => $"thinking: {Tokens(phase.Done)}{rate}",
            _ => $"answering: {Tokens(phase.Done)}{rate}",
        };
    }

    private static string Tokens(int n) => n == 1 ? "1 token" : n.ToString("N0", CultureInfo.InvariantCulture) + " tokens";
}
