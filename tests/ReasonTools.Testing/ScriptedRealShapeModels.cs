using System.Buffers.Binary;
using ReasonTools.Core.Gguf;

namespace ReasonTools.Testing;

/// <summary>
/// Real-shape qwen2 files (the R1 1.5B and 7B dimensions and vocabularies, quantized: Q4_0 layers, Q8_0 embedding and
/// output) that follow one script, so that every matrix multiply costs what it costs in the real model while the
/// text is known in advance: a target and a draft of another shape agree fully, or the draft diverges every n
/// tokens, and a speculative run's acceptance is known before it runs. As in <see cref="SyntheticModels"/> the next
/// token depends only on the last one: attention and FFN outputs are zero (their inputs are still multiplied), the
/// embedding is one-hot, and the output matrix maps each token to its successor. The script is
/// <see cref="ScriptLength"/> filler tokens that repeat forever; any other token leads into it.
/// </summary>
public static class ScriptedRealShapeModels
{
    /// <summary>Tokens in the script's cycle (fits the 1.5B's 1536 embedding slots).</summary>
    public const int ScriptLength = 1200;

    /// <summary>First token id of the script ("tok1000" ...), shared by both vocabularies.</summary>
    public const int FirstScriptToken = 1000;

    /// <summary>The token a diverging draft predicts instead of the script's.</summary>
    public const int WrongToken = 50000;

    private const int Q80Block = 34, Q40Block = 18, BlockElements = 32;
    private const float OutputWeight = 16f;

    /// <summary>Writes the model of <paramref name="shape"/>; with <paramref name="divergeEvery"/> n > 0 it predicts a wrong token at every n-th script token.</summary>
    public static void Write(string path, ModelShape shape, int divergeEvery = 0) => CreateWriter(shape, divergeEvery).WriteTo(path);

    /// <summary>The text of the first <paramref name="count"/> generated tokens.</summary>
    public static string TextOfFirstTokens(int count) =>
        string.Concat(Enumerable.Range(0, count).Select(i => $"tok{FirstScriptToken + i % ScriptLength}"));

    public static GgufWriter CreateWriter(ModelShape shape, int divergeEvery = 0)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Embedding < ScriptLength + 1 || shape.Embedding % BlockElements != 0) throw new ArgumentException("The embedding is too narrow for the script.", nameof(shape));
        var w = new GgufWriter();
        var name = divergeEvery > 0 ? $"{shape.Name} scripted, diverging every {divergeEvery}" : $"{shape.Name} scripted";
        ScriptBuilder.AddHeader(w, name, shape.Layers, shape.Embedding, shape.Heads, shape.HeadsKv, shape.FeedForward, shape.ContextLength);
        var (vocab, bos, eos) = RealShapeModels.Vocabulary(shape.Vocabulary);
        ScriptBuilder.AddTokenizer(w, vocab, bos, eos);

        // Slot i holds script token i; the last slot every other token.
        var fallback = ScriptLength;
        int SlotOf(long token) => token >= FirstScriptToken && token < FirstScriptToken + ScriptLength ? (int)(token - FirstScriptToken) : fallback;
        // successor of slot s: the next script token; a diverging draft is wrong at script tokens n, 2n, ...
        var successorOfSlot = new int[ScriptLength + 1];
        for (var s = 0; s < ScriptLength; s++) successorOfSlot[s] = FirstScriptToken + (s + 1) % ScriptLength;
        successorOfSlot[fallback] = FirstScriptToken;
        if (divergeEvery > 0)
            for (var i = divergeEvery - 1; i < ScriptLength; i += divergeEvery)
                successorOfSlot[(i - 1 + ScriptLength) % ScriptLength] = WrongToken;
        var predecessors = new Dictionary<int, List<int>>();
        for (var s = 0; s <= ScriptLength; s++)
            (predecessors.TryGetValue(successorOfSlot[s], out var l) ? l : predecessors[successorOfSlot[s]] = []).Add(s);

        long e = shape.Embedding, kv = shape.KvWidth, f = shape.FeedForward, v = shape.Vocabulary;
        w.AddTensor("token_embd.weight", GgmlType.Q8_0, [e, v], Q80Rows(e, row => [(SlotOf(row), 1f)]));
        for (var i = 0; i < shape.Layers; i++)
        {
            var p = $"blk.{i}.";
            var seed = (ulong)(i + 1) * 7919;
            w.AddTensor(p + "attn_norm.weight", GgmlType.F32, [e], TensorFills.Constant(GgmlType.F32, 1f));
            w.AddTensor(p + "attn_q.weight", GgmlType.Q4_0, [e, e], Q40Random(seed + 1));
            w.AddTensor(p + "attn_q.bias", GgmlType.F32, [e], TensorFills.Zeros);
            w.AddTensor(p + "attn_k.weight", GgmlType.Q4_0, [e, kv], Q40Random(seed + 2));
            w.AddTensor(p + "attn_k.bias", GgmlType.F32, [kv], TensorFills.Zeros);
            w.AddTensor(p + "attn_v.weight", GgmlType.Q4_0, [e, kv], Q40Random(seed + 3));
            w.AddTensor(p + "attn_v.bias", GgmlType.F32, [kv], TensorFills.Zeros);
            w.AddTensor(p + "attn_output.weight", GgmlType.Q4_0, [e, e], Q40Zeros);
            w.AddTensor(p + "ffn_norm.weight", GgmlType.F32, [e], TensorFills.Constant(GgmlType.F32, 1f));
            w.AddTensor(p + "ffn_gate.weight", GgmlType.Q4_0, [e, f], Q40Random(seed + 4));
            w.AddTensor(p + "ffn_up.weight", GgmlType.Q4_0, [e, f], Q40Random(seed + 5));
            w.AddTensor(p + "ffn_down.weight", GgmlType.Q4_0, [f, e], Q40Zeros);
        }
        w.AddTensor("output_norm.weight", GgmlType.F32, [e], TensorFills.Constant(GgmlType.F32, 1f));
        w.AddTensor("output.weight", GgmlType.Q8_0, [e, v], Q80Rows(e, row =>
            predecessors.TryGetValue((int)row, out var from) ? from.Select(s => (s, OutputWeight)).ToArray() : []));
        return w;
    }

    /// <summary>Q8_0 rows of <paramref name="width"/> elements that are zero except the (column, value) pairs given per row.</summary>
    private static TensorFill Q80Rows(long width, Func<long, (int Column, float Value)[]> nonZero)
    {
        var blocksPerRow = width / BlockElements;
        return Blocks(Q80Block, (block, bytes) =>
        {
            bytes.Clear();
            var row = block / blocksPerRow;
            var first = (int)(block % blocksPerRow) * BlockElements;
            foreach (var (column, value) in nonZero(row))
            {
                if (column < first || column >= first + BlockElements) continue;
                BinaryPrimitives.WriteUInt16LittleEndian(bytes, BitConverter.HalfToUInt16Bits((Half)(value / 127f)));
                bytes[2 + column - first] = 127;
            }
        });
    }

    private static readonly TensorFill Q40Zeros = Blocks(Q40Block, (_, bytes) =>
    {
        bytes[..2].Clear();
        bytes[2..].Fill(0x88);
    });

    /// <summary>Pseudo-random Q4_0 blocks (small scale, random nibbles), the same for every chunking.</summary>
    private static TensorFill Q40Random(ulong seed) => Blocks(Q40Block, (block, bytes) =>
    {
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, BitConverter.HalfToUInt16Bits((Half)0.002f));
        var x = (ulong)block * 0x9E3779B97F4A7C15UL ^ seed;
        for (var i = 2; i < Q40Block; i += 8)
        {
            x = SplitMix(x);
            for (var j = 0; j < 8 && i + j < Q40Block; j++) bytes[i + j] = (byte)(x >> (8 * j));
        }
    });

    private static ulong SplitMix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A fill made of fixed-size blocks, each produced from its index; chunks may cut blocks anywhere.</summary>
    private static TensorFill Blocks(int blockBytes, Action<long, Span<byte>> block) => (span, offset) =>
    {
        Span<byte> buffer = stackalloc byte[blockBytes];
        var end = offset + span.Length;
        for (var b = offset / blockBytes; b * blockBytes < end; b++)
        {
            block(b, buffer);
            var start = b * blockBytes;
            var from = (int)Math.Max(0, offset - start);
            var to = (int)Math.Min(blockBytes, end - start);
            buffer[from..to].CopyTo(span[(int)(start + from - offset)..]);
        }
    };
}
