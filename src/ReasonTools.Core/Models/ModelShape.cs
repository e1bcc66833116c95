namespace ReasonTools.Core.Models;

/// <summary>
/// The architecture figures that decide memory and speed, as in a GGUF's metadata
/// (<c>&lt;arch&gt;.block_count</c>, <c>.embedding_length</c>, <c>.attention.head_count</c>,
/// <c>.attention.head_count_kv</c>, <c>.attention.key_length</c>, <c>.feed_forward_length</c>, vocabulary size).
/// <paramref name="TiedEmbeddings"/>: the output projection reuses the token-embedding matrix (no output.weight).
/// </summary>
public sealed record ModelShape(
    string Architecture,
    int Layers,
    int EmbeddingLength,
    int Heads,
    int KvHeads,
    int HeadDim,
    int FeedForwardLength,
    int VocabSize,
    bool TiedEmbeddings = false)
{
    /// <summary>Weights in the token-embedding matrix (vocab × embedding).</summary>
    public long EmbeddingParameters => (long)VocabSize * EmbeddingLength;

    /// <summary>
    /// Parameter count from the shape of a Llama/Qwen2-style decoder: per layer Q and O (embd × heads·head_dim),
    /// K and V (embd × kv_heads·head_dim), gate/up/down (3 × embd × ffn); plus the embedding and, when untied,
    /// the output matrix. Norms and biases are left out (&lt; 0.1 %). Qwen-1.5B: 1.777 B (published 1.78 B).
    /// </summary>
    public long EstimateParameters()
    {
        long attention = 2L * EmbeddingLength * Heads * HeadDim + 2L * EmbeddingLength * KvHeads * HeadDim;
        long feedForward = 3L * EmbeddingLength * FeedForwardLength;
        return Layers * (attention + feedForward) + EmbeddingParameters * (TiedEmbeddings ? 1 : 2);
    }

    /// <summary>Checks the figures are usable; throws <see cref="ArgumentException"/> naming the bad one.</summary>
    public void Validate()
    {
        static void Positive(int value, string name)
        {
            if (value <= 0) throw new ArgumentException($"Model shape: {name} must be positive, got {value}. Check the GGUF metadata.", name);
        }
        Positive(Layers, nameof(Layers));
        Positive(EmbeddingLength, nameof(EmbeddingLength));
        Positive(Heads, nameof(Heads));
        Positive(KvHeads, nameof(KvHeads));
        Positive(HeadDim, nameof(HeadDim));
        Positive(FeedForwardLength, nameof(FeedForwardLength));
        Positive(VocabSize, nameof(VocabSize));
    }
}

/// <summary>
/// One model file as the estimator sees it: shape, quantization label (any GGUF file type, e.g. "Q4_K_M", "IQ4_XS")
/// and the bytes on disk (summed over shards).
/// </summary>
public sealed record ModelSpec(string Name, string Quantization, ModelShape Shape, long FileSizeBytes)
{
    /// <summary>Average bytes per weight of this file.</summary>
    public double BytesPerWeight => (double)FileSizeBytes / Shape.EstimateParameters();
}
