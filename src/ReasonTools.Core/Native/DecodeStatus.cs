namespace ReasonTools.Core.Native;

/// <summary>What llama_decode returned (llama.h: 0, 1, 2, -1, and below -1 a fatal error).</summary>
public enum DecodeStatus
{
    /// <summary>A fatal error (any code below -1, or a code llama.h does not list); ubatches already processed stay in the KV cache.</summary>
    Error = -2,
    /// <summary>-1: the batch is invalid (a token outside the vocabulary, a position out of order).</summary>
    InvalidBatch = -1,
    /// <summary>0: decoded.</summary>
    Ok = 0,
    /// <summary>1: no KV cache slot for the batch: the context is full.</summary>
    NoKvSlot = 1,
    /// <summary>2: the abort callback stopped it (cancellation); ubatches already processed stay in the KV cache.</summary>
    Aborted = 2,
}

/// <summary>The one place llama_decode's codes become statuses, and the failing ones typed exceptions.</summary>
internal static class DecodeOutcome
{
    /// <summary>The status of <paramref name="code"/>.</summary>
    public static DecodeStatus StatusOf(int code) => code switch
    {
        0 => DecodeStatus.Ok,
        1 => DecodeStatus.NoKvSlot,
        2 => DecodeStatus.Aborted,
        -1 => DecodeStatus.InvalidBatch,
        _ => DecodeStatus.Error,
    };

    /// <summary>
    /// <see cref="DecodeStatus.Ok"/> or <see cref="DecodeStatus.Aborted"/> for the caller to act on; throws
    /// <see cref="DecodeException"/> for the others, with llama.cpp's logged errors (<paramref name="llamaSaid"/>) for a fatal one.
    /// </summary>
    public static DecodeStatus Check(int code, Func<string> llamaSaid)
    {
        var status = StatusOf(code);
        return status switch
        {
            DecodeStatus.Ok or DecodeStatus.Aborted => status,
            DecodeStatus.NoKvSlot => throw new DecodeException("The context is full: no KV cache slot for the batch. Use a larger context size or fewer tokens.", code, status),
            DecodeStatus.InvalidBatch => throw new DecodeException("llama.cpp rejected the batch as invalid.", code, status),
            _ => throw new DecodeException($"llama_decode failed with code {code}: {llamaSaid()}", code, status),
        };
    }
}
