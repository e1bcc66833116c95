using System.Globalization;

namespace ReasonTools.Core.Gguf;

/// <summary>Value types of GGUF metadata (enum gguf_type in gguf.h).</summary>
public enum GgufValueType : uint
{
    UInt8 = 0, Int8 = 1, UInt16 = 2, Int16 = 3, UInt32 = 4, Int32 = 5, Float32 = 6, Bool = 7,
    String = 8, Array = 9, UInt64 = 10, Int64 = 11, Float64 = 12,
}

/// <summary>
/// One metadata value: a scalar, a string, or an array of one scalar or string type.
/// Arrays are held as typed .NET arrays (byte[], int[], float[], string[], ...).
/// </summary>
public sealed class GgufValue
{
    private readonly object _value;

    internal GgufValue(string key, GgufValueType type, GgufValueType elementType, object value, long offset)
    {
        Key = key;
        Type = type;
        ElementType = elementType;
        _value = value;
        Offset = offset;
    }

    /// <summary>The key this value is stored under.</summary>
    public string Key { get; }

    /// <summary>The stored type; <see cref="GgufValueType.Array"/> for arrays.</summary>
    public GgufValueType Type { get; }

    /// <summary>For arrays, the type of the elements; otherwise equal to <see cref="Type"/>.</summary>
    public GgufValueType ElementType { get; }

    /// <summary>Byte offset of this key-value pair in the file.</summary>
    public long Offset { get; }

    /// <summary>True for arrays.</summary>
    public bool IsArray => Type == GgufValueType.Array;

    /// <summary>Number of elements of an array (1 for a scalar).</summary>
    public int Count => _value is Array a ? a.Length : 1;

    /// <summary>The value as a .NET object: the scalar (byte, int, float, string, bool, ...) or the typed array.</summary>
    public object Value => _value;

    /// <summary>The string value; throws <see cref="GgufFormatException"/> for any other type.</summary>
    public string GetString() => _value as string ?? throw WrongType("a string");

    /// <summary>The boolean value.</summary>
    public bool GetBool() => _value is bool b ? b : throw WrongType("a bool");

    /// <summary>Any integer value that fits an unsigned 32-bit integer.</summary>
    public uint GetUInt32() => TryInteger(out var v) && v >= 0 && v <= uint.MaxValue ? (uint)v : throw WrongType("an integer in the uint32 range");

    /// <summary>Any integer value that fits a signed 32-bit integer.</summary>
    public int GetInt32() => TryInteger(out var v) && v >= int.MinValue && v <= int.MaxValue ? (int)v : throw WrongType("an integer in the int32 range");

    /// <summary>Any integer value that fits a signed 64-bit integer.</summary>
    public long GetInt64() => TryInteger(out var v) ? (long)v : throw WrongType("an integer in the int64 range");

    /// <summary>A float32 or float64 value (float64 narrowed).</summary>
    public float GetFloat() => _value switch
    {
        float f => f,
        double d => (float)d,
        _ => throw WrongType("a float"),
    };

    /// <summary>A float32 or float64 value as a double.</summary>
    public double GetDouble() => _value switch
    {
        float f => f,
        double d => d,
        _ => throw WrongType("a float"),
    };

    /// <summary>An array of strings.</summary>
    public IReadOnlyList<string> GetStringArray() => _value as string[] ?? throw WrongType("an array of strings");

    /// <summary>An array whose elements are exactly <typeparamref name="T"/> (byte, int, float, bool, ...).</summary>
    public IReadOnlyList<T> GetArray<T>() =>
        // Exact type test: the runtime lets int[] pass as uint[] (and sbyte[] as byte[]).
        _value.GetType() == typeof(T[]) ? (T[])_value : throw WrongType($"an array of {typeof(T).Name}");

    /// <summary>An array of any integer element type, widened to long.</summary>
    public IReadOnlyList<long> GetInt64Array()
    {
        return _value switch
        {
            _ when _value.GetType() == typeof(byte[]) => Array.ConvertAll((byte[])_value, x => (long)x),
            _ when _value.GetType() == typeof(sbyte[]) => Array.ConvertAll((sbyte[])_value, x => (long)x),
            _ when _value.GetType() == typeof(ushort[]) => Array.ConvertAll((ushort[])_value, x => (long)x),
            _ when _value.GetType() == typeof(short[]) => Array.ConvertAll((short[])_value, x => (long)x),
            _ when _value.GetType() == typeof(uint[]) => Array.ConvertAll((uint[])_value, x => (long)x),
            _ when _value.GetType() == typeof(int[]) => Array.ConvertAll((int[])_value, x => (long)x),
            _ when _value.GetType() == typeof(long[]) => (long[])_value,
            _ when _value.GetType() == typeof(ulong[]) && ((ulong[])_value).All(x => x <= long.MaxValue) => Array.ConvertAll((ulong[])_value, x => (long)x),
            _ => throw WrongType("an array of integers"),
        };
    }

    internal bool TryInteger(out decimal value)
    {
        switch (_value)
        {
            case byte x: value = x; return true;
            case sbyte x: value = x; return true;
            case ushort x: value = x; return true;
            case short x: value = x; return true;
            case uint x: value = x; return true;
            case int x: value = x; return true;
            case ulong x: value = x; return x <= long.MaxValue;
            case long x: value = x; return true;
            default: value = 0; return false;
        }
    }

    /// <summary>A short human-readable rendering (arrays show their type and length).</summary>
    public override string ToString() => _value switch
    {
        string s => s,
        Array a => $"{ElementType}[{a.Length}]",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => _value.ToString() ?? "",
    };

    private GgufFormatException WrongType(string expected) =>
        new(Offset, $"key '{Key}' is {Describe()}, expected {expected}");

    private string Describe() => IsArray ? $"an array of {ElementType} ({Count} elements)" : $"{Type} ({ToString()})";
}
