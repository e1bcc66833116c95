using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace ReasonTools.Core.Gguf;

/// <summary>The key-value metadata of a GGUF file, in file order, with typed accessors.</summary>
public sealed class GgufMetadata : IReadOnlyDictionary<string, GgufValue>
{
    private readonly List<GgufValue> _ordered;
    private readonly Dictionary<string, GgufValue> _byKey;

    internal GgufMetadata(List<GgufValue> ordered, Dictionary<string, GgufValue> byKey)
    {
        _ordered = ordered;
        _byKey = byKey;
    }

    /// <summary>The value at <paramref name="key"/>; a missing key is a <see cref="GgufFormatException"/> (the file lacks it).</summary>
    public GgufValue this[string key] => _byKey.TryGetValue(key, out var v) ? v : throw Missing(key);

    /// <inheritdoc />
    public int Count => _ordered.Count;

    /// <summary>Keys in file order.</summary>
    public IEnumerable<string> Keys => _ordered.Select(v => v.Key);

    /// <summary>Values in file order.</summary>
    public IEnumerable<GgufValue> Values => _ordered;

    /// <inheritdoc />
    public bool ContainsKey(string key) => _byKey.ContainsKey(key);

    /// <inheritdoc />
    public bool TryGetValue(string key, [MaybeNullWhen(false)] out GgufValue value) => _byKey.TryGetValue(key, out value);

    /// <summary>The string at <paramref name="key"/>; <see cref="GgufFormatException"/> when missing or not a string.</summary>
    public string GetString(string key) => this[key].GetString();

    /// <summary>The integer at <paramref name="key"/> as uint32.</summary>
    public uint GetUInt32(string key) => this[key].GetUInt32();

    /// <summary>The integer at <paramref name="key"/> as int64.</summary>
    public long GetInt64(string key) => this[key].GetInt64();

    /// <summary>The float at <paramref name="key"/>.</summary>
    public float GetFloat(string key) => this[key].GetFloat();

    /// <summary>The bool at <paramref name="key"/>.</summary>
    public bool GetBool(string key) => this[key].GetBool();

    /// <summary>The string array at <paramref name="key"/>.</summary>
    public IReadOnlyList<string> GetStringArray(string key) => this[key].GetStringArray();

    /// <summary>The string at <paramref name="key"/>, or null when missing or of another type.</summary>
    public string? TryGetString(string key) => _byKey.TryGetValue(key, out var v) ? v.Value as string : null;

    /// <summary>The integer at <paramref name="key"/> when present and an integer that fits int64; otherwise null.</summary>
    public long? TryGetInt64(string key) => _byKey.TryGetValue(key, out var v) && v.TryInteger(out var i) ? (long)i : null;

    /// <summary>The float at <paramref name="key"/> when present and a float; otherwise null.</summary>
    public double? TryGetDouble(string key) => _byKey.TryGetValue(key, out var v) ? v.Value switch { float f => f, double d => d, _ => null } : null;

    /// <summary>The bool at <paramref name="key"/> when present and a bool; otherwise null.</summary>
    public bool? TryGetBool(string key) => _byKey.TryGetValue(key, out var v) && v.Value is bool b ? b : null;

    /// <summary>The string array at <paramref name="key"/> when present and one; otherwise null.</summary>
    public IReadOnlyList<string>? TryGetStringArray(string key) => _byKey.TryGetValue(key, out var v) ? v.Value as string[] : null;

    /// <summary>Pairs in file order.</summary>
    public IEnumerator<KeyValuePair<string, GgufValue>> GetEnumerator() =>
        _ordered.Select(v => new KeyValuePair<string, GgufValue>(v.Key, v)).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static GgufFormatException Missing(string key) => new(-1, $"required key '{key}' is missing");
}
