using System.Globalization;

namespace ReasonTools.Interactive;

/// <summary>
/// Reads the values of a magic command's parameters (as the notebook hands them over: text, possibly quoted) and
/// words a bad value the way the <c>reason</c> command does.
/// </summary>
internal sealed class CellParameters(IDictionary<string, string> values, Microsoft.DotNet.Interactive.Kernel kernel)
{
    /// <summary>The text of <paramref name="name"/>, without surrounding quotes (<c>@csharp:x</c>: that variable's text); null when it was not given.</summary>
    public string? Text(string name)
    {
        if (!values.TryGetValue(name, out var value) || value is null) return null;
        value = value.Trim();
        if (value.Length >= 2 && (value[0] == '"' && value[^1] == '"' || value[0] == '\'' && value[^1] == '\'')) value = value[1..^1];
        if (value.Length == 0) return null;
        var expanded = DirectiveLine.Expand(kernel, name, value);
        return expanded.Count == 1 ? expanded[0] : throw new ArgumentException($"{name} takes one value, and {value} holds {expanded.Count}.");
    }

    public int? Int(string name, int min)
    {
        if (Text(name) is not { } text) return null;
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= min ? n
            : throw new ArgumentException($"{name} takes a whole number of at least {min}, not '{text}'.");
    }

    public uint? UInt(string name)
    {
        if (Text(name) is not { } text) return null;
        return uint.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n
            : throw new ArgumentException($"{name} takes a whole number from 0 to {uint.MaxValue}, not '{text}'.");
    }

    public float? Float(string name, float min)
    {
        if (Text(name) is not { } text) return null;
        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n >= min ? n
            : throw new ArgumentException($"{name} takes a number of at least {min.ToString(CultureInfo.InvariantCulture)}, not '{text}'.");
    }

    /// <summary>--gpu-layers: a number of layers (-1 for all) or auto (null), read as every front reads it.</summary>
    public int? GpuLayers(string name) => Text(name) is { } text ? Core.Inference.GpuLayerSetting.Parse(text).Count : null;
}
