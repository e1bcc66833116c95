using ReasonTools.Core.Gguf;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Gguf;

/// <summary>
/// Hostile and broken files, one per class of llama.cpp's GGUF security advisories and per structural rule: each must
/// be rejected with a <see cref="GgufFormatException"/> naming the problem, never another exception.
/// </summary>
public sealed class GgufMalformedTests
{
    private const ulong Huge = ulong.MaxValue;

    private static GgufBytes OneKv() => new GgufBytes().Header(0, 1);

    private static GgufBytes OneTensor(string name, ulong[] dims, uint type, ulong offset, string? extraKey = null)
    {
        var b = new GgufBytes().Header(1, extraKey == null ? 0UL : 1UL);
        if (extraKey != null) b.KvU32(extraKey, 1);
        return b.Tensor(name, dims, type, offset);
    }

    public static TheoryData<string, byte[], string> Cases()
    {
        var d = new TheoryData<string, byte[], string>();
        void Add(string name, GgufBytes b, string problem) => d.Add(name, b.ToArray(), problem);

        Add("empty file", new GgufBytes(), "too short");
        Add("bad magic", new GgufBytes().Header(0, 0, magic: 0x46554746), "magic");
        Add("version 0", new GgufBytes().Header(0, 0, version: 0), "version 0");
        Add("version 1", new GgufBytes().Header(0, 0, version: 1), "v1");
        Add("version 4", new GgufBytes().Header(0, 0, version: 4), "version 4");
        Add("big-endian version", new GgufBytes().Header(0, 0, version: 0x03000000), "byte-swapped");
        Add("tensor count huge", new GgufBytes().Header(Huge, 0), "tensor count");
        Add("tensor count above file", new GgufBytes().Header(1000, 0).Zeros(64), "tensor count");
        Add("kv count huge", new GgufBytes().Header(0, 1UL << 62), "key-value count");
        Add("kv count above file", new GgufBytes().Header(0, 100).Zeros(100), "key-value count");
        Add("key length overflow", OneKv().StrWithLength(Huge, "k").Zeros(32), "length");
        Add("key length beyond file", OneKv().StrWithLength(1000, "abc"), "remain");
        Add("key longer than cap", OneKv().Str(new string('k', 70000)).U32(4).U32(1), "limit");
        Add("empty key", OneKv().Str("").U32(4).U32(1), "empty");
        Add("string value length overflow", OneKv().Key("s", GgufValueType.String).StrWithLength(Huge, "x"), "length");
        Add("string value length beyond file", OneKv().Key("s", GgufValueType.String).StrWithLength(1000, "xyz"), "remain");
        Add("unknown value type", OneKv().Str("k").U32(13).U32(0), "unknown value type 13");
        Add("unknown value type huge", OneKv().Str("k").U32(uint.MaxValue).U32(0), "unknown value type");
        Add("nested array", OneKv().ArrayHeader("a", GgufValueType.Array, 1).U32(4).U64(1).U32(1), "nested");
        Add("unknown array element type", OneKv().ArrayHeader("a", (GgufValueType)77, 1).U32(1), "element type");
        Add("array count x element size overflow", OneKv().ArrayHeader("a", GgufValueType.UInt64, (1UL << 61) + 1).U64(1), "element count");
        Add("array count beyond file", OneKv().ArrayHeader("a", GgufValueType.UInt32, 1000).U32(1), "element count");
        Add("string array count beyond file", OneKv().ArrayHeader("a", GgufValueType.String, 100).Str("x"), "element count");
        Add("string in array overflows", OneKv().ArrayHeader("a", GgufValueType.String, 2).Str("x").StrWithLength(Huge, "y"), "element 1");
        Add("truncated scalar", OneKv().Key("k", GgufValueType.UInt64).U32(1), "file ends");
        Add("duplicate key", new GgufBytes().Header(0, 2).KvU32("k", 1).KvU32("k", 2), "duplicate key 'k'");
        Add("alignment zero", new GgufBytes().Header(0, 1).KvU32("general.alignment", 0), "power of two");
        Add("alignment not power of two", new GgufBytes().Header(0, 1).KvU32("general.alignment", 48), "power of two");
        Add("alignment wrong type", new GgufBytes().Header(0, 1).Key("general.alignment", GgufValueType.UInt64).U64(32), "uint32");
        Add("tensor name too long", OneTensor(new string('t', 64), [32], 0, 0), "limit");
        Add("tensor n_dims 5", OneTensor("t", [1, 1, 1, 1, 1], 0, 0), "5 dimensions");
        Add("tensor n_dims huge", new GgufBytes().Header(1, 0).Str("t").U32(uint.MaxValue).Zeros(32), "dimensions");
        Add("negative dimension", OneTensor("t", [1UL << 63], 0, 0), "negative");
        Add("dimension product overflow", OneTensor("t", [1UL << 32, 1UL << 32], 0, 0), "overflows");
        Add("byte size overflow", OneTensor("t", [1UL << 62], (uint)GgmlType.F32, 0), "byte size overflows");
        Add("unknown ggml type", OneTensor("t", [32], 43, 0), "unknown");
        Add("removed ggml type", OneTensor("t", [32], 4, 0), "unknown or removed");
        Add("ggml type huge", OneTensor("t", [32], uint.MaxValue, 0), "unknown");
        Add("row not a whole block", OneTensor("t", [100, 2], (uint)GgmlType.Q4_K, 0), "block size");
        Add("tensor data beyond file", OneTensor("t", [1024], (uint)GgmlType.F32, 0).Pad().Zeros(64), "past the end");
        Add("tensor offset overflow", OneTensor("t", [8], (uint)GgmlType.F32, Huge - 31).Pad().Zeros(32), "");
        Add("tensor offset misaligned", OneTensor("t", [8], (uint)GgmlType.F32, 4).Pad().Zeros(64), "multiple of the alignment");
        Add("tensor offset + size beyond file", OneTensor("t", [8], (uint)GgmlType.F32, 32).Pad().Zeros(40), "past the end");
        Add("data section beyond file", OneTensor("t", [8], (uint)GgmlType.F32, 0), "data should start");
        Add("duplicate tensor name", new GgufBytes().Header(2, 0).Tensor("t", [8], GgmlType.F32, 0).Tensor("t", [8], GgmlType.F32, 32).Pad().Zeros(64), "duplicate tensor name 't'");
        Add("overlapping tensors", new GgufBytes().Header(2, 0).Tensor("a", [8], GgmlType.F32, 0).Tensor("b", [8], GgmlType.F32, 0).Pad().Zeros(64), "expected");
        Add("gap between tensors", new GgufBytes().Header(2, 0).Tensor("a", [8], GgmlType.F32, 0).Tensor("b", [8], GgmlType.F32, 64).Pad().Zeros(128), "expected");
        Add("tensor info truncated", new GgufBytes().Header(1, 0).Str("t").U32(2).U64(8), "file ends");
        return d;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Malformed_file_is_rejected_with_a_format_error(string name, byte[] bytes, string problem)
    {
        var ex = Record.Exception(() => GgufReader.Read(new MemoryStream(bytes), bytes.Length));
        var format = Assert.IsType<GgufFormatException>(ex);
        Assert.True(format.Problem.Contains(problem, StringComparison.Ordinal), $"{name}: '{format.Problem}' lacks '{problem}'");
        Assert.InRange(format.Offset, 0, bytes.Length);
        Assert.False(string.IsNullOrEmpty(name));
    }

    [Fact]
    public void A_minimal_valid_file_is_accepted_so_the_cases_above_fail_for_their_own_reason()
    {
        var ok = new GgufBytes().Header(2, 1).KvU32("general.alignment", 32)
            .Tensor("a", [8], GgmlType.F32, 0).Tensor("b", [8], GgmlType.F32, 32).Pad().Zeros(64).ToArray();
        var f = GgufReader.Read(new MemoryStream(ok), ok.Length);
        Assert.Equal(2, f.Tensors.Count);
    }

    [Fact]
    public void Truncation_at_every_offset_is_rejected()
    {
        var w = GgufReaderRoundTripTests.AllTypesWriter();
        var ms = new MemoryStream();
        w.WriteTo(ms);
        var full = ms.ToArray();
        var file = GgufReader.Read(new MemoryStream(full), full.Length);
        var last = file.Tensors[^1];
        var needed = last.AbsoluteOffset + last.ByteSize; // trailing padding after the last tensor is optional

        var cuts = Enumerable.Range(0, (int)file.DataOffset + 1).Concat(Enumerable.Range((int)file.DataOffset, (int)(needed - file.DataOffset)).Where(i => i % 7 == 0));
        foreach (var cut in cuts.Where(c => c < needed))
        {
            var ex = Record.Exception(() => GgufReader.Read(new MemoryStream(full, 0, cut), cut));
            Assert.True(ex is GgufFormatException, $"cut at {cut}: {ex?.GetType().Name ?? "accepted"}");
        }
        Assert.Equal(file.Tensors.Count, GgufReader.Read(new MemoryStream(full, 0, (int)needed), needed).Tensors.Count);
    }

    [Fact]
    public void A_stream_shorter_than_its_stated_length_is_rejected()
    {
        var full = GgufReaderRoundTripTests.AllTypesFile();
        var ex = Assert.Throws<GgufFormatException>(() => GgufReader.Read(new MemoryStream(full, 0, 100), full.Length));
        Assert.Contains("fewer bytes", ex.Problem);
    }
}
