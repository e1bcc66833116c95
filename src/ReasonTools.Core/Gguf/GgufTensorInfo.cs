namespace ReasonTools.Core.Gguf;

/// <summary>Where and how one tensor is stored; the weights themselves are never read.</summary>
public sealed class GgufTensorInfo
{
    internal GgufTensorInfo(string name, long[] dimensions, GgmlType type, long offset, long absoluteOffset, long elementCount, long byteSize)
    {
        Name = name;
        Dimensions = dimensions;
        Type = type;
        Offset = offset;
        AbsoluteOffset = absoluteOffset;
        ElementCount = elementCount;
        ByteSize = byteSize;
    }

    /// <summary>Tensor name, e.g. "blk.0.attn_q.weight".</summary>
    public string Name { get; }

    /// <summary>Dimensions, innermost (row length) first, as ggml stores them (ne[0], ne[1], ...).</summary>
    public IReadOnlyList<long> Dimensions { get; }

    /// <summary>Element type.</summary>
    public GgmlType Type { get; }

    /// <summary>Byte offset of the data relative to <see cref="GgufFile.DataOffset"/>.</summary>
    public long Offset { get; }

    /// <summary>Byte offset of the data from the start of the file.</summary>
    public long AbsoluteOffset { get; }

    /// <summary>Product of the dimensions.</summary>
    public long ElementCount { get; }

    /// <summary>Bytes of data (without alignment padding).</summary>
    public long ByteSize { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} {Type} [{string.Join(", ", Dimensions)}]";
}
