using ReasonTools.Core.Native;

namespace ReasonTools.Core.Inference.Generation;

/// <summary>Decodes a prompt into a context in batches, asking for logits of its last token only.</summary>
internal static class PromptDecoder
{
    /// <summary>
    /// Decodes <paramref name="tokens"/> from index <paramref name="from"/> (the tokens before it are already in the
    /// KV cache at their positions) into <paramref name="sequence"/>. Returns false when cancelled, before or by llama.cpp's abort callback during a batch.
    /// </summary>
    public static bool Decode(LlamaContextHandle context, LlamaBatchHandle batch, int[] tokens, int from, Action<double> progress, CancellationToken ct, int sequence = 0)
    {
        for (var at = from; at < tokens.Length; at += batch.Capacity)
        {
            var chunk = tokens.AsSpan(at, Math.Min(batch.Capacity, tokens.Length - at));
            var last = at + chunk.Length == tokens.Length;
            if (ct.IsCancellationRequested || Llama.Decode(context, batch.Fill(chunk, at, logitsForLast: last, sequence)) == 2) return false;
            progress((double)(at + chunk.Length) / tokens.Length);
        }
        return true;
    }
}
