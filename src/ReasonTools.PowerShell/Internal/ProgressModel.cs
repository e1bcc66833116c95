using System.Globalization;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Inference;
using ReasonTools.Reports;

namespace ReasonTools.PowerShell.Internal;

/// <summary>One Write-Progress line: what is happening and how far along (-1 when unknown).</summary>
internal sealed record ProgressState(string Status, int PercentComplete);

/// <summary>
/// Turns a run's updates into progress lines (pure). Only changes are reported, so a fast token stream does not
/// flood the host with identical progress records.
/// </summary>
internal sealed class ReasonProgress(string modelName, int? maxTokens)
{
    /// <summary>Tokens between two progress lines while generating.</summary>
    public const int TokenStep = 16;

    private ProgressState? _last;
    private int _tokens;
    private bool _answering;

    /// <summary>The new progress line for <paramref name="update"/>, or null when nothing visible changed.</summary>
    public ProgressState? Next(ReasonUpdate update)
    {
        ProgressState? next = update.Kind switch
        {
            ReasonUpdateKind.LoadProgress => new($"Loading {modelName}", Percent(update.Progress)),
            ReasonUpdateKind.PromptProgress => Prompt(update),
            ReasonUpdateKind.Stage => Stage(update),
            ReasonUpdateKind.Token => Generating(update),
            _ => null,
        };
        if (next is null || next == _last) return null;
        _last = next;
        return next;
    }

    // A new stage (a part of a long log) starts its own token count.
    private ProgressState Stage(ReasonUpdate update)
    {
        _tokens = 0;
        _answering = false;
        var text = update.Text.Length > 0 ? char.ToUpperInvariant(update.Text[0]) + update.Text[1..] : "Working";
        return new ProgressState(text, Percent(update.Progress));
    }

    // "Processing the prompt: 512 of 1,376 tokens, 20.1 tokens/s" where the core counts them (a local model).
    private static ProgressState Prompt(ReasonUpdate update)
    {
        if (update.Phase is not { Total: { } total } phase) return new ProgressState("Processing the prompt", Percent(update.Progress));
        var rate = phase.TokensPerSecond is { } r ? string.Format(CultureInfo.InvariantCulture, ", {0:0.0} tokens/s", r) : "";
        return new ProgressState(string.Format(CultureInfo.InvariantCulture, "Processing the prompt: {0:N0} of {1:N0} tokens{2}", phase.Done, total, rate), Percent(update.Progress));
    }

    private ProgressState? Generating(ReasonUpdate update)
    {
        _tokens++;
        var switched = !update.IsThinking && !_answering;
        _answering |= !update.IsThinking;
        if (!switched && _tokens % TokenStep != 1) return null;
        var part = _answering ? "Answering" : "Thinking";
        // The core's count of tokens in this part where it has one; otherwise the segments seen (a remote model).
        var count = update.Phase?.Done ?? _tokens;
        var percent = maxTokens is > 0 ? Math.Min(100, _tokens * 100 / maxTokens.Value) : -1;
        var rate = update.Phase?.TokensPerSecond is { } r ? string.Format(CultureInfo.InvariantCulture, ", {0:0.0} tokens/s", r) : "";
        return new ProgressState($"{part}: {Wording.Plural(count, "token")}{rate}", percent);
    }

    /// <summary>A 0..1 fraction as a whole percentage, clamped to 0..100.</summary>
    public static int Percent(double fraction) =>
        double.IsNaN(fraction) ? 0 : (int)Math.Clamp(Math.Floor(fraction * 100), 0, 100);
}

/// <summary>Progress across a comparison's model × prompt matrix (pure).</summary>
internal static class ComparisonProgress
{
    /// <summary>The overall line: which cell is running, and the share of cells finished.</summary>
    public static ProgressState Overall(ComparisonUpdate update)
    {
        var percent = update.Total > 0 ? update.Completed * 100 / update.Total : 0;
        var cell = update.Kind switch
        {
            ComparisonUpdateKind.ModelLoading => $"Loading {update.Model}",
            ComparisonUpdateKind.Completed => "Done",
            _ => $"{update.Model}, prompt {update.PromptId}",
        };
        return new ProgressState($"{cell} ({update.Completed} of {update.Total} done)", percent);
    }

    /// <summary>The nested bar's activity: the model, and the prompt once one runs.</summary>
    public static string CellActivity(ComparisonUpdate update) =>
        update.PromptId is null ? update.Model : $"{update.Model}, prompt {update.PromptId}";

    /// <summary>The nested bar as a cell starts: loading the model, or a prompt not yet read.</summary>
    public static ProgressState CellStart(ComparisonUpdate update) =>
        update.Kind == ComparisonUpdateKind.ModelLoading ? new ProgressState($"Loading {update.Model}", -1) : new ProgressState("Processing the prompt", 0);
}
