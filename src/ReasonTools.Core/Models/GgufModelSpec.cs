using ReasonTools.Core.Gguf;

namespace ReasonTools.Core.Models;

/// <summary>The estimator's view of a GGUF file, read from its metadata (pure).</summary>
public static class GgufModelSpec
{
    /// <summary>Shape, quantization and size of <paramref name="file"/>; throws <see cref="GgufFormatException"/> when a figure the estimate needs is missing.</summary>
    public static ModelSpec From(GgufFile file, string name)
    {
        var arch = file.Architecture ?? throw new GgufFormatException(-1, "no general.architecture; the memory the model needs cannot be estimated.");
        int Required(long? value, string key) => value is > 0 and <= int.MaxValue
            ? (int)value.Value
            : throw new GgufFormatException(-1, $"no usable {arch}.{key}; the memory the model needs cannot be estimated.");
        var embedding = Required(file.EmbeddingLength, "embedding_length");
        var heads = Required(file.HeadCount, "attention.head_count");
        var headDim = file.Metadata.TryGetInt64($"{arch}.attention.key_length") is { } k and > 0 and <= int.MaxValue ? (int)k : embedding / heads;
        var vocab = file.Metadata.TryGetStringArray("tokenizer.ggml.tokens")?.Count
            ?? file.Tensors.FirstOrDefault(t => t.Name == "token_embd.weight")?.Dimensions.LastOrDefault() ?? 0;
        var shape = new ModelShape(
            arch,
            Required(file.BlockCount, "block_count"),
            embedding,
            heads,
            Required(file.HeadCountKv, "attention.head_count_kv"),
            headDim,
            Required(file.FeedForwardLength, "feed_forward_length"),
            Required(vocab, "vocabulary (tokenizer.ggml.tokens)"),
            TiedEmbeddings: file.Tensors.All(t => t.Name != "output.weight"));
        return new ModelSpec(name, file.FileType ?? "unknown", shape, file.FileLength);
    }
}
