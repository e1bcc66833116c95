using ReasonTools.Core.Gguf;

namespace ReasonTools.Testing;

/// <summary>
/// Tiny qwen2 models whose next token, after any token, is drawn from one fixed distribution over a few byte
/// tokens: for statistical tests of sampling (a target and a draft with different logits over the same tokens).
/// Every token embeds to the same one-hot vector, so the residual stream (attention and FFN outputs are zero)
/// never depends on the context; the output row of each chosen token holds its logit, every other token gets -1024.
/// </summary>
public static class DistributionModels
{
    private const int EmbeddingLength = 256, FeedForwardLength = 64;
    // The RMS norm of a one-hot vector of width 256 scales it to 16.
    private const float NormedValue = 16f, Excluded = -1024f;

    /// <summary>The byte tokens the distributions are over: "a", "b", "c", "d".</summary>
    public static IReadOnlyList<int> Tokens { get; } = ['a', 'b', 'c', 'd'];

    /// <summary>
    /// Path of a model (cached like <see cref="SyntheticModels.GetFile"/>) whose next token follows
    /// softmax(<paramref name="logits"/>) over <see cref="Tokens"/>; exact in F16 for multiples of 1/64.
    /// </summary>
    public static string GetFile(IReadOnlyList<float> logits)
    {
        if (logits.Count != Tokens.Count) throw new ArgumentException($"Give {Tokens.Count} logits.", nameof(logits));
        return SyntheticModels.CachedFile("distribution-" + string.Join('_', logits.Select(l => l.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture))),
            s => Build(logits).WriteTo(s));
    }

    private static GgufWriter Build(IReadOnlyList<float> logits)
    {
        var vocabulary = ScriptBuilder.BaseVocabulary();
        var vocab = vocabulary.Count;
        var embedding = new float[(long)EmbeddingLength * vocab];
        for (var t = 0; t < vocab; t++) embedding[(long)t * EmbeddingLength] = 1f;
        var output = new float[(long)EmbeddingLength * vocab];
        for (var t = 0; t < vocab; t++)
        {
            var chosen = Tokens.ToList().IndexOf(t);
            output[(long)t * EmbeddingLength] = (chosen >= 0 ? logits[chosen] : Excluded) / NormedValue;
        }

        var w = new GgufWriter();
        ScriptBuilder.AddHeader(w, "ReasonTools Synthetic distribution " + string.Join(' ', logits), 1, EmbeddingLength, 4, 2, FeedForwardLength, contextLength: 4096);
        ScriptBuilder.AddTokenizer(w, vocabulary, ScriptBuilder.Bos, ScriptBuilder.Eos);
        w.AddTensor("token_embd.weight", GgmlType.F16, [EmbeddingLength, vocab], embedding);
        var kvWidth = EmbeddingLength / 4 * 2;
        const string P = "blk.0.";
        w.AddTensor(P + "attn_norm.weight", GgmlType.F32, [EmbeddingLength], TensorFills.Constant(GgmlType.F32, 1f));
        w.AddTensor(P + "attn_q.weight", GgmlType.F16, [EmbeddingLength, EmbeddingLength], TensorFills.Random(GgmlType.F16, 11));
        w.AddTensor(P + "attn_q.bias", GgmlType.F32, [EmbeddingLength], TensorFills.Zeros);
        w.AddTensor(P + "attn_k.weight", GgmlType.F16, [EmbeddingLength, kvWidth], TensorFills.Random(GgmlType.F16, 12));
        w.AddTensor(P + "attn_k.bias", GgmlType.F32, [kvWidth], TensorFills.Zeros);
        w.AddTensor(P + "attn_v.weight", GgmlType.F16, [EmbeddingLength, kvWidth], TensorFills.Random(GgmlType.F16, 13));
        w.AddTensor(P + "attn_v.bias", GgmlType.F32, [kvWidth], TensorFills.Zeros);
        w.AddTensor(P + "attn_output.weight", GgmlType.F16, [EmbeddingLength, EmbeddingLength], TensorFills.Zeros);
        w.AddTensor(P + "ffn_norm.weight", GgmlType.F32, [EmbeddingLength], TensorFills.Constant(GgmlType.F32, 1f));
        w.AddTensor(P + "ffn_gate.weight", GgmlType.F16, [EmbeddingLength, FeedForwardLength], TensorFills.Random(GgmlType.F16, 14));
        w.AddTensor(P + "ffn_up.weight", GgmlType.F16, [EmbeddingLength, FeedForwardLength], TensorFills.Random(GgmlType.F16, 15));
        w.AddTensor(P + "ffn_down.weight", GgmlType.F16, [FeedForwardLength, EmbeddingLength], TensorFills.Zeros);
        w.AddTensor("output_norm.weight", GgmlType.F32, [EmbeddingLength], TensorFills.Constant(GgmlType.F32, 1f));
        w.AddTensor("output.weight", GgmlType.F16, [EmbeddingLength, vocab], output);
        return w;
    }
}
