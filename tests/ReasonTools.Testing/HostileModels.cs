using System.Buffers.Binary;
using System.Text;
using ReasonTools.Core.Gguf;

namespace ReasonTools.Testing;

/// <summary>One crafted model file: what it attacks, its bytes, and a word the refusal must contain.</summary>
/// <param name="Name">The class of attack, as a file name stem.</param>
/// <param name="Bytes">The file's content.</param>
/// <param name="MustMention">Text the error message must contain (the key at fault); null when any clear refusal will do.</param>
public sealed record HostileModel(string Name, byte[] Bytes, string? MustMention);

/// <summary>
/// A corpus of hostile GGUF files built from the small synthetic qwen2 model: every structural class of llama.cpp's GGUF
/// advisories (huge counts and lengths, offsets past the end, overlaps, alignment, overflowing dimensions, duplicates,
/// 2^40-element arrays, unknown types, nested arrays, truncation), every hyperparameter llama.cpp asserts on, and files
/// llama.cpp refuses itself (missing tensors, wrong shapes, unknown tokenizers). Each one must be refused as bad input
/// without ending the process.
/// </summary>
public static class HostileModels
{
    private const string A = "qwen2.";

    /// <summary>Hyperparameter files: a valid model with one key changed; each one passes the GGUF reader.</summary>
    public static IEnumerable<HostileModel> Hyperparameters()
    {
        HostileModel Set(string name, string key, object value) => new(name, Build(w => w.Set(key, value)), key);
        HostileModel Drop(string name, string key) => new(name, Build(w => w.Remove(key)), key);

        yield return Set("rms-eps-negative", A + "attention.layer_norm_rms_epsilon", -1e-6f);
        yield return Set("rms-eps-nan", A + "attention.layer_norm_rms_epsilon", float.NaN);
        yield return Set("rms-eps-wrong-type", A + "attention.layer_norm_rms_epsilon", 5u);
        yield return Drop("rms-eps-missing", A + "attention.layer_norm_rms_epsilon");
        yield return Set("rope-dims-zero", A + "rope.dimension_count", 0u);
        yield return Set("rope-dims-above-head", A + "rope.dimension_count", 128u);
        yield return Set("rope-dims-odd-head", A + "attention.key_length", 63u);
        yield return Set("key-length-zero", A + "attention.key_length", 0u);
        yield return Set("key-length-not-value-length", A + "attention.value_length", 32u);
        yield return Set("key-length-times-heads-not-embedding", A + "attention.key_length", 32u);
        yield return Set("expert-count-huge", A + "expert_count", 1u << 20);
        yield return new("expert-used-above-count", Build(w => w.Set(A + "expert_count", 4u).Set(A + "expert_used_count", 8u)), A + "expert_used_count");
        yield return Set("expert-used-without-experts", A + "expert_used_count", 2u);
        yield return new("expert-groups-not-dividing", Build(w => w.Set(A + "expert_count", 6u).Set(A + "expert_used_count", 2u).Set(A + "expert_group_count", 4u)), A + "expert_group_count");
        yield return Set("rope-scaling-unknown", A + "rope.scaling.type", "bogus\u001b]0;owned\u0007");
        yield return Set("rope-freq-base-zero", A + "rope.freq_base", 0f);
        yield return Set("block-count-zero", A + "block_count", 0u);
        yield return Set("block-count-above-max", A + "block_count", 513u);
        yield return Set("nextn-above-layers", A + "nextn_predict_layers", 3u);
        yield return Set("head-count-zero", A + "attention.head_count", 0u);
        yield return Set("head-count-kv-zero", A + "attention.head_count_kv", 0u);
        yield return Set("head-count-kv-not-dividing", A + "attention.head_count_kv", 3u);
        yield return Set("head-count-kv-above-heads", A + "attention.head_count_kv", 8u);
        yield return Set("head-count-per-layer-wrong-length", A + "attention.head_count", new uint[] { 4, 4, 4 });
        yield return Set("head-count-kv-per-layer-wrong-length", A + "attention.head_count_kv", new uint[] { 2, 2, 2, 2, 2 });
        yield return Set("embedding-zero", A + "embedding_length", 0u);
        yield return Set("embedding-not-divisible", A + "embedding_length", 255u);
        yield return Set("feed-forward-zero", A + "feed_forward_length", 0u);
        yield return Set("context-length-zero", A + "context_length", 0u);
        yield return Set("head-count-wrong-type", A + "attention.head_count", "four");
        yield return Set("architecture-unknown", "general.architecture", "gpt-evil");
        yield return new("duplicate-tokens", Build(w => w.Set("tokenizer.ggml.tokens", DuplicatedVocabulary())), "tokenizer.ggml.tokens");
        yield return Set("bos-out-of-range", "tokenizer.ggml.bos_token_id", 1u << 30);
    }

    /// <summary>Files llama.cpp itself refuses while loading (its message, bad input): they pass our reader and checks.</summary>
    public static IEnumerable<HostileModel> RefusedByLlama()
    {
        yield return new("tensor-missing", Build(w => w.RemoveTensor("blk.1.ffn_up.weight")), "blk.1.ffn_up.weight");
        yield return new("tokenizer-unknown", Build(w => w.Set("tokenizer.ggml.model", "bogus")), "bogus");
        yield return new("tokenizer-merges-missing", Build(w => w.Remove("tokenizer.ggml.merges")), "merges");
        yield return new("token-types-wrong-type", Build(w => w.Set("tokenizer.ggml.token_type", new float[] { 1f })), "token_type");
        yield return new("tensor-wrong-shape", Build(w => w.RemoveTensor("blk.0.attn_norm.weight").AddTensor("blk.0.attn_norm.weight", GgmlType.F32, [128], TensorFills.Zeros)), "blk.0.attn_norm.weight");
    }

    /// <summary>Structural attacks on the GGUF container, patched into the synthetic model's bytes.</summary>
    public static IEnumerable<HostileModel> Structural()
    {
        var model = Valid();
        byte[] Patch(Action<byte[]> change)
        {
            var copy = (byte[])model.Clone();
            change(copy);
            return copy;
        }
        void U64(byte[] b, int at, ulong v) => BinaryPrimitives.WriteUInt64LittleEndian(b.AsSpan(at), v);
        void U32(byte[] b, int at, uint v) => BinaryPrimitives.WriteUInt32LittleEndian(b.AsSpan(at), v);
        var output = AfterName(model, "output.weight"); // n_dims u32, 2 dims u64, type u32, offset u64
        var tokens = AfterName(model, "tokenizer.ggml.tokens"); // value type u32, element type u32, count u64

        yield return new("tensor-count-huge", Patch(b => U64(b, 8, ulong.MaxValue)), null);
        yield return new("kv-count-huge", Patch(b => U64(b, 16, 1UL << 62)), null);
        yield return new("key-length-huge", Patch(b => U64(b, 24, ulong.MaxValue)), null);
        yield return new("string-length-huge", Patch(b => U64(b, AfterName(model, "general.name") + 4, ulong.MaxValue)), null);
        yield return new("array-2-pow-40-elements", Patch(b => U64(b, tokens + 8, 1UL << 40)), null);
        yield return new("nested-array", Patch(b => U32(b, tokens + 4, 9)), null);
        yield return new("unknown-value-type", Patch(b => U32(b, AfterName(model, "general.type"), 99)), null);
        yield return new("unknown-tensor-type", Patch(b => U32(b, output + 4 + 16, 77)), null);
        yield return new("dimension-overflow", Patch(b => { U64(b, output + 4, 1UL << 40); U64(b, output + 12, 1UL << 40); }), null);
        yield return new("offset-past-end", Patch(b => U64(b, output + 4 + 16 + 4, 1UL << 40)), null);
        yield return new("tensors-overlap", Patch(b => U64(b, output + 4 + 16 + 4, 0)), null);
        yield return new("offset-misaligned", Patch(b => U64(b, output + 4 + 16 + 4, BinaryPrimitives.ReadUInt64LittleEndian(b.AsSpan(output + 24)) + 4)), null);
        yield return new("duplicate-tensor-name", Patch(b => b[AfterName(model, "blk.1.ffn_up.weight") - "0.ffn_up.weight".Length - 1] = (byte)'0'), null);
        yield return new("duplicate-key", Build(w => w.Add(A + "block_count", 2u)), null);
        yield return new("alignment-not-power-of-two", Build(w => w.Set("general.alignment", 48u)), null);
        yield return new("empty-file", [], null);
        yield return new("not-gguf", Encoding.UTF8.GetBytes("\u001b]0;pwned\u0007\u001b[2J this is not a model\n"), null);
    }

    /// <summary>The valid model cut at every <paramref name="step"/> bytes (each cut is a truncated file).</summary>
    public static IEnumerable<HostileModel> Truncations(int step)
    {
        var model = Valid();
        for (var cut = 1; cut < model.Length; cut += step)
            yield return new($"truncated-at-{cut}", model[..cut], null);
    }

    /// <summary>Every class above (truncation every <paramref name="truncationStep"/> bytes), written into <paramref name="folder"/>.</summary>
    public static IReadOnlyList<(HostileModel Model, string Path)> WriteAll(string folder, int truncationStep)
    {
        Directory.CreateDirectory(folder);
        var all = Hyperparameters().Concat(RefusedByLlama()).Concat(Structural()).Concat(Truncations(truncationStep)).ToList();
        return all.Select(m =>
        {
            var path = Path.Combine(folder, m.Name + ".gguf");
            File.WriteAllBytes(path, m.Bytes);
            return (m, path);
        }).ToList();
    }

    /// <summary>The unmodified model the corpus is built from (it runs).</summary>
    public static byte[] Valid() => Build(_ => { });

    private static byte[] Build(Action<GgufWriter> change)
    {
        var w = SyntheticModels.Get(ScriptKind.ClosedChain).CreateWriter();
        change(w);
        var ms = new MemoryStream();
        w.WriteTo(ms);
        return ms.ToArray();
    }

    // The model's own vocabulary with its last token replaced by a copy of "A" (same count, so tensors still match).
    private static string[] DuplicatedVocabulary()
    {
        var valid = Valid();
        var tokens = GgufReader.Read(new MemoryStream(valid), valid.Length).Metadata.GetStringArray("tokenizer.ggml.tokens").ToArray();
        tokens[^1] = tokens['A'];
        return tokens;
    }

    // The offset just past a GGUF string (u64 length + bytes) holding name; the key or tensor name must be in the file once.
    private static int AfterName(byte[] file, string name)
    {
        var needle = new byte[8 + Encoding.UTF8.GetByteCount(name)];
        BinaryPrimitives.WriteUInt64LittleEndian(needle, (ulong)(needle.Length - 8));
        Encoding.UTF8.GetBytes(name, needle.AsSpan(8));
        var at = file.AsSpan().IndexOf(needle);
        if (at < 0) throw new InvalidOperationException($"'{name}' is not in the model");
        return at + needle.Length;
    }
}
