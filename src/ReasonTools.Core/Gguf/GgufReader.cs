using System.Buffers.Binary;
using System.Text;

namespace ReasonTools.Core.Gguf;

/// <summary>
/// Reads the header, metadata and tensor directory of a GGUF v2/v3 file without touching the weights.
/// Nothing in the file is trusted: every length, count, dimension and offset is checked against caps and against the
/// bytes the file really has before anything is allocated from it, with checked arithmetic. Every rejection is a
/// <see cref="GgufFormatException"/>. The checks follow llama.cpp's gguf.cpp, so a file accepted here is also
/// structurally acceptable to llama.cpp.
/// </summary>
public static class GgufReader
{
    /// <summary>Largest key length accepted (the GGUF specification's limit).</summary>
    public const int MaxKeyLength = 65535;

    /// <summary>Largest tensor name length accepted (ggml's GGML_MAX_NAME is 64 including the terminating zero).</summary>
    public const int MaxTensorNameLength = 63;

    /// <summary>Largest string value accepted (chat templates are tens of kilobytes).</summary>
    public const int MaxStringLength = 64 * 1024 * 1024;

    /// <summary>Largest number of elements in one metadata array (real vocabularies have about 150k-260k).</summary>
    public const long MaxArrayCount = 1L << 26;

    /// <summary>Largest number of key-value pairs accepted.</summary>
    public const long MaxKeyValueCount = 1L << 20;

    /// <summary>Largest number of tensors accepted.</summary>
    public const long MaxTensorCount = 1L << 20;

    /// <summary>Most dimensions a tensor may have (GGML_MAX_DIMS).</summary>
    public const int MaxDimensions = 4;

    /// <summary>Alignment when general.alignment is absent (GGUF_DEFAULT_ALIGNMENT).</summary>
    public const uint DefaultAlignment = 32;

    private const int MinKeyValueBytes = 8 + 1 + 4 + 1;   // key length, one key byte, type, one value byte
    private const int MinTensorInfoBytes = 8 + 4 + 4 + 8; // name length, n_dims, type, offset

    /// <summary>Reads the GGUF file at <paramref name="path"/> (one shard of a split model is read on its own).</summary>
    /// <exception cref="GgufFormatException">The file is not a valid GGUF v2/v3 file.</exception>
    public static GgufFile Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        // Opening a FIFO blocks until a writer comes, and devices never end: only a file with bytes is opened.
        if (!InputFiles.IsRegularWithContent(path))
            throw new GgufFormatException(-1, $"{path} is empty or not a regular file (a pipe, socket or device); it was not opened");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);
        return Read(stream, stream.Length);
    }

    /// <summary>
    /// Reads a GGUF file from <paramref name="stream"/>, positioned at the start of the file, whose total length is
    /// <paramref name="length"/> bytes. Only the header region is read; offsets are relative to the starting position.
    /// </summary>
    /// <exception cref="GgufFormatException">The content is not a valid GGUF v2/v3 file.</exception>
    public static GgufFile Read(Stream stream, long length)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        return new Parser(new HeaderReader(stream, length)).Parse();
    }

    private sealed class Parser(HeaderReader r)
    {
        public GgufFile Parse()
        {
            if (r.Length < 4) throw new GgufFormatException(0, $"file is {r.Length} bytes, too short for the GGUF magic");
            var magic = r.ReadUInt32(new Field("magic"));
            if (magic != 0x46554747) // "GGUF" little-endian
                throw new GgufFormatException(0, $"bad magic 0x{magic:X8} ('{Printable(magic)}'); a GGUF file starts with 'GGUF'");

            var version = r.ReadUInt32(new Field("version"));
            if (version is not (2 or 3))
            {
                var why = version switch
                {
                    0 => "version 0 is invalid",
                    1 => "GGUF v1 is no longer supported; convert the model again with a current llama.cpp",
                    _ when (version & 0xFFFF) == 0 => $"version {version} looks byte-swapped; big-endian GGUF files are not supported",
                    _ => $"version {version} is not supported (only 2 and 3)",
                };
                throw new GgufFormatException(4, why);
            }

            var tensorCount = r.ReadCount(new Field("tensor count"), MaxTensorCount, MinTensorInfoBytes);
            var kvCount = r.ReadCount(new Field("key-value count"), MaxKeyValueCount, MinKeyValueBytes);

            var ordered = new List<GgufValue>();
            var byKey = new Dictionary<string, GgufValue>(StringComparer.Ordinal);
            for (long i = 0; i < kvCount; i++)
            {
                var value = ReadKeyValue(i);
                if (!byKey.TryAdd(value.Key, value))
                    throw new GgufFormatException(value.Offset, $"duplicate key '{value.Key}' (first at byte {byKey[value.Key].Offset})");
                ordered.Add(value);
            }

            var alignment = DefaultAlignment;
            if (byKey.TryGetValue("general.alignment", out var alignValue))
            {
                if (alignValue.Type != GgufValueType.UInt32)
                    throw new GgufFormatException(alignValue.Offset, $"general.alignment must be uint32 but is {alignValue.Type}");
                alignment = (uint)alignValue.Value;
                if (alignment == 0 || (alignment & (alignment - 1)) != 0)
                    throw new GgufFormatException(alignValue.Offset, $"general.alignment {alignment} is not a nonzero power of two");
            }

            var infos = new List<(string Name, long[] Dims, GgmlType Type, long Elements, long Bytes, ulong Offset, long At)>();
            var names = new HashSet<string>(StringComparer.Ordinal);
            for (long i = 0; i < tensorCount; i++)
            {
                var info = ReadTensorInfo(i);
                if (!names.Add(info.Name)) throw new GgufFormatException(info.At, $"duplicate tensor name '{info.Name}'");
                infos.Add(info);
            }

            var headerEnd = r.Position;
            var dataOffset = headerEnd;
            if (tensorCount > 0)
            {
                dataOffset = Pad(headerEnd, alignment, headerEnd, "data section start");
                if (dataOffset > r.Length)
                    throw new GgufFormatException(headerEnd, $"tensor data should start at byte {dataOffset} but the file has only {r.Length} bytes");
            }

            var available = r.Length - dataOffset;
            var tensors = new GgufTensorInfo[infos.Count];
            long expected = 0;
            for (var i = 0; i < infos.Count; i++)
            {
                var t = infos[i];
                var where = $"tensor '{t.Name}'";
                if (t.Offset % alignment != 0)
                    throw new GgufFormatException(t.At, $"{where} data offset {t.Offset} is not a multiple of the alignment {alignment}");
                if (t.Offset > (ulong)available || t.Bytes > available - (long)t.Offset)
                    throw new GgufFormatException(t.At, $"{where} data ({t.Bytes} bytes at data offset {t.Offset}) extends past the end of the file ({available} data bytes)");
                if ((long)t.Offset != expected)
                    throw new GgufFormatException(t.At, $"{where} data offset is {t.Offset} but {expected} was expected: tensors must be stored in order, each padded to the alignment, without gaps or overlap");
                tensors[i] = new GgufTensorInfo(t.Name, t.Dims, t.Type, (long)t.Offset, dataOffset + (long)t.Offset, t.Elements, t.Bytes);
                expected = Pad((long)t.Offset + t.Bytes, alignment, t.At, where);
            }

            return new GgufFile(version, r.Length, alignment, dataOffset, new GgufMetadata(ordered, byKey), tensors);
        }

        private GgufValue ReadKeyValue(long index)
        {
            var at = r.Position;
            var key = r.ReadString(MaxKeyLength, new Field("key of key-value pair {0}", null, index));
            if (key.Length == 0) throw new GgufFormatException(at, $"key of key-value pair {index} is empty");
            var typeAt = r.Position;
            var type = (GgufValueType)r.ReadUInt32(new Field("type of key '{1}'", key));
            if (type == GgufValueType.Array)
            {
                var elemAt = r.Position;
                var elementType = (GgufValueType)r.ReadUInt32(new Field("element type of array '{1}'", key));
                if (elementType == GgufValueType.Array)
                    throw new GgufFormatException(elemAt, $"key '{key}' is an array of arrays; nested arrays are not supported");
                if (!IsScalarType(elementType))
                    throw new GgufFormatException(elemAt, $"key '{key}' has unknown array element type {(uint)elementType}");
                var count = r.ReadCount(new Field("element count of array '{1}'", key), MaxArrayCount, ElementMinBytes(elementType));
                return new GgufValue(key, GgufValueType.Array, elementType, ReadArray(elementType, (int)count, key), at);
            }
            if (!IsScalarType(type))
                throw new GgufFormatException(typeAt, $"key '{key}' has unknown value type {(uint)type}");
            return new GgufValue(key, type, type, ReadScalar(type, key), at);
        }

        private object ReadScalar(GgufValueType type, string key)
        {
            var f = new Field("value of key '{1}'", key);
            return type switch
            {
                GgufValueType.UInt8 => r.ReadByte(f),
                GgufValueType.Int8 => (sbyte)r.ReadByte(f),
                GgufValueType.UInt16 => r.ReadUInt16(f),
                GgufValueType.Int16 => (short)r.ReadUInt16(f),
                GgufValueType.UInt32 => r.ReadUInt32(f),
                GgufValueType.Int32 => (int)r.ReadUInt32(f),
                GgufValueType.Float32 => BitConverter.UInt32BitsToSingle(r.ReadUInt32(f)),
                GgufValueType.Bool => r.ReadByte(f) != 0,
                GgufValueType.String => r.ReadString(MaxStringLength, f),
                GgufValueType.UInt64 => r.ReadUInt64(f),
                GgufValueType.Int64 => (long)r.ReadUInt64(f),
                GgufValueType.Float64 => BitConverter.UInt64BitsToDouble(r.ReadUInt64(f)),
                _ => throw new InvalidOperationException("unreachable: type checked by the caller"),
            };
        }

        private Array ReadArray(GgufValueType type, int count, string key)
        {
            var f = new Field("elements of array '{1}'", key);
            switch (type)
            {
                case GgufValueType.UInt8: { var a = new byte[count]; r.ReadBytes(a, f); return a; }
                case GgufValueType.Int8: { var a = new sbyte[count]; r.ReadBytes(System.Runtime.InteropServices.MemoryMarshal.AsBytes(a.AsSpan()), f); return a; }
                case GgufValueType.UInt16: { var a = new ushort[count]; for (var i = 0; i < count; i++) a[i] = r.ReadUInt16(f); return a; }
                case GgufValueType.Int16: { var a = new short[count]; for (var i = 0; i < count; i++) a[i] = (short)r.ReadUInt16(f); return a; }
                case GgufValueType.UInt32: { var a = new uint[count]; for (var i = 0; i < count; i++) a[i] = r.ReadUInt32(f); return a; }
                case GgufValueType.Int32: { var a = new int[count]; for (var i = 0; i < count; i++) a[i] = (int)r.ReadUInt32(f); return a; }
                case GgufValueType.Float32: { var a = new float[count]; for (var i = 0; i < count; i++) a[i] = BitConverter.UInt32BitsToSingle(r.ReadUInt32(f)); return a; }
                case GgufValueType.Bool: { var a = new bool[count]; for (var i = 0; i < count; i++) a[i] = r.ReadByte(f) != 0; return a; }
                case GgufValueType.UInt64: { var a = new ulong[count]; for (var i = 0; i < count; i++) a[i] = r.ReadUInt64(f); return a; }
                case GgufValueType.Int64: { var a = new long[count]; for (var i = 0; i < count; i++) a[i] = (long)r.ReadUInt64(f); return a; }
                case GgufValueType.Float64: { var a = new double[count]; for (var i = 0; i < count; i++) a[i] = BitConverter.UInt64BitsToDouble(r.ReadUInt64(f)); return a; }
                case GgufValueType.String:
                {
                    var a = new string[count];
                    for (var i = 0; i < count; i++) a[i] = r.ReadString(MaxStringLength, new Field("element {0} of array '{1}'", key, i));
                    return a;
                }
                default: throw new InvalidOperationException("unreachable: type checked by the caller");
            }
        }

        private (string Name, long[] Dims, GgmlType Type, long Elements, long Bytes, ulong Offset, long At) ReadTensorInfo(long index)
        {
            var at = r.Position;
            var name = r.ReadString(MaxTensorNameLength, new Field("name of tensor {0}", null, index));
            var where = $"tensor '{name}'";
            var dimsAt = r.Position;
            var nDims = r.ReadUInt32(new Field("tensor '{1}' dimension count", name));
            if (nDims > MaxDimensions)
                throw new GgufFormatException(dimsAt, $"{where} has {nDims} dimensions; at most {MaxDimensions} are allowed");
            var dims = new long[nDims];
            long elements = 1;
            for (var j = 0; j < nDims; j++)
            {
                var dimAt = r.Position;
                var d = r.ReadUInt64(new Field("tensor '{1}' dimension {0}", name, j));
                if (d > long.MaxValue)
                    throw new GgufFormatException(dimAt, $"{where} dimension {j} is {(long)d} (negative)");
                dims[j] = (long)d;
                if (elements != 0 && dims[j] != 0 && elements > long.MaxValue / dims[j])
                    throw new GgufFormatException(dimAt, $"{where} element count overflows 64 bits at dimension {j} ({d})");
                elements *= dims[j];
            }
            var typeAt = r.Position;
            var type = (GgmlType)r.ReadUInt32(new Field("tensor '{1}' type", name));
            if (!GgmlTypes.IsKnown(type))
                throw new GgufFormatException(typeAt, $"{where} has unknown or removed ggml type {(uint)type}");
            var block = GgmlTypes.BlockSize(type);
            var rowLength = nDims > 0 ? dims[0] : 1;
            if (rowLength % block != 0)
                throw new GgufFormatException(typeAt, $"{where} row length {rowLength} is not a multiple of the {type} block size {block}");
            var blocks = elements / block;
            var typeSize = GgmlTypes.TypeSize(type);
            if (blocks > long.MaxValue / typeSize)
                throw new GgufFormatException(typeAt, $"{where} byte size overflows 64 bits ({elements} elements of {type})");
            var offsetAt = r.Position;
            var offset = r.ReadUInt64(new Field("tensor '{1}' data offset", name));
            return (name, dims, type, elements, blocks * typeSize, offset, offsetAt);
        }

        private static long Pad(long value, uint alignment, long at, string what)
        {
            var padded = value + (alignment - 1);
            if (padded < value) throw new GgufFormatException(at, $"{what}: offset {value} padded to {alignment} overflows 64 bits");
            return padded & ~((long)alignment - 1);
        }

        private static bool IsScalarType(GgufValueType t) => (uint)t <= (uint)GgufValueType.Float64 && t != GgufValueType.Array;

        private static int ElementMinBytes(GgufValueType t) => t switch
        {
            GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
            GgufValueType.UInt16 or GgufValueType.Int16 => 2,
            GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
            _ => 8, // 64-bit scalars, and strings (an 8-byte length at least)
        };

        private static string Printable(uint magic)
        {
            Span<char> c = stackalloc char[4];
            for (var i = 0; i < 4; i++)
            {
                var b = (byte)(magic >> (8 * i));
                c[i] = b is >= 0x20 and < 0x7F ? (char)b : '?';
            }
            return new string(c);
        }
    }

    /// <summary>Names the field being read; formatted only when an error is reported, so reading allocates nothing for it.</summary>
    private readonly record struct Field(string Template, string? Name = null, long Index = -1)
    {
        public string Prefix { get; init; } = "";

        public override string ToString() => Prefix + string.Format(System.Globalization.CultureInfo.InvariantCulture, Template, Index, Name);
    }

    /// <summary>Buffered little-endian reader that knows how many bytes the file has left and never reads past them.</summary>
    private sealed class HeaderReader
    {
        private static readonly Encoding Utf8 = Encoding.UTF8; // invalid bytes become U+FFFD, never an exception
        private readonly Stream _stream;
        private readonly byte[] _buffer;
        private int _pos;
        private int _end;
        private long _bufferStart;

        public HeaderReader(Stream stream, long length)
        {
            _stream = stream;
            Length = length;
            // Small files get a buffer no larger than themselves, so reading allocates in proportion to the file.
            _buffer = new byte[(int)Math.Clamp(length, 16, 64 * 1024)];
        }

        public long Length { get; }

        public long Position => _bufferStart + _pos;

        private long Remaining => Length - Position;

        public byte ReadByte(Field what) { Ensure(1, what); return _buffer[_pos++]; }

        public ushort ReadUInt16(Field what) { Ensure(2, what); var v = BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(_pos)); _pos += 2; return v; }

        public uint ReadUInt32(Field what) { Ensure(4, what); var v = BinaryPrimitives.ReadUInt32LittleEndian(_buffer.AsSpan(_pos)); _pos += 4; return v; }

        public ulong ReadUInt64(Field what) { Ensure(8, what); var v = BinaryPrimitives.ReadUInt64LittleEndian(_buffer.AsSpan(_pos)); _pos += 8; return v; }

        /// <summary>Reads a count and checks it against <paramref name="cap"/> and against the bytes left in the file.</summary>
        public long ReadCount(Field what, long cap, int minBytesEach)
        {
            var at = Position;
            var n = ReadUInt64(what);
            if (n > (ulong)cap)
                throw new GgufFormatException(at, $"{what} is {n}; more than the limit of {cap}");
            if ((long)n > Remaining / minBytesEach)
                throw new GgufFormatException(at, $"{what} is {n}, which needs at least {(long)n * minBytesEach} bytes but only {Remaining} remain in the file");
            return (long)n;
        }

        public string ReadString(int cap, Field what)
        {
            var at = Position;
            var n = ReadUInt64(what with { Prefix = "length of " });
            if (n > (ulong)cap)
                throw new GgufFormatException(at, $"{what} has length {n}; more than the limit of {cap} bytes");
            if ((long)n > Remaining)
                throw new GgufFormatException(at, $"{what} has length {n} but only {Remaining} bytes remain in the file");
            var len = (int)n;
            if (len == 0) return string.Empty;
            if (len <= _buffer.Length)
            {
                Ensure(len, what);
                var s = Utf8.GetString(_buffer, _pos, len);
                _pos += len;
                return s;
            }
            var bytes = new byte[len];
            ReadBytes(bytes, what);
            return Utf8.GetString(bytes);
        }

        public void ReadBytes(Span<byte> destination, Field what)
        {
            while (destination.Length > 0)
            {
                if (_pos == _end) Ensure(1, what);
                var n = Math.Min(destination.Length, _end - _pos);
                _buffer.AsSpan(_pos, n).CopyTo(destination);
                _pos += n;
                destination = destination[n..];
            }
        }

        private void Ensure(int count, Field what)
        {
            if (_end - _pos >= count) return;
            if (count > Remaining)
                throw new GgufFormatException(Position, $"file ends while reading {what} (needs {count} bytes, {Math.Max(0, Remaining)} left)");
            var kept = _end - _pos;
            Buffer.BlockCopy(_buffer, _pos, _buffer, 0, kept);
            _bufferStart += _pos;
            _pos = 0;
            _end = kept;
            var wanted = (int)Math.Min(_buffer.Length - _end, Length - (_bufferStart + _end));
            while (_end < count)
            {
                var got = _stream.Read(_buffer, _end, wanted - (_end - kept));
                if (got <= 0)
                    throw new GgufFormatException(_bufferStart + _end, $"file ends while reading {what}: the stream has fewer bytes than its stated length {Length}");
                _end += got;
            }
        }
    }
}
