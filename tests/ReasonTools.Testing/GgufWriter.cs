using System.Buffers.Binary;
using System.Text;
using ReasonTools.Core.Gguf;

namespace ReasonTools.Testing;

/// <summary>
/// Fills <paramref name="destination"/> with the tensor bytes that start at <paramref name="byteOffset"/> within the
/// tensor. Called chunk by chunk so tensors of any size are streamed without being held in memory.
/// </summary>
public delegate void TensorFill(Span<byte> destination, long byteOffset);

/// <summary>
/// Writes valid GGUF v3 files: metadata of every value type (arrays included) and tensors whose data is streamed from
/// <see cref="TensorFill"/> callbacks, so multi-gigabyte files are written in constant memory.
/// </summary>
public sealed class GgufWriter
{
    private const int ChunkBytes = 1 << 20;
    private readonly List<(string Key, GgufValueType Type, GgufValueType ElementType, object Value)> _metadata = [];
    private readonly List<(string Name, GgmlType Type, long[] Dims, long Bytes, TensorFill Fill)> _tensors = [];

    /// <summary>Creates a writer whose tensor data is aligned to <paramref name="alignment"/> bytes (written as general.alignment when not 32).</summary>
    public GgufWriter(uint alignment = GgufReader.DefaultAlignment)
    {
        if (alignment == 0 || (alignment & (alignment - 1)) != 0) throw new ArgumentException("Alignment must be a power of two.", nameof(alignment));
        Alignment = alignment;
        if (alignment != GgufReader.DefaultAlignment) Add("general.alignment", alignment);
    }

    /// <summary>Alignment of tensor data.</summary>
    public uint Alignment { get; }

    /// <summary>
    /// Adds a key-value pair; the GGUF type follows the .NET type: byte, sbyte, ushort, short, uint, int, float,
    /// bool, string, ulong, long, double, or a one-dimensional array of one of them.
    /// </summary>
    public GgufWriter Add(string key, object value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (value is Array array)
        {
            var elementType = TypeOf(array.GetType().GetElementType()!);
            _metadata.Add((key, GgufValueType.Array, elementType, array));
        }
        else
        {
            var type = TypeOf(value.GetType());
            _metadata.Add((key, type, type, value));
        }
        return this;
    }

    /// <summary>Replaces the value of <paramref name="key"/> in place (its type follows the new value), or adds it.</summary>
    public GgufWriter Set(string key, object value)
    {
        var at = _metadata.FindIndex(m => m.Key == key);
        if (at < 0) return Add(key, value);
        Add(key, value);
        _metadata[at] = _metadata[^1];
        _metadata.RemoveAt(_metadata.Count - 1);
        return this;
    }

    /// <summary>Removes <paramref name="key"/> when present.</summary>
    public GgufWriter Remove(string key)
    {
        _metadata.RemoveAll(m => m.Key == key);
        return this;
    }

    /// <summary>Removes the tensor <paramref name="name"/> when present.</summary>
    public GgufWriter RemoveTensor(string name)
    {
        _tensors.RemoveAll(t => t.Name == name);
        return this;
    }

    /// <summary>Adds a tensor of any type whose bytes come from <paramref name="fill"/>; <paramref name="dims"/> are innermost first.</summary>
    public GgufWriter AddTensor(string name, GgmlType type, long[] dims, TensorFill fill)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(dims);
        ArgumentNullException.ThrowIfNull(fill);
        var elements = dims.Aggregate(1L, (a, d) => checked(a * d));
        _tensors.Add((name, type, (long[])dims.Clone(), GgmlTypes.ByteSize(type, elements), fill));
        return this;
    }

    /// <summary>Adds an F32 or F16 tensor with the given values (for small tensors).</summary>
    public GgufWriter AddTensor(string name, GgmlType type, long[] dims, float[] values) =>
        AddTensor(name, type, dims, TensorFills.FromValues(type, values));

    /// <summary>Total bytes the file will have.</summary>
    public long ComputeLength()
    {
        var data = 0L;
        foreach (var t in _tensors) data = Pad(data + t.Bytes);
        return BuildHeader().Length + data;
    }

    /// <summary>Writes the file to <paramref name="path"/>, replacing it.</summary>
    public void WriteTo(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        WriteTo(file);
    }

    /// <summary>
    /// Writes the header and extends the file to its full length without writing tensor data: sparse on most file
    /// systems, so a file of any size costs no disk or time; the weights read as zeros.
    /// </summary>
    public void WriteHeaderOnly(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
        WriteTo(file, includeData: false);
        file.SetLength(ComputeLength());
    }

    /// <summary>Writes the file to <paramref name="stream"/> (which need not be seekable).</summary>
    public void WriteTo(Stream stream) => WriteTo(stream, includeData: true);

    private void WriteTo(Stream stream, bool includeData)
    {
        var header = BuildHeader();
        header.Position = 0;
        header.CopyTo(stream);
        stream.Flush();

        if (!includeData) return;
        var buffer = new byte[ChunkBytes];
        foreach (var t in _tensors)
        {
            for (long done = 0; done < t.Bytes;)
            {
                var n = (int)Math.Min(ChunkBytes, t.Bytes - done);
                var span = buffer.AsSpan(0, n);
                t.Fill(span, done);
                stream.Write(span);
                done += n;
            }
            var padding = (int)(Pad(t.Bytes) - t.Bytes);
            buffer.AsSpan(0, padding).Clear();
            stream.Write(buffer, 0, padding);
        }
        stream.Flush();
    }

    /// <summary>Magic, counts, metadata and tensor infos, padded to the alignment when there are tensors.</summary>
    private MemoryStream BuildHeader()
    {
        var header = new MemoryStream();
        var w = new BinaryWriter(header, Encoding.UTF8, leaveOpen: true);
        w.Write(0x46554747u);
        w.Write(3u);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)_metadata.Count);
        foreach (var (key, type, elementType, value) in _metadata)
        {
            WriteString(w, key);
            w.Write((uint)type);
            if (type == GgufValueType.Array)
            {
                var array = (Array)value;
                w.Write((uint)elementType);
                w.Write((ulong)array.Length);
                foreach (var element in array) WriteScalar(w, elementType, element!);
            }
            else
            {
                WriteScalar(w, type, value);
            }
        }
        var offset = 0L;
        foreach (var t in _tensors)
        {
            WriteString(w, t.Name);
            w.Write((uint)t.Dims.Length);
            foreach (var d in t.Dims) w.Write((ulong)d);
            w.Write((uint)t.Type);
            w.Write((ulong)offset);
            offset = Pad(offset + t.Bytes);
        }
        w.Flush();
        if (_tensors.Count > 0) header.Write(new byte[Pad(header.Length) - header.Length]);
        return header;
    }

    private long Pad(long value) => (value + Alignment - 1) & ~((long)Alignment - 1);

    private static void WriteString(BinaryWriter w, string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static void WriteScalar(BinaryWriter w, GgufValueType type, object value)
    {
        switch (type)
        {
            case GgufValueType.UInt8: w.Write((byte)value); break;
            case GgufValueType.Int8: w.Write((sbyte)value); break;
            case GgufValueType.UInt16: w.Write((ushort)value); break;
            case GgufValueType.Int16: w.Write((short)value); break;
            case GgufValueType.UInt32: w.Write((uint)value); break;
            case GgufValueType.Int32: w.Write((int)value); break;
            case GgufValueType.Float32: w.Write((float)value); break;
            case GgufValueType.Bool: w.Write((bool)value ? (byte)1 : (byte)0); break;
            case GgufValueType.String: WriteString(w, (string)value); break;
            case GgufValueType.UInt64: w.Write((ulong)value); break;
            case GgufValueType.Int64: w.Write((long)value); break;
            case GgufValueType.Float64: w.Write((double)value); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, "not a scalar type");
        }
    }

    private static GgufValueType TypeOf(Type t) =>
        t == typeof(byte) ? GgufValueType.UInt8 :
        t == typeof(sbyte) ? GgufValueType.Int8 :
        t == typeof(ushort) ? GgufValueType.UInt16 :
        t == typeof(short) ? GgufValueType.Int16 :
        t == typeof(uint) ? GgufValueType.UInt32 :
        t == typeof(int) ? GgufValueType.Int32 :
        t == typeof(float) ? GgufValueType.Float32 :
        t == typeof(bool) ? GgufValueType.Bool :
        t == typeof(string) ? GgufValueType.String :
        t == typeof(ulong) ? GgufValueType.UInt64 :
        t == typeof(long) ? GgufValueType.Int64 :
        t == typeof(double) ? GgufValueType.Float64 :
        throw new ArgumentException($"{t} has no GGUF value type.");
}

/// <summary>Ready-made <see cref="TensorFill"/> sources.</summary>
public static class TensorFills
{
    /// <summary>All bytes zero (0.0 for F32/F16).</summary>
    public static TensorFill Zeros { get; } = (span, _) => span.Clear();

    /// <summary>Every element equal to <paramref name="value"/> (F32 or F16).</summary>
    public static TensorFill Constant(GgmlType type, float value)
    {
        var bytes = ElementBytes(type, value);
        return (span, _) =>
        {
            for (var i = 0; i + bytes.Length <= span.Length; i += bytes.Length) bytes.CopyTo(span[i..]);
        };
    }

    /// <summary>The given values, converted to F32 or F16.</summary>
    public static TensorFill FromValues(GgmlType type, float[] values)
    {
        var size = ElementSize(type);
        return (span, offset) =>
        {
            var first = offset / size;
            for (var i = 0; i < span.Length / size; i++) ElementBytes(type, values[first + i]).CopyTo(span[(i * size)..]);
        };
    }

    /// <summary>
    /// Deterministic pseudo-random values, roughly normal with mean 0 and standard deviation <paramref name="stdDev"/>,
    /// for F32 or F16. Counter-based (SplitMix64 of seed and position), so the bytes do not depend on chunking, and
    /// fast enough for multi-gigabyte tensors (F16 uses a 65536-entry table).
    /// </summary>
    public static TensorFill Random(GgmlType type, ulong seed, float stdDev = 0.02f)
    {
        if (type == GgmlType.F16)
        {
            var table = NormalTable(stdDev, v => BitConverter.HalfToUInt16Bits((Half)v));
            return (span, offset) =>
            {
                // Fills 8 bytes (four F16 values) per random word; offsets are multiples of 8 (chunks are 1 MiB).
                var word = (ulong)offset / 8;
                int i = 0;
                for (; i + 8 <= span.Length; i += 8, word++)
                {
                    var r = Mix(seed, word);
                    BinaryPrimitives.WriteUInt16LittleEndian(span[i..], table[(int)(r & 0xFFFF)]);
                    BinaryPrimitives.WriteUInt16LittleEndian(span[(i + 2)..], table[(int)((r >> 16) & 0xFFFF)]);
                    BinaryPrimitives.WriteUInt16LittleEndian(span[(i + 4)..], table[(int)((r >> 32) & 0xFFFF)]);
                    BinaryPrimitives.WriteUInt16LittleEndian(span[(i + 6)..], table[(int)(r >> 48)]);
                }
                var last = Mix(seed, word);
                for (var k = 0; i + 2 <= span.Length; i += 2, k++)
                    BinaryPrimitives.WriteUInt16LittleEndian(span[i..], table[(int)((last >> (16 * k)) & 0xFFFF)]);
            };
        }
        if (type == GgmlType.F32)
        {
            var table = NormalTable(stdDev, BitConverter.SingleToUInt32Bits);
            return (span, offset) =>
            {
                var word = (ulong)offset / 8;
                for (var i = 0; i + 4 <= span.Length; i += 8, word++)
                {
                    var r = Mix(seed, word);
                    BinaryPrimitives.WriteUInt32LittleEndian(span[i..], table[(int)(r & 0xFFFF)]);
                    if (i + 8 <= span.Length) BinaryPrimitives.WriteUInt32LittleEndian(span[(i + 4)..], table[(int)((r >> 16) & 0xFFFF)]);
                }
            };
        }
        throw new ArgumentException($"Random values are available for F32 and F16, not {type}; use a raw fill.", nameof(type));
    }

    private static T[] NormalTable<T>(float stdDev, Func<float, T> encode)
    {
        // Sum of four uniforms per entry, scaled to the wanted deviation: close enough to normal for weights.
        var table = new T[65536];
        ulong state = 0x9E3779B97F4A7C15;
        for (var i = 0; i < table.Length; i++)
        {
            var r = Mix(state, (ulong)i);
            var sum = 0.0;
            for (var k = 0; k < 4; k++) sum += ((r >> (16 * k)) & 0xFFFF) / 65535.0;
            table[i] = encode((float)((sum - 2.0) * Math.Sqrt(3.0) * stdDev));
        }
        return table;
    }

    private static ulong Mix(ulong seed, ulong counter)
    {
        var z = seed + (counter + 1) * 0x9E3779B97F4A7C15;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        return z ^ (z >> 31);
    }

    private static int ElementSize(GgmlType type) => type switch
    {
        GgmlType.F32 => 4,
        GgmlType.F16 => 2,
        _ => throw new ArgumentException($"Values can be given for F32 and F16, not {type}; use a raw fill.", nameof(type)),
    };

    private static byte[] ElementBytes(GgmlType type, float value)
    {
        var bytes = new byte[ElementSize(type)];
        if (type == GgmlType.F32) BinaryPrimitives.WriteSingleLittleEndian(bytes, value);
        else BinaryPrimitives.WriteHalfLittleEndian(bytes, (Half)value);
        return bytes;
    }
}
