namespace ReasonTools.Core.Gguf;

/// <summary>Tensor element types of ggml (values as stored in GGUF files; enum ggml_type in ggml.h).</summary>
public enum GgmlType : uint
{
    F32 = 0, F16 = 1, Q4_0 = 2, Q4_1 = 3, Q5_0 = 6, Q5_1 = 7, Q8_0 = 8, Q8_1 = 9,
    Q2_K = 10, Q3_K = 11, Q4_K = 12, Q5_K = 13, Q6_K = 14, Q8_K = 15,
    IQ2_XXS = 16, IQ2_XS = 17, IQ3_XXS = 18, IQ1_S = 19, IQ4_NL = 20, IQ3_S = 21, IQ2_S = 22, IQ4_XS = 23,
    I8 = 24, I16 = 25, I32 = 26, I64 = 27, F64 = 28, IQ1_M = 29, BF16 = 30,
    TQ1_0 = 34, TQ2_0 = 35, MXFP4 = 39, NVFP4 = 40, Q1_0 = 41, Q2_0 = 42,
}

/// <summary>Block layout of each <see cref="GgmlType"/>: elements per block and bytes per block.</summary>
public static class GgmlTypes
{
    // (block size, type size) from ggml/src/ggml.c type_traits of llama.cpp as pinned (ggml_blck_size / ggml_type_size);
    // removed types (4, 5, 31-33, 36-38) have no entry so files using them are rejected.
    private static readonly (int BlockSize, int TypeSize)[] Layouts = BuildLayouts();

    private static (int, int)[] BuildLayouts()
    {
        var t = new (int, int)[43];
        t[0] = (1, 4); t[1] = (1, 2); t[2] = (32, 18); t[3] = (32, 20); t[6] = (32, 22); t[7] = (32, 24);
        t[8] = (32, 34); t[9] = (32, 36); t[10] = (256, 84); t[11] = (256, 110); t[12] = (256, 144);
        t[13] = (256, 176); t[14] = (256, 210); t[15] = (256, 292); t[16] = (256, 66); t[17] = (256, 74);
        t[18] = (256, 98); t[19] = (256, 50); t[20] = (32, 18); t[21] = (256, 110); t[22] = (256, 82);
        t[23] = (256, 136); t[24] = (1, 1); t[25] = (1, 2); t[26] = (1, 4); t[27] = (1, 8); t[28] = (1, 8);
        t[29] = (256, 56); t[30] = (1, 2); t[34] = (256, 54); t[35] = (256, 66); t[39] = (32, 17);
        t[40] = (64, 36); t[41] = (128, 18); t[42] = (64, 18);
        return t;
    }

    /// <summary>True when <paramref name="type"/> is a type current GGUF files may use.</summary>
    public static bool IsKnown(GgmlType type) => (uint)type < (uint)Layouts.Length && Layouts[(int)type].BlockSize != 0;

    /// <summary>Elements per block (1 for plain types, 32 or 256 for most quantized ones).</summary>
    public static int BlockSize(GgmlType type) => IsKnown(type) ? Layouts[(int)type].BlockSize : throw Unknown(type);

    /// <summary>Bytes per block.</summary>
    public static int TypeSize(GgmlType type) => IsKnown(type) ? Layouts[(int)type].TypeSize : throw Unknown(type);

    /// <summary>Bytes that <paramref name="elements"/> elements of <paramref name="type"/> take; the count must be a whole number of blocks.</summary>
    public static long ByteSize(GgmlType type, long elements)
    {
        var block = BlockSize(type);
        if (elements < 0 || elements % block != 0)
            throw new ArgumentOutOfRangeException(nameof(elements), $"{elements} is not a whole number of {type} blocks of {block}.");
        return checked(elements / block * TypeSize(type));
    }

    private static ArgumentOutOfRangeException Unknown(GgmlType type) =>
        new(nameof(type), $"ggml type {(uint)type} is unknown or no longer supported.");
}
