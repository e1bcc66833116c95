namespace ReasonTools.Core.Gguf;

/// <summary>The header, metadata and tensor directory of one GGUF file (one shard of a split model).</summary>
public sealed class GgufFile
{
    internal GgufFile(uint version, long fileLength, uint alignment, long dataOffset, GgufMetadata metadata, IReadOnlyList<GgufTensorInfo> tensors)
    {
        Version = version;
        FileLength = fileLength;
        Alignment = alignment;
        DataOffset = dataOffset;
        Metadata = metadata;
        Tensors = tensors;
    }

    /// <summary>GGUF format version (2 or 3).</summary>
    public uint Version { get; }

    /// <summary>Length of the file in bytes.</summary>
    public long FileLength { get; }

    /// <summary>Alignment of tensor data (general.alignment, 32 when absent).</summary>
    public uint Alignment { get; }

    /// <summary>Byte offset where tensor data starts.</summary>
    public long DataOffset { get; }

    /// <summary>Key-value metadata in file order.</summary>
    public GgufMetadata Metadata { get; }

    /// <summary>Tensors in file order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>general.architecture, e.g. "qwen2" or "llama".</summary>
    public string? Architecture => Metadata.TryGetString("general.architecture");

    /// <summary>general.name.</summary>
    public string? Name => Metadata.TryGetString("general.name");

    /// <summary>Number of weights in this file: the sum of the tensors' element counts.</summary>
    public long ParameterCount => Tensors.Sum(t => t.ElementCount);

    /// <summary>general.file_type as stored (llama_ftype), or null.</summary>
    public long? FileTypeId => Metadata.TryGetInt64("general.file_type");

    /// <summary>
    /// Quantization name like llama.cpp's file types ("Q4_K_M", "F16", "BF16"); from general.file_type, else the
    /// type holding most bytes among tensors of two or more dimensions; null when neither tells.
    /// </summary>
    public string? FileType => FileTypeId is { } id && FileTypeNames.TryGetValue(id, out var name) ? name : DominantTensorType;

    /// <summary>The tensor type holding most bytes among tensors of two or more dimensions (e.g. "Q4_K"), or null.</summary>
    public string? DominantTensorType => Tensors.Where(t => t.Dimensions.Count >= 2)
        .GroupBy(t => t.Type).OrderByDescending(g => g.Sum(t => t.ByteSize)).Select(g => g.Key.ToString()).FirstOrDefault();

    /// <summary>&lt;arch&gt;.context_length: the training context length.</summary>
    public long? ContextLength => ArchInteger("context_length");

    /// <summary>&lt;arch&gt;.block_count: number of transformer layers.</summary>
    public long? BlockCount => ArchInteger("block_count");

    /// <summary>&lt;arch&gt;.embedding_length: hidden size.</summary>
    public long? EmbeddingLength => ArchInteger("embedding_length");

    /// <summary>&lt;arch&gt;.attention.head_count (the largest value when stored per layer).</summary>
    public long? HeadCount => ArchInteger("attention.head_count");

    /// <summary>&lt;arch&gt;.attention.head_count_kv (the largest value when stored per layer); equals HeadCount when absent.</summary>
    public long? HeadCountKv => ArchInteger("attention.head_count_kv") ?? HeadCount;

    /// <summary>&lt;arch&gt;.feed_forward_length (the largest value when stored per layer).</summary>
    public long? FeedForwardLength => ArchInteger("feed_forward_length");

    /// <summary>tokenizer.chat_template (Jinja), or null.</summary>
    public string? ChatTemplate => Metadata.TryGetString("tokenizer.chat_template");

    /// <summary>split.count: number of shards of a split model (1 when not split).</summary>
    public int SplitCount => (int)Math.Clamp(Metadata.TryGetInt64("split.count") ?? 1, 1, ushort.MaxValue);

    /// <summary>split.no: zero-based index of this shard (0 when not split).</summary>
    public int SplitIndex => (int)Math.Clamp(Metadata.TryGetInt64("split.no") ?? 0, 0, ushort.MaxValue);

    private long? ArchInteger(string suffix)
    {
        if (Architecture is not { } arch || !Metadata.TryGetValue($"{arch}.{suffix}", out var value)) return null;
        if (value.TryInteger(out var scalar)) return (long)scalar;
        if (!value.IsArray || value.Count == 0) return null;
        try { return value.GetInt64Array().Max(); }
        catch (GgufFormatException) { return null; }
    }

    // llama_ftype (include/llama.h) -> the names llama.cpp's quantize tool and file names use.
    private static readonly Dictionary<long, string> FileTypeNames = new()
    {
        [0] = "F32", [1] = "F16", [2] = "Q4_0", [3] = "Q4_1", [7] = "Q8_0", [8] = "Q5_0", [9] = "Q5_1",
        [10] = "Q2_K", [11] = "Q3_K_S", [12] = "Q3_K_M", [13] = "Q3_K_L", [14] = "Q4_K_S", [15] = "Q4_K_M",
        [16] = "Q5_K_S", [17] = "Q5_K_M", [18] = "Q6_K", [19] = "IQ2_XXS", [20] = "IQ2_XS", [21] = "Q2_K_S",
        [22] = "IQ3_XS", [23] = "IQ3_XXS", [24] = "IQ1_S", [25] = "IQ4_NL", [26] = "IQ3_S", [27] = "IQ3_M",
        [28] = "IQ2_S", [29] = "IQ2_M", [30] = "IQ4_XS", [31] = "IQ1_M", [32] = "BF16", [36] = "TQ1_0",
        [37] = "TQ2_0", [38] = "MXFP4_MOE", [39] = "NVFP4", [40] = "Q1_0", [41] = "Q2_0",
    };
}
