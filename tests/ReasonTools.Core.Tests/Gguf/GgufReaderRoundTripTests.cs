using ReasonTools.Core.Gguf;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Gguf;

public sealed class GgufReaderRoundTripTests
{
    internal static GgufWriter AllTypesWriter(uint alignment = 32)
    {
        var w = new GgufWriter(alignment);
        w.Add("general.architecture", "qwen2")
         .Add("general.name", "Round Trip ✓ ünïcode")
         .Add("t.u8", (byte)200).Add("t.i8", (sbyte)-100)
         .Add("t.u16", (ushort)60000).Add("t.i16", (short)-30000)
         .Add("t.u32", 4_000_000_000u).Add("t.i32", -2_000_000_000)
         .Add("t.f32", 1.5f).Add("t.bool", true)
         .Add("t.u64", ulong.MaxValue).Add("t.i64", long.MinValue).Add("t.f64", Math.PI)
         .Add("t.empty", "")
         .Add("a.u8", new byte[] { 1, 2, 255 }).Add("a.i8", new sbyte[] { -1, 0, 1 })
         .Add("a.u16", new ushort[] { 1, 65535 }).Add("a.i16", new short[] { -2, 2 })
         .Add("a.u32", new uint[] { 7, 8 }).Add("a.i32", new[] { -7, 8 })
         .Add("a.f32", new[] { 0.25f, -1f }).Add("a.bool", new[] { true, false, true })
         .Add("a.str", new[] { "a", "", "<｜User｜>" }).Add("a.u64", new ulong[] { 1UL << 40 })
         .Add("a.i64", new long[] { -5 }).Add("a.f64", new[] { 2.5 })
         .Add("a.none", Array.Empty<string>())
         .Add("qwen2.context_length", 4096u).Add("qwen2.block_count", 2u)
         .Add("qwen2.embedding_length", 64u).Add("qwen2.attention.head_count", 4u)
         .Add("qwen2.feed_forward_length", 96u)
         .Add("tokenizer.chat_template", R1Tokenizer.ChatTemplate);
        w.AddTensor("token_embd.weight", GgmlType.F16, [64, 10], TensorFills.Random(GgmlType.F16, 1));
        w.AddTensor("norm.weight", GgmlType.F32, [63], TensorFills.Constant(GgmlType.F32, 1f));
        w.AddTensor("q.weight", GgmlType.Q4_K, [256, 3], TensorFills.Zeros);
        w.AddTensor("scalar", GgmlType.F32, [], TensorFills.Zeros);
        w.AddTensor("cube", GgmlType.F32, [2, 3, 4, 5], TensorFills.Zeros);
        return w;
    }

    internal static byte[] AllTypesFile(uint alignment = 32)
    {
        var ms = new MemoryStream();
        AllTypesWriter(alignment).WriteTo(ms);
        return ms.ToArray();
    }

    [Fact]
    public void Every_value_type_reads_back_as_written()
    {
        var bytes = AllTypesFile();
        var f = GgufReader.Read(new MemoryStream(bytes), bytes.Length);
        var m = f.Metadata;

        Assert.Equal(3u, f.Version);
        Assert.Equal("Round Trip ✓ ünïcode", f.Name);
        Assert.Equal((byte)200, m["t.u8"].Value);
        Assert.Equal((sbyte)-100, m["t.i8"].Value);
        Assert.Equal((ushort)60000, m["t.u16"].Value);
        Assert.Equal((short)-30000, m["t.i16"].Value);
        Assert.Equal(4_000_000_000u, m.GetUInt32("t.u32"));
        Assert.Equal(-2_000_000_000L, m.GetInt64("t.i32"));
        Assert.Equal(1.5f, m.GetFloat("t.f32"));
        Assert.True(m.GetBool("t.bool"));
        Assert.Equal(ulong.MaxValue, m["t.u64"].Value);
        Assert.Equal(long.MinValue, m.GetInt64("t.i64"));
        Assert.Equal(Math.PI, m["t.f64"].GetDouble());
        Assert.Equal("", m.GetString("t.empty"));
        Assert.Equal(new byte[] { 1, 2, 255 }, m["a.u8"].GetArray<byte>());
        Assert.Equal(new sbyte[] { -1, 0, 1 }, m["a.i8"].GetArray<sbyte>());
        Assert.Equal(new ushort[] { 1, 65535 }, m["a.u16"].GetArray<ushort>());
        Assert.Equal(new short[] { -2, 2 }, m["a.i16"].GetArray<short>());
        Assert.Equal(new uint[] { 7, 8 }, m["a.u32"].GetArray<uint>());
        Assert.Equal(new long[] { -7, 8 }, m["a.i32"].GetInt64Array());
        Assert.Equal(new[] { 0.25f, -1f }, m["a.f32"].GetArray<float>());
        Assert.Equal(new[] { true, false, true }, m["a.bool"].GetArray<bool>());
        Assert.Equal(new[] { "a", "", "<｜User｜>" }, m.GetStringArray("a.str"));
        Assert.Equal(new ulong[] { 1UL << 40 }, m["a.u64"].GetArray<ulong>());
        Assert.Equal(new long[] { -5 }, m["a.i64"].GetArray<long>());
        Assert.Equal(new[] { 2.5 }, m["a.f64"].GetArray<double>());
        Assert.Empty(m.GetStringArray("a.none"));
        Assert.Equal(GgufValueType.String, m["a.str"].ElementType);
        Assert.Equal(R1Tokenizer.ChatTemplate, f.ChatTemplate);
    }

    [Fact]
    public void Metadata_keeps_file_order()
    {
        var bytes = AllTypesFile();
        var f = GgufReader.Read(new MemoryStream(bytes), bytes.Length);
        Assert.Equal(["general.architecture", "general.name", "t.u8", "t.i8"], f.Metadata.Keys.Take(4));
        Assert.Equal(f.Metadata.Count, f.Metadata.Select(kv => kv.Key).Distinct().Count());
    }

    [Fact]
    public void Tensors_have_shape_type_offsets_and_sizes()
    {
        var bytes = AllTypesFile();
        var f = GgufReader.Read(new MemoryStream(bytes), bytes.Length);

        Assert.Equal(["token_embd.weight", "norm.weight", "q.weight", "scalar", "cube"], f.Tensors.Select(t => t.Name));
        var embd = f.Tensors[0];
        Assert.Equal([64L, 10L], embd.Dimensions);
        Assert.Equal(GgmlType.F16, embd.Type);
        Assert.Equal(1280, embd.ByteSize);
        Assert.Equal(0, embd.Offset);
        Assert.Equal(252, f.Tensors[1].ByteSize);
        Assert.Equal(1280, f.Tensors[1].Offset);
        Assert.Equal(1280 + 256, f.Tensors[2].Offset); // 252 padded to 32
        Assert.Equal(3 * 144, f.Tensors[2].ByteSize);
        Assert.Equal(1L, f.Tensors[3].ElementCount);
        Assert.Empty(f.Tensors[3].Dimensions);
        Assert.Equal(120L, f.Tensors[4].ElementCount);
        Assert.All(f.Tensors, t => Assert.Equal(f.DataOffset + t.Offset, t.AbsoluteOffset));
        Assert.Equal(0, f.DataOffset % 32);
        Assert.Equal(640 + 63 + 768 + 1 + 120, f.ParameterCount);
        Assert.Equal(bytes.Length, f.FileLength);
    }

    [Fact]
    public void Custom_alignment_is_read_and_applied()
    {
        var bytes = AllTypesFile(alignment: 256);
        var f = GgufReader.Read(new MemoryStream(bytes), bytes.Length);
        Assert.Equal(256u, f.Alignment);
        Assert.Equal(0, f.DataOffset % 256);
        Assert.All(f.Tensors, t => Assert.Equal(0, t.Offset % 256));
    }

    [Fact]
    public void Architecture_keys_surface_as_properties()
    {
        var bytes = AllTypesFile();
        var f = GgufReader.Read(new MemoryStream(bytes), bytes.Length);
        Assert.Equal("qwen2", f.Architecture);
        Assert.Equal(4096, f.ContextLength);
        Assert.Equal(2, f.BlockCount);
        Assert.Equal(64, f.EmbeddingLength);
        Assert.Equal(4, f.HeadCount);
        Assert.Equal(4, f.HeadCountKv); // absent: equals head count, as llama.cpp assumes
        Assert.Equal(96, f.FeedForwardLength);
        Assert.Equal(1, f.SplitCount);
    }

    [Theory]
    [InlineData(15u, "Q4_K_M")]
    [InlineData(1u, "F16")]
    [InlineData(0u, "F32")]
    [InlineData(7u, "Q8_0")]
    [InlineData(18u, "Q6_K")]
    [InlineData(32u, "BF16")]
    public void File_type_maps_to_llama_cpp_names(uint fileType, string expected)
    {
        var w = new GgufWriter().Add("general.architecture", "qwen2").Add("general.file_type", fileType);
        Assert.Equal(expected, Read(w).FileType);
    }

    [Fact]
    public void File_type_falls_back_to_the_dominant_matrix_type()
    {
        var w = new GgufWriter().Add("general.architecture", "llama");
        w.AddTensor("big", GgmlType.Q4_K, [256, 8], TensorFills.Zeros);
        w.AddTensor("small", GgmlType.Q6_K, [256, 2], TensorFills.Zeros);
        w.AddTensor("norm", GgmlType.F32, [4096], TensorFills.Zeros); // more bytes, but one-dimensional
        var f = Read(w);
        Assert.Null(f.FileTypeId);
        Assert.Equal("Q4_K", f.FileType);
    }

    [Fact]
    public void Wrong_typed_or_missing_keys_give_format_errors_that_name_the_key()
    {
        var f = Read(new GgufWriter().Add("general.architecture", 5u));
        var wrong = Assert.Throws<GgufFormatException>(() => f.Metadata.GetString("general.architecture"));
        Assert.Contains("general.architecture", wrong.Problem);
        Assert.Null(f.Architecture);
        var missing = Assert.Throws<GgufFormatException>(() => f.Metadata.GetUInt32("nope"));
        Assert.Contains("'nope'", missing.Problem);
        Assert.Null(f.Metadata.TryGetInt64("nope"));
    }

    [Fact]
    public void Per_layer_head_counts_report_the_largest()
    {
        var f = Read(new GgufWriter().Add("general.architecture", "x").Add("x.attention.head_count_kv", new[] { 2, 8, 4 }));
        Assert.Equal(8, f.HeadCountKv);
    }

    [Fact]
    public void A_shard_of_a_split_model_reads_on_its_own()
    {
        var w = new GgufWriter().Add("general.architecture", "qwen2")
            .Add("split.no", (ushort)1).Add("split.count", (ushort)2).Add("split.tensors.count", 3);
        w.AddTensor("blk.1.ffn_up.weight", GgmlType.F16, [32, 2], TensorFills.Zeros);
        var path = Path.Combine(Path.GetTempPath(), $"rt-gguf-{Guid.NewGuid():N}-00002-of-00002.gguf");
        try
        {
            w.WriteTo(path);
            var f = GgufReader.Read(path);
            Assert.Equal(2, f.SplitCount);
            Assert.Equal(1, f.SplitIndex);
            Assert.Single(f.Tensors);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Version_2_files_are_read()
    {
        var bytes = AllTypesFile();
        bytes[4] = 2;
        Assert.Equal(2u, GgufReader.Read(new MemoryStream(bytes), bytes.Length).Version);
    }

    [Fact]
    public void A_huge_sparse_file_reads_its_header_only()
    {
        // 40 GB of declared weights: the reader must not touch them (the file is sparse, so this costs no disk).
        var w = new GgufWriter().Add("general.architecture", "llama").Add("general.file_type", 15u);
        for (var i = 0; i < 30; i++) w.AddTensor($"blk.{i}.w", GgmlType.Q4_K, [16384, 16384 * 9], TensorFills.Zeros);
        var path = Path.Combine(Path.GetTempPath(), $"rt-gguf-sparse-{Guid.NewGuid():N}.gguf");
        try
        {
            w.WriteHeaderOnly(path);
            var f = GgufReader.Read(path);
            Assert.True(f.FileLength > 40_000_000_000L);
            Assert.Equal(30 * 16384L * 16384 * 9, f.ParameterCount);
            Assert.Equal("Q4_K_M", f.FileType);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Synthetic_model_metadata_matches_its_shape()
    {
        var f = GgufReader.Read(SyntheticModels.GetFile(ScriptKind.ClosedChain));
        Assert.Equal("qwen2", f.Architecture);
        Assert.Equal("F16", f.FileType);
        Assert.Equal("gpt2", f.Metadata.GetString("tokenizer.ggml.model"));
        var tokens = f.Metadata.GetStringArray("tokenizer.ggml.tokens");
        Assert.Equal(SyntheticModels.Get(ScriptKind.ClosedChain).VocabularySize, tokens.Count);
        Assert.Equal(R1Tokenizer.BeginOfSentence, tokens[(int)f.Metadata.GetUInt32("tokenizer.ggml.bos_token_id")]);
        Assert.Equal(R1Tokenizer.EndOfSentence, tokens[(int)f.Metadata.GetUInt32("tokenizer.ggml.eos_token_id")]);
        Assert.Equal("Ġ", tokens[' ']);
        Assert.Equal("Ċ", tokens['\n']);
        Assert.EndsWith("{{'<｜Assistant｜><think>\\n'}}{% endif %}", f.ChatTemplate);
        Assert.True(new FileInfo(SyntheticModels.GetFile(ScriptKind.ClosedChain)).Length < 2_000_000);
    }

    [Fact]
    public void Real_shape_plans_match_the_published_sizes()
    {
        Assert.Equal(1_777_088_000L, ModelShape.Qwen1_5B.ParameterCount);
        Assert.InRange(ModelShape.Qwen7B.ParameterCount, 7_600_000_000L, 7_650_000_000L);
        Assert.InRange(RealShapeModels.FileLength(ModelShape.Qwen1_5B), 3_550_000_000L, 3_570_000_000L);
    }

    [Fact]
    public void Real_shape_sparse_file_reads_like_the_real_model()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rt-gguf-7b-{Guid.NewGuid():N}.gguf");
        try
        {
            RealShapeModels.WriteSparse(path, ModelShape.Qwen7B);
            var f = GgufReader.Read(path);
            Assert.Equal((28L, 3584L, 28L, 4L, 18944L), (f.BlockCount!.Value, f.EmbeddingLength!.Value, f.HeadCount!.Value, f.HeadCountKv!.Value, f.FeedForwardLength!.Value));
            Assert.Equal(ModelShape.Qwen7B.ParameterCount, f.ParameterCount);
            var tokens = f.Metadata.GetStringArray("tokenizer.ggml.tokens");
            Assert.Equal(152064, tokens.Count);
            Assert.Equal(R1Tokenizer.ThinkClose, tokens[RealShapeModels.ThinkCloseId]);
        }
        finally { File.Delete(path); }
    }

    private static GgufFile Read(GgufWriter w)
    {
        var ms = new MemoryStream();
        w.WriteTo(ms);
        return GgufReader.Read(new MemoryStream(ms.ToArray()), ms.Length);
    }
}
