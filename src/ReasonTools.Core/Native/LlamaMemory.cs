namespace ReasonTools.Core.Native;

/// <summary>Per-sequence KV cache calls, for prefix reuse across the turns of a conversation.</summary>
internal static unsafe partial class Llama
{
    /// <summary>Removes the cells of <paramref name="sequence"/> from position <paramref name="from"/> on; false when the cache cannot cut a sequence part-way.</summary>
    internal static bool TryRemoveFrom(LlamaContextHandle context, int sequence, int from) =>
        llama_memory_seq_rm(llama_get_memory(context), sequence, from, -1);
}
