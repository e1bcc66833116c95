using ReasonTools.Core.Hardware;
using ReasonTools.Core.Inference;

namespace ReasonTools.Reports;

/// <summary>The words the HTML and text views share, so both say the same thing.</summary>
public static class Wording
{
    /// <summary>A count with its noun, singular for one: "1 token", "2 tokens", "1,234 thinking tokens", "1 warning".</summary>
    public static string Plural(long count, string noun) =>
        ReportFormat.Count(count) + " " + (count == 1 ? noun : noun + "s");

    /// <summary>What a cell or summary of a model that never ran says; the reason is said once, elsewhere.</summary>
    public const string NotRun = "not run";

    /// <summary>What the reports add to a bandwidth figure whose repeated passes disagreed.</summary>
    public const string UnsteadyBandwidth = "unsteady: other work was running, so speed estimates are rough";

    public static string ContractName(FinishReason reason) => reason switch
    {
        FinishReason.Stop => "stop",
        FinishReason.Length => "length",
        FinishReason.Cancelled => "cancelled",
        FinishReason.Loop => "loop",
        _ => reason.ToString().ToLowerInvariant(),
    };

    /// <summary>Why a generation that did not end by itself ended; null for a normal stop.</summary>
    public static string? FinishWarning(FinishReason reason) => reason switch
    {
        FinishReason.Stop => null,
        FinishReason.Length => "Stopped at the token limit (finish reason: length)",
        FinishReason.Cancelled => "Cancelled before the end (finish reason: cancelled)",
        FinishReason.Loop => "Stopped: the chain kept repeating itself (finish reason: loop)",
        _ => $"Finish reason: {ContractName(reason)}",
    };

    public const string IncompleteReasoning = "Reasoning incomplete: </think> never came, so the answer may be part of the chain";

    public static string NoRecommendation(int modelsChecked) => modelsChecked == 0
        ? "No recommendation: no model was checked against this machine."
        : "No model of the catalog fits this machine.";

    /// <summary>A placement as every view writes it ("GPU", "GPU + CPU", "CPU"); JSON keeps the enum name.</summary>
    public static string Placement(Placement placement) => placement.Display();

    public static string PlacementClass(Placement placement) => placement switch
    {
        Core.Hardware.Placement.Gpu => "rt-place-gpu",
        Core.Hardware.Placement.Partial => "rt-place-partial",
        Core.Hardware.Placement.Cpu => "rt-place-cpu",
        _ => "rt-place-none",
    };

    public static string Mark(bool? correct) => correct switch
    {
        true => "✓",
        false => "✗",
        null => "—",
    };

    public static string Settings(GenerationSettings s) =>
        $"temperature {ReportFormat.Number(s.Temperature)} · top-p {ReportFormat.Number(s.TopP)} · seed {s.Seed} · " +
        $"context {ReportFormat.Count(s.ContextSize)} · threads {s.Threads}{SharedCores(s.ThreadChoice)} · GPU layers {s.GpuLayers} · max tokens {ReportFormat.Count(s.MaxTokens)}";

    /// <summary>" (2 generations share 2 cores)" when other generations on the machine took a share of the cores; else empty.</summary>
    public static string SharedCores(ThreadChoice? choice) => choice is { Explicit: false, Generations: > 1 } c ? $" ({c.Reason})" : "";

    public static string ModelLine(ModelInfo model)
    {
        var parts = new List<string>();
        if (!string.IsNullOrEmpty(model.Architecture)) parts.Add(model.Architecture);
        if (model.Parameters is { } p) parts.Add(ReportFormat.Parameters(p) + " parameters");
        if (!string.IsNullOrEmpty(model.Quantization)) parts.Add(model.Quantization);
        if (model.FileSizeBytes is { } size) parts.Add(ReportFormat.Bytes(size));
        return string.Join(" · ", parts);
    }
}
