using System.Runtime.InteropServices;

namespace ReasonTools.Core.Native;

/// <summary>llama.cpp's per-sequence KV cache calls (llama_memory_seq_*), for prefix reuse and parallel sequences.</summary>
internal static unsafe partial class Llama
{
    [LibraryImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] private static partial bool llama_memory_seq_rm(IntPtr memory, int seqId, int p0, int p1);
    [LibraryImport(Lib)] private static partial int llama_memory_seq_pos_max(IntPtr memory, int seqId);

    /// <summary>Removes the cells of <paramref name="sequence"/> from position <paramref name="from"/> on; false when the cache cannot cut a sequence part-way.</summary>
    internal static bool RemoveFrom(LlamaContextHandle context, int sequence, int from) =>
        llama_memory_seq_rm(llama_get_memory(context.DangerousGetHandle()), sequence, from, -1);

    /// <summary>The highest position held for <paramref name="sequence"/>; -1 when it is empty.</summary>
    internal static int LastPosition(LlamaContextHandle context, int sequence) =>
        llama_memory_seq_pos_max(llama_get_memory(context.DangerousGetHandle()), sequence);
}
