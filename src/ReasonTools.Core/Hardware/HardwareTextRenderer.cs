using System.Globalization;
using System.Text;
using ReasonTools.Core.Models;

namespace ReasonTools.Core.Hardware;

/// <summary>Pure text rendering of a hardware report for <c>reason hardware</c> (GB = 10^9 bytes throughout).</summary>
public static class HardwareTextRenderer
{
    /// <summary>Machine summary, the model × quantization table, the recommendation and any notes.</summary>
    public static string Render(HardwareReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        var cpu = report.Cpu;
        text.AppendLine("Machine");
        text.AppendLine($"  CPU        {cpu.Name}: {cpu.PhysicalCores} physical / {cpu.LogicalCores} logical cores" +
                        (cpu.Features.Count > 0 ? $"; {string.Join(' ', cpu.Features)}" : ""));
        var memory = report.Memory;
        text.AppendLine($"  Memory     {FitFormat.Gb(memory.TotalBytes)} total, {FitFormat.Gb(memory.AvailableBytes)} available" +
                        (memory.LimitBytes is { } limit ? $", limit {FitFormat.Gb(limit)}" + (limit < memory.TotalBytes ? " (applies)" : "") : ", no cgroup/job limit"));
        if (report.Gpus.Count == 0)
        {
            text.AppendLine("  GPUs       none");
        }
        else
        {
            foreach (var (gpu, i) in report.Gpus.Select((g, i) => (g, i)))
                text.AppendLine($"  {(i == 0 ? "GPUs" : ""),-10} {gpu.Name} ({gpu.Vendor}, {gpu.Backend}): {FitFormat.Gb(gpu.FreeBytes)} free of {FitFormat.Gb(gpu.TotalBytes)}");
        }
        text.AppendLine($"  Bandwidth  {(report.MemoryBandwidthGBps is { } bw ? bw.ToString("0.0", CultureInfo.InvariantCulture) + " GB/s (measured read)" + (report.MemoryBandwidthUnsteady ? ", unsteady: other work was running, so speed estimates are rough" : "") : "not measured")}");
        if (report.Disk is { } disk)
            text.AppendLine($"  Disk       {FitFormat.Gb(disk.FreeBytes)} free of {FitFormat.Gb(disk.TotalBytes)} at {disk.Path}");

        if (report.Models.Count > 0)
        {
            text.AppendLine();
            text.AppendLine($"Models at context {report.Models[0].ContextSize}");
            int nameWidth = Math.Max(5, report.Models.Max(m => m.Name.Length));
            text.AppendLine($"  {"model".PadRight(nameWidth)}  {"quant",-7} {"fits",-4}  {"placement",-13} {"needs",9}  {"speed",-14}");
            foreach (var m in report.Models)
            {
                var placement = m.Placement switch
                {
                    Placement.Gpu => "gpu",
                    Placement.Partial => $"partial {m.GpuLayers}L",
                    Placement.Cpu => "cpu",
                    _ => "-",
                };
                var speed = m.Fits ? "≈ " + FitFormat.TokensPerSecond(m.EstimatedTokensPerSecond) : "-";
                text.AppendLine($"  {m.Name.PadRight(nameWidth)}  {m.Quantization,-7} {(m.Fits ? "yes" : "no"),-4}  {placement,-13} {FitFormat.Gb(m.RequiredBytes),9}  {speed}");
            }
        }

        text.AppendLine();
        text.AppendLine(report.Recommended is { } r
            ? $"Recommended: {r.Name} {r.Quantization} at context {r.ContextSize}, {PlacementWords(r.Placement)}, ≈ {FitFormat.TokensPerSecond(r.EstimatedTokensPerSecond)}."
            : "Recommended: none — no catalog model fits this machine.");

        if (report.Notes.Count > 0)
        {
            text.AppendLine();
            text.AppendLine("Notes");
            foreach (var note in report.Notes) text.AppendLine("  " + note);
        }
        return text.ToString();
    }

    /// <summary>
    /// One line answering "can this machine run it?", e.g. "No: DeepSeek-R1-Distill-Qwen-32B Q4_K_M needs 21.6 GB,
    /// this machine allows 18.2 GB. Try 14B Q4_K_M (≈ 6.0 tokens/s)."
    /// </summary>
    public static string RenderAnswer(ModelAssessment assessment)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        var e = assessment.Estimate;
        var model = $"{e.Model.Name} {e.Model.Quantization}";
        var alternative = assessment.Alternative is { } a && a.Candidate.Spec != e.Model
            ? $" Try {ShortName(a.Candidate)} {a.Candidate.Spec.Quantization} (≈ {FitFormat.TokensPerSecond(a.Estimate.EstimatedTokensPerSecond)}{(a.NeedsDownload ? ", download" : "")})."
            : "";
        if (!e.Fits)
            return $"No: {model} needs {FitFormat.Gb(e.RequiredBytes)}, this machine allows {FitFormat.Gb(e.AllowedBytes)}.{alternative}";
        var where = ModelChooser.PlacementWords(e);
        if (e.EstimatedTokensPerSecond is { } speed && speed < assessment.MinTokensPerSecond)
            return $"Yes, slowly: {model} fits ({where}, needs {FitFormat.Gb(e.RequiredBytes)} of {FitFormat.Gb(e.AllowedBytes)}) but runs at ≈ {FitFormat.TokensPerSecond(speed)}.{alternative}";
        return $"Yes: {model} fits ({where}, needs {FitFormat.Gb(e.RequiredBytes)} of {FitFormat.Gb(e.AllowedBytes)}), ≈ {FitFormat.TokensPerSecond(e.EstimatedTokensPerSecond)}.";
    }

    private static string ShortName(ModelCandidate candidate) =>
        (candidate.Catalog ?? ModelCatalog.Find(candidate.Spec.Name)?.Model)?.Size.ToUpperInvariant() ?? candidate.Spec.Name;

    private static string PlacementWords(Placement placement) => placement switch
    {
        Placement.Gpu => "all on the GPU",
        Placement.Partial => "partly on the GPU",
        Placement.Cpu => "on the CPU",
        _ => "does not fit",
    };
}
