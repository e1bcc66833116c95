using System.Text;
using ReasonTools.Core.Gguf;

namespace ReasonTools.Testing;

/// <summary>
/// Byte-level GGUF builder with no validation, for crafting malformed and hostile files in tests: every field is
/// written exactly as given.
/// </summary>
public sealed class GgufBytes
{
    private readonly MemoryStream _stream = new();
    private readonly BinaryWriter _w;

    /// <summary>Creates an empty builder.</summary>
    public GgufBytes() => _w = new BinaryWriter(_stream, Encoding.UTF8, leaveOpen: true);

    /// <summary>Bytes written so far.</summary>
    public long Length => _stream.Length;

    /// <summary>Magic, version, tensor count and key-value count.</summary>
    public GgufBytes Header(ulong tensorCount, ulong kvCount, uint version = 3, uint magic = 0x46554747) =>
        U32(magic).U32(version).U64(tensorCount).U64(kvCount);

    /// <summary>A raw little-endian uint32.</summary>
    public GgufBytes U32(uint v) { _w.Write(v); return this; }

    /// <summary>A raw little-endian uint64.</summary>
    public GgufBytes U64(ulong v) { _w.Write(v); return this; }

    /// <summary>Raw bytes.</summary>
    public GgufBytes Raw(params byte[] bytes) { _w.Write(bytes); return this; }

    /// <summary>A GGUF string: uint64 length then UTF-8 bytes.</summary>
    public GgufBytes Str(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        return U64((ulong)bytes.Length).Raw(bytes);
    }

    /// <summary>A string whose length field is <paramref name="declaredLength"/> whatever the bytes that follow.</summary>
    public GgufBytes StrWithLength(ulong declaredLength, string s) => U64(declaredLength).Raw(Encoding.UTF8.GetBytes(s));

    /// <summary>Key and value type (the value must follow).</summary>
    public GgufBytes Key(string key, GgufValueType type) => Str(key).U32((uint)type);

    /// <summary>A uint32 key-value pair.</summary>
    public GgufBytes KvU32(string key, uint v) => Key(key, GgufValueType.UInt32).U32(v);

    /// <summary>A string key-value pair.</summary>
    public GgufBytes KvString(string key, string v) => Key(key, GgufValueType.String).Str(v);

    /// <summary>Array header: key, ARRAY, element type and declared count (the elements must follow).</summary>
    public GgufBytes ArrayHeader(string key, GgufValueType elementType, ulong count) =>
        Key(key, GgufValueType.Array).U32((uint)elementType).U64(count);

    /// <summary>One tensor info: name, dimension count, dimensions, type, data offset.</summary>
    public GgufBytes Tensor(string name, ulong[] dims, GgmlType type, ulong offset) => Tensor(name, dims, (uint)type, offset);

    /// <summary>One tensor info with a raw type value.</summary>
    public GgufBytes Tensor(string name, ulong[] dims, uint type, ulong offset)
    {
        Str(name).U32((uint)dims.Length);
        foreach (var d in dims) U64(d);
        return U32(type).U64(offset);
    }

    /// <summary>Zero bytes up to the next multiple of <paramref name="alignment"/>.</summary>
    public GgufBytes Pad(int alignment = 32)
    {
        while (_stream.Length % alignment != 0) _w.Write((byte)0);
        return this;
    }

    /// <summary><paramref name="count"/> zero bytes (tensor data).</summary>
    public GgufBytes Zeros(int count) => Raw(new byte[count]);

    /// <summary>The bytes written.</summary>
    public byte[] ToArray()
    {
        _w.Flush();
        return _stream.ToArray();
    }
}
