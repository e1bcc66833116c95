using System.CommandLine;
using System.Globalization;
using ReasonTools.Core.Inference;

namespace ReasonTools.Cli;

/// <summary>
/// The options of the settings run and compare share (hardware and models take the context size too), with their
/// defaults from <see cref="ReasonDefaults"/>, so a setting left out means the same in every command and front.
/// </summary>
internal static class SettingOptions
{
    private static string Number(float value) => value.ToString(CultureInfo.InvariantCulture);

    public static Option<int> ContextSize(string description = "Context size in tokens.") =>
        new("--context", "-c") { Description = description, DefaultValueFactory = _ => ReasonDefaults.ContextSize };

    public static Option<float> Temperature() =>
        Ranged(new("--temperature") { Description = $"Sampling temperature, 0 to {Number(ReasonDefaults.MaxTemperature)}; 0 is greedy. DeepSeek advises {Number(ReasonDefaults.Temperature)} for R1.", DefaultValueFactory = _ => ReasonDefaults.Temperature },
            0, ReasonDefaults.MaxTemperature);

    public static Option<float> TopP() =>
        Ranged(new("--top-p") { Description = $"Nucleus sampling, 0 to 1; DeepSeek advises {Number(ReasonDefaults.TopP)} for R1.", DefaultValueFactory = _ => ReasonDefaults.TopP }, 0, 1);

    // The same ranges as the cmdlets' ValidateRange and chat's /set, so a value refused in one front is refused in all.
    private static Option<float> Ranged(Option<float> option, float min, float max)
    {
        option.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<float>();
            if (value < min || value > max || float.IsNaN(value))
                result.AddError($"{option.Name}: {Number(value)} is outside {Number(min)} to {Number(max)}.");
        });
        return option;
    }

    public static Option<string> GpuLayers() =>
        new("--gpu-layers") { Description = "Layers to offload to a GPU: a number (-1 for all, 0 for none), or auto (from the fit estimate).", DefaultValueFactory = _ => ReasonDefaults.GpuLayers.ToString() };

    /// <summary>The layer count of a <c>--gpu-layers</c> value: null for auto.</summary>
    public static int? ParseGpuLayers(string value) => GpuLayerSetting.Parse(value).Count;
}
