using ReasonTools.Core.Gguf;

namespace ReasonTools.Core.Inference.Speculative;

/// <summary>A model cannot draft for another: their vocabularies differ.</summary>
public sealed class DraftVocabularyException(string message) : Exception(message);

/// <summary>
/// Whether a draft's tokens mean what the target's tokens mean, read from the GGUF token lists (not the names):
/// the same tokenizer, the same begin and end tokens, the same text at every id both have, and sizes that differ
/// only by padding (llama.cpp's own check allows 128 entries: the R1 1.5B has 151,936, the 7B to 32B 152,064).
/// </summary>
public static class DraftVocabulary
{
    /// <summary>Most entries by which the two vocabularies may differ in size (llama.cpp's SPEC_VOCAB_MAX_SIZE_DIFFERENCE).</summary>
    public const int MaxSizeDifference = 128;

    private const string Tokens = "tokenizer.ggml.tokens";

    /// <summary>Null when <paramref name="draft"/> can draft for <paramref name="target"/>; otherwise why not, in a sentence.</summary>
    public static string? Mismatch(GgufFile target, GgufFile draft)
    {
        var targetTokens = target.Metadata.TryGetStringArray(Tokens);
        var draftTokens = draft.Metadata.TryGetStringArray(Tokens);
        if (targetTokens is null || draftTokens is null)
            return $"the {(targetTokens is null ? "model" : "draft")} file has no token list ({Tokens})";
        var targetModel = target.Metadata.TryGetString("tokenizer.ggml.model");
        var draftModel = draft.Metadata.TryGetString("tokenizer.ggml.model");
        if (targetModel != draftModel) return $"their tokenizers differ ('{targetModel}' and '{draftModel}')";
        var difference = Math.Abs(targetTokens.Count - draftTokens.Count);
        if (difference > MaxSizeDifference)
            return $"their vocabularies have {targetTokens.Count:N0} and {draftTokens.Count:N0} entries, more than padding ({MaxSizeDifference}) apart";
        foreach (var key in new[] { "tokenizer.ggml.bos_token_id", "tokenizer.ggml.eos_token_id" })
            if (target.Metadata.TryGetInt64(key) != draft.Metadata.TryGetInt64(key))
                return $"their {key[15..18]} tokens differ ({target.Metadata.TryGetInt64(key)} and {draft.Metadata.TryGetInt64(key)})";
        var shared = Math.Min(targetTokens.Count, draftTokens.Count);
        for (var id = 0; id < shared; id++)
            if (!string.Equals(targetTokens[id], draftTokens[id], StringComparison.Ordinal))
                return $"token {id} is '{Shorten(targetTokens[id])}' in the model and '{Shorten(draftTokens[id])}' in the draft";
        return null;
    }

    /// <summary>Throws <see cref="DraftVocabularyException"/> saying why <paramref name="draft"/> cannot draft for <paramref name="target"/>.</summary>
    public static void EnsureCompatible(GgufFile target, string targetName, GgufFile draft, string draftName)
    {
        if (Mismatch(target, draft) is { } why)
            throw new DraftVocabularyException(
                $"{draftName} cannot draft for {targetName}: {why}. A draft must share the model's vocabulary, as the sizes of one family do " +
                "(the DeepSeek-R1-Distill-Qwen 1.5B drafts for the 7B, 14B and 32B).");
    }

    private static string Shorten(string token) => token.Length <= 24 ? token : token[..24] + "…";
}
