using System.Globalization;
using System.Text;

namespace ReasonTools.Reports;

/// <summary>One bar of a chart: a label and its value (null when the value is not known).</summary>
public sealed record ChartBar(string Label, double? Value);

/// <summary>Small self-contained SVG charts: no scripts, no external fonts, valid XML.</summary>
public static class SvgChart
{
    private const int Width = 560;
    private const int RowHeight = 26;
    private const int BarHeight = 16;
    private const int TitleHeight = 30;
    private const int ValueColumn = 84;
    private const int MaxLabelChars = 34;

    /// <summary>
    /// A horizontal bar chart, one bar per item, scaled to the largest value. Text uses
    /// <c>currentColor</c> and bars carry the class <c>rt-bar</c>, so a page's light or dark style
    /// colours them; the presentation attributes give a readable default when the SVG stands alone.
    /// </summary>
    /// <param name="title">Shown above the bars and as the chart's accessible name.</param>
    /// <param name="bars">The bars, drawn in the given order.</param>
    /// <param name="formatValue">Formats each value written after its bar; <see cref="ReportFormat.Number"/> when null.</param>
    /// <param name="alternateColor">Draws the bars in the second accent colour (to tell two charts apart).</param>
    public static string Bars(string title, IReadOnlyList<ChartBar> bars, Func<double?, string>? formatValue = null, bool alternateColor = false)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(bars);
        formatValue ??= ReportFormat.Number;

        var labels = bars.Select(b => Shorten(b.Label ?? string.Empty)).ToArray();
        var labelWidth = Math.Clamp(labels.Select(l => l.Length).DefaultIfEmpty(4).Max() * 7 + 8, 48, 240);
        var barLeft = labelWidth + 8;
        var barSpace = Width - barLeft - ValueColumn;
        var max = bars.Select(b => b.Value is { } v && double.IsFinite(v) ? v : 0).DefaultIfEmpty(0).Max();
        var height = TitleHeight + Math.Max(bars.Count, 1) * RowHeight + 6;

        var sb = new StringBuilder();
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"rt-chart").Append(alternateColor ? " rt-alt" : "")
          .Append("\" width=\"").Append(Width).Append("\" height=\"").Append(height)
          .Append("\" viewBox=\"0 0 ").Append(Width).Append(' ').Append(height)
          .Append("\" role=\"img\" aria-label=\"").Append(Markup.Escape(title))
          .Append("\" font-family=\"system-ui, -apple-system, 'Segoe UI', Roboto, 'DejaVu Sans', sans-serif\" font-size=\"12\">");
        sb.Append("<title>").Append(Markup.Escape(title)).Append("</title>");
        sb.Append("<text x=\"0\" y=\"18\" font-size=\"13\" font-weight=\"600\" fill=\"currentColor\">")
          .Append(Markup.Escape(title)).Append("</text>");

        if (bars.Count == 0)
        {
            sb.Append("<text x=\"0\" y=\"").Append(TitleHeight + 16).Append("\" fill=\"currentColor\" opacity=\"0.7\">No data</text>");
        }

        for (var i = 0; i < bars.Count; i++)
        {
            var top = TitleHeight + i * RowHeight;
            var textY = top + BarHeight / 2 + 4;
            var value = bars[i].Value is { } v && double.IsFinite(v) ? v : (double?)null;
            var barWidth = value is { } w && max > 0 ? Math.Max(w / max * barSpace, w > 0 ? 2 : 0) : 0;

            sb.Append("<g>");
            sb.Append("<title>").Append(Markup.Escape(bars[i].Label)).Append(": ").Append(Markup.Escape(formatValue(value))).Append("</title>");
            sb.Append("<text x=\"").Append(labelWidth).Append("\" y=\"").Append(textY)
              .Append("\" text-anchor=\"end\" fill=\"currentColor\">").Append(Markup.Escape(labels[i])).Append("</text>");
            sb.Append("<rect class=\"rt-bar\" x=\"").Append(barLeft).Append("\" y=\"").Append(top)
              .Append("\" width=\"").Append(Px(barWidth)).Append("\" height=\"").Append(BarHeight)
              .Append("\" rx=\"3\" fill=\"").Append(alternateColor ? "#8250df" : "#0969da").Append("\"/>");
            sb.Append("<text x=\"").Append(Px(barLeft + barWidth + 6)).Append("\" y=\"").Append(textY)
              .Append("\" fill=\"currentColor\">").Append(Markup.Escape(formatValue(value))).Append("</text>");
            sb.Append("</g>");
        }

        sb.Append("<line class=\"rt-axis\" x1=\"").Append(barLeft).Append("\" y1=\"").Append(TitleHeight - 4)
          .Append("\" x2=\"").Append(barLeft).Append("\" y2=\"").Append(height - 4).Append("\" stroke=\"#d1d9e0\"/>");
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static string Shorten(string label) =>
        label.Length <= MaxLabelChars ? label : label[..(MaxLabelChars - 1)] + "…";

    private static string Px(double value) => Math.Round(value, 1).ToString("0.#", CultureInfo.InvariantCulture);
}
