using System.Text;
using ReasonTools.Core.Gguf;

namespace ReasonTools.Testing;

/// <summary>Dimensions of a qwen2 model as its config.json and GGUF metadata give them.</summary>
/// <param name="Name">general.name written to the file.</param>
/// <param name="Layers">qwen2.block_count.</param>
/// <param name="Embedding">qwen2.embedding_length (hidden size).</param>
/// <param name="Heads">qwen2.attention.head_count.</param>
/// <param name="HeadsKv">qwen2.attention.head_count_kv.</param>
/// <param name="FeedForward">qwen2.feed_forward_length.</param>
/// <param name="Vocabulary">Number of tokens (rows of token_embd and output).</param>
/// <param name="ContextLength">qwen2.context_length.</param>
/// <param name="RopeTheta">qwen2.rope.freq_base.</param>
public sealed record ModelShape(string Name, int Layers, int Embedding, int Heads, int HeadsKv, int FeedForward, int Vocabulary, uint ContextLength, float RopeTheta)
{
    /// <summary>DeepSeek-R1-Distill-Qwen-1.5B: 28 layers, hidden 1536, 12/2 heads of 128, FFN 8960, vocab 151936, untied output.</summary>
    public static ModelShape Qwen1_5B { get; } = new("DeepSeek-R1-Distill-Qwen-1.5B (synthetic weights)", 28, 1536, 12, 2, 8960, 151936, 131072, 10000f);

    /// <summary>DeepSeek-R1-Distill-Qwen-7B: 28 layers, hidden 3584, 28/4 heads of 128, FFN 18944, vocab 152064.</summary>
    public static ModelShape Qwen7B { get; } = new("DeepSeek-R1-Distill-Qwen-7B (synthetic weights)", 28, 3584, 28, 4, 18944, 152064, 131072, 10000f);

    /// <summary>Width of one attention head.</summary>
    public int HeadDimension => Embedding / Heads;

    /// <summary>Width of the K and V projections.</summary>
    public int KvWidth => HeadDimension * HeadsKv;

    /// <summary>Total weights: embeddings, untied output, and per layer attention (with q/k/v biases), FFN and norms.</summary>
    public long ParameterCount
    {
        get
        {
            long e = Embedding, kv = KvWidth, f = FeedForward;
            var perLayer = e + (e * e + e) + 2 * (e * kv + kv) + e * e + e + 3 * e * f;
            return 2L * e * Vocabulary + Layers * perLayer + e;
        }
    }
}

/// <summary>
/// Full-size qwen2 GGUF files with the real DeepSeek-R1-Distill shapes and tokenizer layout but pseudo-random
/// weights (F16 matrices, F32 norms and biases), streamed to disk: for load, fit and speed benchmarks, and as input to
/// llama_model_quantize. The 1.5B file is about 3.6 GB, the 7B about 15 GB.
/// </summary>
public static class RealShapeModels
{
    /// <summary>Token ids of the R1 specials in the real Qwen-based files.</summary>
    public const int EndOfSentenceId = 151643, UserId = 151644, AssistantId = 151645, BeginOfSentenceId = 151646, ThinkOpenId = 151648, ThinkCloseId = 151649;

    /// <summary>Writes a model of <paramref name="shape"/> to <paramref name="path"/>; the same seed gives the same bytes.</summary>
    public static void Write(string path, ModelShape shape, ulong seed = 1) => CreateWriter(shape, seed).WriteTo(path);

    /// <summary>
    /// Writes only the header of a <paramref name="shape"/> model and extends the file to full length (sparse; weights
    /// read as zeros): instant, and llama.cpp loads it, for locator, fit and metadata tests.
    /// </summary>
    public static void WriteSparse(string path, ModelShape shape) => CreateWriter(shape, 1).WriteHeaderOnly(path);

    /// <summary>Bytes the file for <paramref name="shape"/> will have.</summary>
    public static long FileLength(ModelShape shape) => CreateWriter(shape, 1).ComputeLength();

    /// <summary>A writer holding the metadata and tensor plan for <paramref name="shape"/> (data is generated while writing).</summary>
    public static GgufWriter CreateWriter(ModelShape shape, ulong seed = 1)
    {
        ArgumentNullException.ThrowIfNull(shape);
        var w = new GgufWriter();
        ScriptBuilder.AddHeader(w, shape.Name, shape.Layers, shape.Embedding, shape.Heads, shape.HeadsKv, shape.FeedForward, shape.ContextLength);
        var (vocab, bos, eos) = Vocabulary(shape.Vocabulary);
        ScriptBuilder.AddTokenizer(w, vocab, bos, eos);

        long e = shape.Embedding, kv = shape.KvWidth, f = shape.FeedForward, v = shape.Vocabulary;
        void Matrix(string name, long cols, long rows) => w.AddTensor(name, GgmlType.F16, [cols, rows], TensorFills.Random(GgmlType.F16, Seed(seed, name)));
        void Vector(string name, long n, bool ones) => w.AddTensor(name, GgmlType.F32, [n],
            ones ? TensorFills.Constant(GgmlType.F32, 1f) : TensorFills.Random(GgmlType.F32, Seed(seed, name)));

        Matrix("token_embd.weight", e, v);
        for (var i = 0; i < shape.Layers; i++)
        {
            var p = $"blk.{i}.";
            Vector(p + "attn_norm.weight", e, ones: true);
            Matrix(p + "attn_q.weight", e, e);
            Vector(p + "attn_q.bias", e, ones: false);
            Matrix(p + "attn_k.weight", e, kv);
            Vector(p + "attn_k.bias", kv, ones: false);
            Matrix(p + "attn_v.weight", e, kv);
            Vector(p + "attn_v.bias", kv, ones: false);
            Matrix(p + "attn_output.weight", e, e);
            Vector(p + "ffn_norm.weight", e, ones: true);
            Matrix(p + "ffn_gate.weight", e, f);
            Matrix(p + "ffn_up.weight", e, f);
            Matrix(p + "ffn_down.weight", f, e);
        }
        Vector("output_norm.weight", e, ones: true);
        Matrix("output.weight", e, v);
        return w;
    }

    /// <summary>
    /// Byte tokens at 0-255, the R1 specials at their real ids (151643...) when the vocabulary is that large, and
    /// distinct ASCII filler tokens elsewhere.
    /// </summary>
    internal static (List<(string Text, int Type)> Vocab, int Bos, int Eos) Vocabulary(int size)
    {
        var vocab = ScriptBuilder.BaseVocabulary();
        var specials = vocab.GetRange(256, vocab.Count - 256);
        vocab.RemoveRange(256, vocab.Count - 256);
        if (size < 256 + specials.Count) throw new ArgumentException("Vocabulary too small for the byte and special tokens.", nameof(size));
        var ids = size > ThinkCloseId
            ? new[] { BeginOfSentenceId, EndOfSentenceId, UserId, AssistantId, ThinkOpenId, ThinkCloseId }
            : Enumerable.Range(256, specials.Count).ToArray();
        var byId = ids.Select((id, i) => (id, i)).ToDictionary(x => x.id, x => specials[x.i]);
        for (var id = 256; id < size; id++)
            vocab.Add(byId.TryGetValue(id, out var s) ? s : (id < EndOfSentenceId ? $"tok{id}" : $"[PAD{id}]", R1Tokenizer.Normal));
        return (vocab, ids[0], ids[1]);
    }

    private static ulong Seed(ulong seed, string name)
    {
        var h = 14695981039346656037UL; // FNV-1a
        foreach (var b in Encoding.UTF8.GetBytes(name)) h = (h ^ b) * 1099511628211UL;
        return h ^ seed;
    }
}
