using System.Runtime.InteropServices;

namespace ReasonTools.Core.Native;

// Declared field by field from llama.h of the pinned build (node-llama-cpp 3.21.1, llama.cpp "v0.4.0").
// LlamaAbiTests compares every size and offset here with what gcc reports for the same header.
// C `bool` is one byte: [MarshalAs(U1)] keeps Marshal's view equal to the native layout.

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LlamaModelParams
{
    public IntPtr Devices;
    public IntPtr TensorBuftOverrides;
    public int NGpuLayers;
    public int SplitMode;
    public int LoadMode;
    public int LazyMode;
    public int MainGpu;
    public IntPtr TensorSplit;
    public delegate* unmanaged[Cdecl]<float, void*, byte> ProgressCallback;
    public void* ProgressCallbackUserData;
    public IntPtr KvOverrides;
    [MarshalAs(UnmanagedType.U1)] public bool VocabOnly;
    [MarshalAs(UnmanagedType.U1)] public bool CheckTensors;
    [MarshalAs(UnmanagedType.U1)] public bool UseExtraBufts;
    [MarshalAs(UnmanagedType.U1)] public bool NoHost;
    [MarshalAs(UnmanagedType.U1)] public bool NoAlloc;
    [MarshalAs(UnmanagedType.U1)] public bool LoadMtp;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LlamaContextParams
{
    public uint NCtx;
    public uint NBatch;
    public uint NUbatch;
    public uint NSeqMax;
    public uint NRsSeq;
    public uint NOutputsMax;
    public uint NOutputsMaxPerSeq;
    public int NThreads;
    public int NThreadsBatch;
    public int ContextType;
    public int RopeScalingType;
    public int PoolingType;
    public int AttentionType;
    public int FlashAttnType;
    public float RopeFreqBase;
    public float RopeFreqScale;
    public float YarnExtFactor;
    public float YarnAttnFactor;
    public float YarnBetaFast;
    public float YarnBetaSlow;
    public uint YarnOrigCtx;
    public float DefragThold;
    public IntPtr CbEval;
    public IntPtr CbEvalUserData;
    public int TypeK;
    public int TypeV;
    public delegate* unmanaged[Cdecl]<void*, byte> AbortCallback;
    public void* AbortCallbackData;
    [MarshalAs(UnmanagedType.U1)] public bool Embeddings;
    [MarshalAs(UnmanagedType.U1)] public bool OffloadKqv;
    [MarshalAs(UnmanagedType.U1)] public bool NoPerf;
    [MarshalAs(UnmanagedType.U1)] public bool OpOffload;
    [MarshalAs(UnmanagedType.U1)] public bool SwaFull;
    [MarshalAs(UnmanagedType.U1)] public bool KvUnified;
    public IntPtr Samplers;
    public nuint NSamplers;
    public IntPtr CtxOther;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LlamaBatch
{
    public int NTokens;
    public int* Token;
    public float* Embd;
    public int* Pos;
    public int* NSeqId;
    public int** SeqId;
    public sbyte* Logits;
}

[StructLayout(LayoutKind.Sequential)]
internal struct LlamaTokenData
{
    public int Id;
    public float Logit;
    public float P;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LlamaTokenDataArray
{
    public LlamaTokenData* Data;
    public nuint Size;
    public long Selected;
    [MarshalAs(UnmanagedType.U1)] public bool Sorted;
}

[StructLayout(LayoutKind.Sequential)]
internal unsafe struct LlamaChatMessage
{
    public byte* Role;
    public byte* Content;
}

[StructLayout(LayoutKind.Sequential)]
internal struct LlamaPerfContextData
{
    public double TStartMs;
    public double TLoadMs;
    public double TPromptEvalMs;
    public double TEvalMs;
    public int NPromptEval;
    public int NEval;
    public int NReused;
}

[StructLayout(LayoutKind.Sequential)]
internal struct LlamaSamplerChainParams
{
    [MarshalAs(UnmanagedType.U1)] public bool NoPerf;
}

[StructLayout(LayoutKind.Sequential)]
internal struct LlamaModelQuantizeParams
{
    public int NThread;
    public int FileType;
    public int OutputTensorType;
    public int TokenEmbeddingType;
    [MarshalAs(UnmanagedType.U1)] public bool AllowRequantize;
    [MarshalAs(UnmanagedType.U1)] public bool QuantizeOutputTensor;
    [MarshalAs(UnmanagedType.U1)] public bool OnlyCopy;
    [MarshalAs(UnmanagedType.U1)] public bool Pure;
    [MarshalAs(UnmanagedType.U1)] public bool KeepSplit;
    [MarshalAs(UnmanagedType.U1)] public bool DryRun;
    public IntPtr Imatrix;
    public IntPtr KvOverrides;
    public IntPtr TtOverrides;
    public IntPtr PruneLayers;
    public nuint MaxBufSize;
}

/// <summary>llama_ftype values this project quantizes to.</summary>
internal enum LlamaFileType
{
    AllF32 = 0,
    MostlyF16 = 1,
    MostlyQ8_0 = 7,
    MostlyQ4_K_M = 15,
    MostlyQ5_K_M = 17,
    MostlyQ6_K = 18,
}
