using System.Text;
using ReasonTools.Core.Hardware;

namespace ReasonTools.Reports;

/// <summary>The HTML body of a <see cref="HardwareReport"/>.</summary>
internal static class HardwareView
{
    public static string Render(HardwareReport h, ModelAssessment? question = null)
    {
        var sb = new StringBuilder();
        sb.Append("<div class=\"rt-head\"><h2>Hardware check</h2><span class=\"rt-sub\">")
          .Append(Markup.Escape(h.Cpu.Name)).Append("</span></div>");

        if (question is not null) AppendVerdict(sb, question);
        AppendRecommendation(sb, h.Recommended, h.Models.Count);
        AppendMachine(sb, h);
        AppendFitGrid(sb, h);

        if (h.Notes.Count > 0)
        {
            sb.Append("<h3>Probe notes</h3><ul class=\"rt-notes\">");
            foreach (var note in h.Notes) sb.Append("<li>").Append(Markup.Escape(note)).Append("</li>");
            sb.Append("</ul>");
        }
        return sb.ToString();
    }

    // The answer to the question asked, before everything else, coloured by the verdict.
    private static void AppendVerdict(StringBuilder sb, ModelAssessment question)
    {
        var (cssClass, name) = question.Verdict switch
        {
            FitVerdict.Fits => ("rt-verdict-fits", "fits"),
            FitVerdict.Slow => ("rt-verdict-slow", "slow"),
            _ => ("rt-verdict-no", "doesNotFit"),
        };
        sb.Append("<div class=\"rt-verdict ").Append(cssClass).Append("\" data-section=\"verdict\" data-verdict=\"").Append(name).Append("\">").Append(Markup.Escape(HardwareText.Verdict(question))).Append("</div>");
    }

    private static void AppendRecommendation(StringBuilder sb, Recommendation? rec, int modelsChecked)
    {
        sb.Append("<div class=\"rt-recommend\" data-section=\"recommendation\">");
        if (rec is null)
        {
            sb.Append("<strong>").Append(Markup.Escape(Wording.NoRecommendation(modelsChecked))).Append("</strong>");
        }
        else
        {
            sb.Append("★ Recommended: <strong>").Append(Markup.Escape(rec.Name)).Append("</strong> <code>")
              .Append(Markup.Escape(rec.Quantization)).Append("</code> · context ").Append(ReportFormat.Count(rec.ContextSize))
              .Append(" · on ").Append(Wording.Placement(rec.Placement));
            if (rec.EstimatedTokensPerSecond is { } tps)
            {
                sb.Append(" · about ").Append(ReportFormat.TokensPerSecond(tps));
            }
        }
        sb.Append("</div>");
    }

    private static void AppendMachine(StringBuilder sb, HardwareReport h)
    {
        sb.Append("<h3>Machine</h3><table class=\"rt-machine\"><tbody>");
        Row(sb, "CPU", Markup.Escape(h.Cpu.Name));
        Row(sb, "Cores", $"{h.Cpu.PhysicalCores} physical · {h.Cpu.LogicalCores} logical");
        var features = h.Cpu.Features.Count == 0
            ? "<span class=\"rt-na\">none reported</span>"
            : "<span class=\"rt-chips\">" + string.Concat(h.Cpu.Features.Select(f => "<span class=\"rt-chip\">" + Markup.Escape(f) + "</span>")) + "</span>";
        Row(sb, "CPU features", features);
        var memory = $"{ReportFormat.Bytes(h.Memory.TotalBytes)} total · {ReportFormat.Bytes(h.Memory.AvailableBytes)} available";
        memory += h.Memory.LimitBytes is { } limit ? $" · limit {ReportFormat.Bytes(limit)}" : " · no limit";
        Row(sb, "Memory", Markup.Escape(memory));
        if (h.Gpus.Count == 0)
        {
            Row(sb, "GPUs", "<span class=\"rt-na\">none found</span>");
        }
        else
        {
            var gpus = string.Join("<br/>", h.Gpus.Select(g =>
                $"<strong>{Markup.Escape(g.Name)}</strong> <span class=\"rt-sub\">{Markup.Escape(g.Vendor)} · {Markup.Escape(g.Backend)}</span> · " +
                $"{Markup.Escape(ReportFormat.Bytes(g.TotalBytes))} ({Markup.Escape(ReportFormat.Bytes(g.FreeBytes))} free)"));
            Row(sb, h.Gpus.Count == 1 ? "GPU" : "GPUs", gpus);
        }
        Row(sb, "Memory bandwidth", Markup.Escape(ReportFormat.Bandwidth(h.MemoryBandwidthGBps)) +
            (h.MemoryBandwidthUnsteady ? "<span class=\"rt-badge rt-flag\" data-flag=\"bandwidthUnsteady\">⚠ " + Markup.Escape(Wording.UnsteadyBandwidth) + "</span>" : ""));
        sb.Append("</tbody></table>");
    }

    private static void Row(StringBuilder sb, string name, string valueMarkup) =>
        sb.Append("<tr><th scope=\"row\">").Append(Markup.Escape(name)).Append("</th><td>").Append(valueMarkup).Append("</td></tr>");

    private static void AppendFitGrid(StringBuilder sb, HardwareReport h)
    {
        if (h.Models.Count == 0) return;
        var quantizations = h.Models.Select(m => m.Quantization).Distinct(StringComparer.Ordinal).ToArray();
        var models = h.Models.Select(m => (m.Name, m.Size)).Distinct().ToArray();
        var fits = new Dictionary<(string, string), ModelFit>();
        foreach (var fit in h.Models) fits.TryAdd((fit.Name, fit.Quantization), fit);
        var contexts = h.Models.Select(m => m.ContextSize).Distinct().ToArray();

        sb.Append("<h3>What fits").Append(contexts.Length == 1 ? $" (context {ReportFormat.Count(contexts[0])})" : "").Append("</h3>");
        sb.Append("<div class=\"rt-legend\">");
        foreach (var placement in new[] { Placement.Gpu, Placement.Partial, Placement.Cpu, Placement.None })
        {
            sb.Append("<span><span class=\"rt-swatch\" style=\"background:var(--rt-").Append(placement.ToString().ToLowerInvariant())
              .Append(")\"></span>").Append(Wording.Placement(placement)).Append("</span>");
        }
        sb.Append("<span><span class=\"rt-swatch rt-slow\"></span>slow: fits, below ").Append(h.MinTokensPerSecond.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture)).Append(" tokens/s</span>");
        sb.Append("<span>★ recommended · figures: estimated tokens/s</span></div>");

        sb.Append("<table class=\"rt-fit\"><thead><tr><th>Model</th>");
        foreach (var q in quantizations) sb.Append("<th scope=\"col\">").Append(Markup.Escape(q)).Append("</th>");
        sb.Append("</tr></thead><tbody>");
        foreach (var (name, size) in models)
        {
            sb.Append("<tr><th scope=\"row\">").Append(Markup.Escape(name));
            if (!string.IsNullOrEmpty(size) && !name.Contains(size, StringComparison.OrdinalIgnoreCase))
            {
                sb.Append(" <span class=\"rt-sub\">").Append(Markup.Escape(size)).Append("</span>");
            }
            sb.Append("</th>");
            foreach (var q in quantizations)
            {
                if (!fits.TryGetValue((name, q), out var fit))
                {
                    sb.Append("<td class=\"rt-na\">—</td>");
                    continue;
                }
                var recommended = h.Recommended is { } r && r.Name == fit.Name && r.Quantization == fit.Quantization;
                var slow = HardwareText.IsSlow(fit, h.MinTokensPerSecond);
                sb.Append("<td class=\"").Append(Wording.PlacementClass(fit.Placement)).Append(recommended ? " rt-rec" : "").Append(slow ? " rt-slow" : "")
                  .Append("\" data-placement=\"").Append(fit.Placement.ToString().ToLowerInvariant()).Append(slow ? "\" data-slow=\"true" : "").Append("\">")
                  .Append("<span class=\"rt-place\">").Append(recommended ? "★ " : "").Append(Wording.Placement(fit.Placement)).Append(slow ? " · slow" : "").Append("</span>");
                sb.Append("<span class=\"rt-meta\">");
                if (fit.Placement == Placement.Partial) sb.Append(fit.GpuLayers).Append(" layers on the GPU · ");
                if (fit.Fits && fit.EstimatedTokensPerSecond is { } tps) sb.Append("≈ ").Append(ReportFormat.TokensPerSecond(tps)).Append(" · ");
                sb.Append("needs ").Append(ReportFormat.Bytes(fit.RequiredBytes)).Append("</span></td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</tbody></table>");
    }
}
