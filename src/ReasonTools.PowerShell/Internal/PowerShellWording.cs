using ReasonTools.Core;
using ReasonTools.Core.Models;

namespace ReasonTools.PowerShell.Internal;

/// <summary>The module's names for the core's settings and commands: <c>-ContextSize 2048</c>, <c>Save-ReasonModel -Model 7B</c>.</summary>
internal sealed class PowerShellWording : IFailureWording
{
    public static PowerShellWording Instance { get; } = new();

    private static readonly Dictionary<string, string> Parameters = new(StringComparer.Ordinal)
    {
        [SettingNames.Model] = "-Model",
        [SettingNames.Prompt] = "-Prompt",
        [SettingNames.Files] = "-Path",
        [SettingNames.Task] = "-Task",
        [SettingNames.ContextSize] = "-ContextSize",
        [SettingNames.MaxTokens] = "-MaxTokens",
        [SettingNames.Temperature] = "-Temperature",
        [SettingNames.TopP] = "-TopP",
        [SettingNames.TopK] = "-TopK",
        [SettingNames.Seed] = "-Seed",
        [SettingNames.Threads] = "-Threads",
        [SettingNames.GpuLayers] = "-GpuLayers",
        [SettingNames.Quantization] = "-Quantization",
        [SettingNames.Folder] = "-Path",
        [SettingNames.PromptSet] = "-PromptSet",
        [SettingNames.AllowUnsandboxedCode] = "-AllowUnsandboxedCode",
    };

    /// <summary>The parameter that sets <paramref name="setting"/>, such as <c>-ContextSize</c>.</summary>
    public static string Parameter(string setting) =>
        Parameters.TryGetValue(setting, out var parameter) ? parameter : "-" + char.ToUpperInvariant(setting[0]) + setting[1..];

    public string Setting(string name, string? value = null) => value is null ? Parameter(name) : $"{Parameter(name)} {value}";

    /// <summary>Save-ReasonModel -Model 7B [-Quantization Q8_0]; the default quantization is left out.</summary>
    public string Download(string size, string? quantization) =>
        ModelResolver.DownloadQuantization(quantization) is { } q
            ? $"Save-ReasonModel -Model {size.ToUpperInvariant()} -Quantization {q}"
            : $"Save-ReasonModel -Model {size.ToUpperInvariant()}";

    public string LogAnalysisTask => "-Task LogAnalysis";
}
