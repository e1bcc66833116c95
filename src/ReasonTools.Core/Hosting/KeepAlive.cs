using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace ReasonTools.Core.Hosting;

/// <summary>
/// How long a model stays loaded after its last use, written as Ollama writes it: <c>5m</c>, <c>30s</c>, <c>1h30m</c>,
/// a plain number of seconds, <c>0</c> (unload at once) or a negative value (keep it until unloaded).
/// </summary>
public static partial class KeepAlive
{
    /// <summary>Ollama's default, and ours.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromMinutes(5);

    /// <summary>The settings file's property that changes the default.</summary>
    public const string SettingName = "keepAlive";

    /// <summary>Parses a keep-alive; <see cref="Timeout.InfiniteTimeSpan"/> for a negative one.</summary>
    /// <exception cref="FormatException">Not a duration; the message shows the accepted forms.</exception>
    public static TimeSpan Parse(string text)
    {
        var value = text.Trim();
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
            return seconds < 0 ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(seconds);
        if (value.StartsWith('-')) return Timeout.InfiniteTimeSpan;
        var match = Duration().Match(value);
        if (!match.Success || value.Length == 0)
            throw new FormatException($"'{text}' is not a keep-alive time: use a duration such as 5m, 30s or 1h30m, 0 to unload at once, or -1 to keep the model loaded.");
        var total = TimeSpan.Zero;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = part.Value.EndsWith("ms", StringComparison.Ordinal) ? "ms" : part.Value[^1..];
            var number = double.Parse(part.Value[..^unit.Length], CultureInfo.InvariantCulture);
            total += unit switch
            {
                "h" => TimeSpan.FromHours(number),
                "m" => TimeSpan.FromMinutes(number),
                "s" => TimeSpan.FromSeconds(number),
                _ => TimeSpan.FromMilliseconds(number),
            };
        }
        return total;
    }

    /// <summary>How a keep-alive reads back: <c>5m</c>, <c>90s</c>, <c>0</c>, <c>forever</c>.</summary>
    public static string Format(TimeSpan keepAlive) => keepAlive == Timeout.InfiniteTimeSpan ? "forever"
        : keepAlive == TimeSpan.Zero ? "0"
        : keepAlive.TotalSeconds % 60 == 0 ? $"{keepAlive.TotalMinutes:0.##}m" : $"{keepAlive.TotalSeconds:0.###}s";

    /// <summary>
    /// The default from the settings file's <c>keepAlive</c> (a duration string or a number of seconds), else 5 minutes.
    /// An unreadable value is an error rather than a silent default.
    /// </summary>
    public static TimeSpan FromSettings(string settingsPath)
    {
        if (!File.Exists(settingsPath)) return Default;
        using var json = JsonDocument.Parse(File.ReadAllText(settingsPath));
        if (json.RootElement.ValueKind != JsonValueKind.Object || !json.RootElement.TryGetProperty(SettingName, out var value)) return Default;
        return value.ValueKind switch
        {
            JsonValueKind.Number => Parse(value.GetDouble().ToString(CultureInfo.InvariantCulture)),
            JsonValueKind.String => Parse(value.GetString()!),
            _ => throw new FormatException($"{settingsPath}: '{SettingName}' must be a duration such as \"5m\" or a number of seconds."),
        };
    }

    [GeneratedRegex(@"^(?<part>\d+(\.\d+)?(ms|h|m|s))+$")]
    private static partial Regex Duration();
}
