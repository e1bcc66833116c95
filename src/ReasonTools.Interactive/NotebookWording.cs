using ReasonTools.Core;

namespace ReasonTools.Interactive;

/// <summary>
/// Settings named as a notebook user changes them: the option on the magic command's line ("--max-tokens on the
/// #!reason line"), so a cut chain says what to edit in the cell.
/// </summary>
internal sealed class NotebookWording(string magicCommand) : IFailureWording
{
    public string Setting(string name, string? value = null)
    {
        var option = name switch
        {
            SettingNames.MaxTokens => "--max-tokens",
            SettingNames.ContextSize => "--context",
            SettingNames.Temperature => "--temperature",
            SettingNames.TopP => "--top-p",
            SettingNames.Seed => "--seed",
            SettingNames.GpuLayers => "--gpu-layers",
            SettingNames.Model => "--model",
            _ => null,
        };
        if (option is null) return FailureWording.Neutral.Setting(name, value);
        return (value is null ? option : $"{option} {value}") + $" on the {magicCommand} line";
    }

    public string Download(string size, string? quantization) => FailureWording.Neutral.Download(size, quantization);

    public string LogAnalysisTask => FailureWording.Neutral.LogAnalysisTask;
}
