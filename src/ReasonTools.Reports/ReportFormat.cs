using System.Globalization;

namespace ReasonTools.Reports;

/// <summary>
/// Number formatting shared by every report: invariant culture, units a reader takes in at a glance
/// ("1.2 s", "4.68 GB", "42.3 tokens/s"), and "—" for a value that is not known.
/// </summary>
public static class ReportFormat
{
    /// <summary>What every report shows for a value that is null or not a number.</summary>
    public const string Missing = "—";

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>A duration in milliseconds: "850 ms", "1.2 s", "2 min 05 s", "1 h 02 min".</summary>
    public static string Duration(double? milliseconds)
    {
        if (milliseconds is not { } ms || !double.IsFinite(ms) || ms < 0) return Missing;
        if (ms < 10) return ms.ToString("0.#", Invariant) + " ms";
        if (ms < 1000) return Math.Round(ms).ToString("0", Invariant) + " ms";
        var seconds = ms / 1000;
        if (seconds < 10) return seconds.ToString("0.0#", Invariant) + " s";
        if (seconds < 60) return seconds.ToString("0.0", Invariant) + " s";
        var whole = (long)Math.Round(seconds);
        if (whole < 3600) return $"{whole / 60} min {whole % 60:00} s";
        return $"{whole / 3600} h {whole % 3600 / 60:00} min";
    }

    /// <summary>A size in bytes with decimal units as model hubs print them: "812 MB", "4.68 GB", "19.9 GB".</summary>
    public static string Bytes(long? bytes)
    {
        if (bytes is not { } b || b < 0) return Missing;
        string[] units = ["B", "kB", "MB", "GB", "TB", "PB"];
        double value = b;
        var unit = 0;
        while (value >= 999.5 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }
        return unit == 0 ? $"{b.ToString(Invariant)} B" : $"{ThreeDigits(value)} {units[unit]}";
    }

    /// <summary>A generation or prompt speed: "42.3 tokens/s", "7.81 tokens/s", "1,234 tokens/s".</summary>
    public static string TokensPerSecond(double? tokensPerSecond) =>
        tokensPerSecond is { } t && double.IsFinite(t) && t >= 0 ? ThreeDigits(t) + " tokens/s" : Missing;

    /// <summary>A speculative run's draft counts: "12 of 16 accepted (75%)".</summary>
    public static string DraftAcceptance(int? accepted, int? drafted) =>
        $"{Count(accepted ?? 0)} of {Count(drafted ?? 0)} accepted ({Percent(drafted > 0 ? (double)(accepted ?? 0) / drafted.Value : 0)})";

    /// <summary>A count with thousands separators: "12,345".</summary>
    public static string Count(long? count) => count is { } c ? c.ToString("#,0", Invariant) : Missing;

    /// <summary>A fraction between 0 and 1 as a whole percentage: "75%".</summary>
    public static string Percent(double? fraction) =>
        fraction is { } f && double.IsFinite(f) ? Math.Round(f * 100).ToString("0", Invariant) + "%" : Missing;

    /// <summary>A plain number with up to three significant digits ("42.3", "7.81", "1,234").</summary>
    public static string Number(double? value) =>
        value is { } v && double.IsFinite(v) ? ThreeDigits(v) : Missing;

    /// <summary>A parameter count: "7.62B", "1.78B", "494M".</summary>
    public static string Parameters(long? parameters)
    {
        if (parameters is not { } p || p < 0) return Missing;
        if (p >= 999_500_000) return ThreeDigits(p / 1e9) + "B";
        if (p >= 999_500) return ThreeDigits(p / 1e6) + "M";
        return p.ToString("#,0", Invariant);
    }

    /// <summary>Memory bandwidth: "68.2 GB/s".</summary>
    public static string Bandwidth(double? gigabytesPerSecond) =>
        gigabytesPerSecond is { } g && double.IsFinite(g) && g >= 0 ? ThreeDigits(g) + " GB/s" : Missing;

    // Three significant digits keeps columns short without hiding differences that matter.
    private static string ThreeDigits(double value)
    {
        var magnitude = Math.Abs(value);
        if (magnitude >= 999.5) return Math.Round(value).ToString("#,0", Invariant);
        if (magnitude >= 99.95) return value.ToString("0", Invariant);
        if (magnitude >= 9.995) return value.ToString("0.0", Invariant);
        return value.ToString("0.00", Invariant);
    }
}
