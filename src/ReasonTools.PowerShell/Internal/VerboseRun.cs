using System.Globalization;
using ReasonTools.Core.Inference;
using ReasonTools.Reports;

namespace ReasonTools.PowerShell.Internal;

/// <summary>
/// What -Verbose says about a run (pure): the model file and the settings it resolved to (context, threads, GPU layers
/// and why), then each phase with its time once it has ended.
/// </summary>
internal sealed class VerboseRun(bool threadsGiven)
{
    private PhaseProgress? _current;

    /// <summary>The verbose lines <paramref name="update"/> completes (often none).</summary>
    public IEnumerable<string> Next(ReasonUpdate update)
    {
        var lines = new List<string>(2);
        if (update.Kind == ReasonUpdateKind.ModelReady && update.Loaded is { } loaded) lines.AddRange(Settings(loaded, threadsGiven));
        if (update.Phase is { } phase)
        {
            if (_current is not null && _current.Phase != phase.Phase) lines.Add(Ended(_current));
            _current = phase;
        }
        else if (update.Kind is ReasonUpdateKind.Stage or ReasonUpdateKind.Completed && _current is not null)
        {
            lines.Add(Ended(_current));
            _current = null;
        }
        if (update.Result?.Settings.ThreadChoice is { Explicit: false, Generations: > 1 } shared)
            lines.Add($"Threads: {shared.Threads} ({shared.Reason}).");
        return lines;
    }

    /// <summary>"Model: /models/r1-7b.gguf (…, Q4_K_M)." and "Settings: context 4096 tokens, 8 threads (…), 0 GPU layers (why)."</summary>
    public static IEnumerable<string> Settings(LoadedModel loaded, bool threadsGiven)
    {
        var m = loaded.Model;
        var quantization = string.IsNullOrEmpty(m.Quantization) ? "" : $", {m.Quantization}";
        yield return $"Model: {m.Path ?? m.Name} ({m.Name}{quantization}){(loaded.Resident ? ", already loaded in this session" : "")}.";
        var threads = Wording.Plural(loaded.Threads, "thread") + (threadsGiven ? " (-Threads)" : " (every logical core, shared with other generations on this machine; -Threads changes it)");
        yield return string.Format(CultureInfo.InvariantCulture, "Settings: context {0} (-ContextSize), {1}, {2} ({3})",
            Wording.Plural(loaded.ContextSize, "token"), threads, Wording.Plural(loaded.GpuLayers.Layers, "GPU layer"), loaded.GpuLayers.Reason.TrimEnd('.')) + ".";
    }

    /// <summary>"Loading: 1.2 s.", "Processing the prompt: 1,376 tokens in 76.0 s (18.1 tokens/s).", "Thinking: 60 tokens in 3.1 s (19.4 tokens/s)."</summary>
    public static string Ended(PhaseProgress phase)
    {
        var c = CultureInfo.InvariantCulture;
        var seconds = phase.ElapsedMs / 1000;
        var rate = phase.TokensPerSecond is { } r ? string.Format(c, " ({0:0.0} tokens/s)", r) : "";
        return phase.Phase switch
        {
            ReasonPhase.Loading => string.Format(c, "Loading: {0:0.0} s.", seconds),
            ReasonPhase.ProcessingPrompt => string.Format(c, "Processing the prompt: {0} in {1:0.0} s{2}.", Wording.Plural(phase.Done, "token"), seconds, rate),
            ReasonPhase.Thinking => string.Format(c, "Thinking: {0} in {1:0.0} s{2}.", Wording.Plural(phase.Done, "token"), seconds, rate),
            _ => string.Format(c, "Answering: {0} in {1:0.0} s{2}.", Wording.Plural(phase.Done, "token"), seconds, rate),
        };
    }
}
