using ReasonTools.Core.Inference;
using System.Globalization;

namespace ReasonTools.Cli;

/// <summary>What one line typed into <c>reason chat</c> asks for.</summary>
internal enum ChatAction
{
    /// <summary>A question for the model (the line itself).</summary>
    Ask,
    /// <summary>An empty line: nothing to do.</summary>
    Nothing,
    Bye,
    Clear,
    Help,
    ShowTimings,
    ShowSettings,
    /// <summary>A setting changed: <see cref="ChatLine.Setting"/> to <see cref="ChatLine.Value"/>.</summary>
    Set,
    /// <summary>A line starting with / that is no command, or a command used wrongly; <see cref="ChatLine.Error"/> says why.</summary>
    Invalid,
}

/// <summary>One parsed line of a chat session.</summary>
internal sealed record ChatLine(ChatAction Action)
{
    public string Text { get; init; } = "";
    public string? Setting { get; init; }
    public double Value { get; init; }
    public string? Error { get; init; }
}

/// <summary>
/// Parses what a user types into <c>reason chat</c> (pure), with the commands of <c>ollama run</c>: /bye, /clear,
/// /set NAME VALUE, /show timings|settings, /? .
/// </summary>
internal static class ChatInput
{
    /// <summary>The settings /set changes, with the range each accepts.</summary>
    public static readonly IReadOnlyDictionary<string, (double Min, double Max)> Settings = new Dictionary<string, (double, double)>(StringComparer.OrdinalIgnoreCase)
    {
        ["temperature"] = (0, ReasonDefaults.MaxTemperature),
        ["top-p"] = (0, 1),
        ["seed"] = (0, uint.MaxValue),
        ["max-tokens"] = (1, int.MaxValue),
    };

    public const string Help =
        "Commands:\n" +
        "  /set temperature T   sampling temperature (0 is greedy; 0.6 advised for R1)\n" +
        "  /set top-p P         nucleus sampling (0.95 advised for R1)\n" +
        "  /set seed S          seed for reproducible sampling\n" +
        "  /set max-tokens N    most tokens per answer\n" +
        "  /show timings        timings of the last answer\n" +
        "  /show settings       the current settings\n" +
        "  /clear               forget the conversation so far\n" +
        "  /bye                 leave (or end of input: Ctrl+D)\n" +
        "Ctrl+C stops the current answer.";

    public static ChatLine Parse(string line)
    {
        var text = line.Trim();
        if (text.Length == 0) return new ChatLine(ChatAction.Nothing);
        if (!text.StartsWith('/')) return new ChatLine(ChatAction.Ask) { Text = text };
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return words[0].ToLowerInvariant() switch
        {
            "/bye" or "/exit" => new ChatLine(ChatAction.Bye),
            "/clear" => new ChatLine(ChatAction.Clear),
            "/?" or "/help" => new ChatLine(ChatAction.Help),
            "/show" when words.Length == 2 && words[1].Equals("timings", StringComparison.OrdinalIgnoreCase) => new ChatLine(ChatAction.ShowTimings),
            "/show" when words.Length == 2 && words[1].Equals("settings", StringComparison.OrdinalIgnoreCase) => new ChatLine(ChatAction.ShowSettings),
            "/show" => Invalid("Use /show timings or /show settings."),
            "/set" => ParseSet(words),
            _ => Invalid($"Unknown command '{words[0]}'. Type /? for help."),
        };
    }

    private static ChatLine ParseSet(string[] words)
    {
        if (words.Length != 3 || !Settings.TryGetValue(words[1], out var range))
            return Invalid($"Use /set NAME VALUE with NAME one of {string.Join(", ", Settings.Keys)}.");
        var whole = words[1].Equals("seed", StringComparison.OrdinalIgnoreCase) || words[1].Equals("max-tokens", StringComparison.OrdinalIgnoreCase);
        if (!double.TryParse(words[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < range.Min || value > range.Max || (whole && value % 1 != 0))
            return Invalid(string.Format(CultureInfo.InvariantCulture, "{0} takes a {4} from {1} to {2}, not '{3}'.", words[1].ToLowerInvariant(), range.Min, range.Max, words[2], whole ? "whole number" : "number"));
        return new ChatLine(ChatAction.Set) { Setting = words[1].ToLowerInvariant(), Value = value };
    }

    private static ChatLine Invalid(string error) => new(ChatAction.Invalid) { Error = error };
}
