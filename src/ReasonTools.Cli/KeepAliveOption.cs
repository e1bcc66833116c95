using System.CommandLine;
using ReasonTools.Core;
using ReasonTools.Core.Hosting;

namespace ReasonTools.Cli;

/// <summary>The <c>--keep-alive</c> option of run, chat and compare: the same durations and default as <c>-KeepAlive</c>.</summary>
internal static class KeepAliveOption
{
    public static Option<string?> Create() => new("--keep-alive")
    {
        Description = "How long the model stays loaded after its last use: a duration such as 5m, 30s or 1h30m, a number of seconds, " +
                      "0 to unload at once, or -1 to keep it while reason runs. In chat an idle session frees the model after this long " +
                      "and loads it again for the next question. Default: 5m, or keepAlive in the settings file.",
    };

    /// <summary>The keep-alive given, or null for the host's default.</summary>
    public static TimeSpan? Parse(string? value)
    {
        if (value is null) return null;
        try
        {
            return KeepAlive.Parse(value);
        }
        catch (FormatException e)
        {
            throw new ReasonFailure(FailureKind.BadInput, "--keep-alive: " + e.Message) { Setting = SettingNames.KeepAlive };
        }
    }
}
