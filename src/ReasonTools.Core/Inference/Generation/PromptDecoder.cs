using ReasonTools.Core.Native;

namespace ReasonTools.Core.Inference.Generation;

/// <summary>Decodes a prompt into a context in batches, asking for logits of its last token only.</summary>
internal static class PromptDecoder
{
    /// <summary>
    /// Decodes <paramref name="tokens"/> from index <paramref name="from"/> (the tokens before it are already in the
    /// KV cache at their positions) into <paramref name="sequence"/>. Returns false when cancelled, before or by llama.cpp's abort callback during a batch.
    /// <paramref name="progress"/> gets the tokens decoded and those to decode (from index <paramref name="from"/> on):
    /// once before the first batch, so a long first batch is not taken for loading, and after each batch.
    /// </summary>
    public static bool Decode(LlamaContextHandle context, LlamaBatchHandle batch, int[] tokens, int from, Action<int, int> progress, CancellationToken ct, int sequence = 0)
    {
        var total = tokens.Length - from;
        progress(0, total);
        for (var at = from; at < tokens.Length; at += batch.Capacity)
        {
            var chunk = tokens.AsSpan(at, Math.Min(batch.Capacity, tokens.Length - at));
            var last = at + chunk.Length == tokens.Length;
            if (ct.IsCancellationRequested || Llama.Decode(context, batch.Fill(chunk, at, logitsForLast: last, sequence)) == DecodeStatus.Aborted) return false;
            progress(at + chunk.Length - from, total);
        }
        return true;
    }
}
