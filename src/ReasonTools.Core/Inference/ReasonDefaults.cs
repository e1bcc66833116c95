using System.Globalization;

namespace ReasonTools.Core.Inference;

/// <summary>
/// The defaults of the settings every front binds (the CLI's options, the cmdlets' parameters, the notebook's magic
/// command parameters), defined once so that a setting left out means the same thing wherever it is left out.
/// <see cref="EngineOptions"/> and <see cref="ReasonRequest"/> start from these values.
/// </summary>
public static class ReasonDefaults
{
    /// <summary>Context size in tokens (prompt and generated tokens together).</summary>
    public const int ContextSize = 4096;

    /// <summary>Sampling temperature: DeepSeek's advice for R1.</summary>
    public const float Temperature = 0.6f;

    /// <summary>The highest temperature any front accepts: above 2 an R1 chain is noise.</summary>
    public const float MaxTemperature = 2.0f;

    /// <summary>Nucleus sampling: DeepSeek's advice for R1.</summary>
    public const float TopP = 0.95f;

    /// <summary>
    /// Top-k before top-p. 40 (llama.cpp's and Ollama's default) keeps sampling cheap on a 152k-token vocabulary: top-p
    /// alone sorts every logit each token; at temperature 0.6 and top-p 0.95 the 40 best tokens hold the nucleus.
    /// </summary>
    public const int TopK = 40;

    /// <summary>GPU layers: chosen by <see cref="GpuLayerChooser"/> from the fit estimate.</summary>
    public static GpuLayerSetting GpuLayers => GpuLayerSetting.Auto;

    /// <summary>
    /// How long a model stays loaded after a command (Ollama's default); the settings file's <c>keepAlive</c> changes it.
    /// </summary>
    public static TimeSpan KeepAlive => Hosting.KeepAlive.Default;

    // Seed (null: a random seed, reported in the result), threads (null: the logical cores, shared with other generations on this machine) and max tokens (null: what
    // the context leaves after the prompt) have no value of their own: they are left unset.
}

/// <summary>
/// The GPU layers setting as users give it: <c>auto</c> (<see cref="Count"/> null: <see cref="GpuLayerChooser"/> decides)
/// or a number of layers (-1 for every layer, 0 for none).
/// </summary>
public readonly record struct GpuLayerSetting(int? Count)
{
    /// <summary>The word for the automatic choice.</summary>
    public const string AutoWord = "auto";

    /// <summary>Chosen from the fit estimate.</summary>
    public static GpuLayerSetting Auto => new(null);

    /// <summary>
    /// Reads <c>auto</c> (any case) or a whole number of at least -1; anything else is a <see cref="FailureKind.BadInput"/>
    /// failure for <see cref="SettingNames.GpuLayers"/>.
    /// </summary>
    public static GpuLayerSetting Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var value = text.Trim();
        if (value.Equals(AutoWord, StringComparison.OrdinalIgnoreCase)) return Auto;
        if (int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) && n >= -1) return new(n);
        throw new ReasonFailure(FailureKind.BadInput, w => $"{w.Setting(SettingNames.GpuLayers)} takes a number of layers (-1 for all, 0 for none) or auto, not '{text}'.")
        {
            Setting = SettingNames.GpuLayers,
        };
    }

    /// <summary><c>auto</c> or the number.</summary>
    public override string ToString() => Count?.ToString(CultureInfo.InvariantCulture) ?? AutoWord;
}
