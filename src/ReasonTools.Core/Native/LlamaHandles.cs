using System.Runtime.InteropServices;

namespace ReasonTools.Core.Native;

/// <summary>Owns a llama_model. Freed after every context made from it (contexts hold a reference).</summary>
internal sealed class LlamaModelHandle : SafeHandle
{
    public LlamaModelHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override bool ReleaseHandle()
    {
        Llama.ModelFree(handle);
        NativeHeap.Trim();
        return true;
    }
}

/// <summary>
/// Owns a llama_context and keeps its model alive: the model's reference is released only after
/// llama_free, so the free order is always context before model.
/// </summary>
internal sealed class LlamaContextHandle : SafeHandle
{
    private LlamaModelHandle? model;

    public LlamaContextHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    public override bool IsInvalid => handle == IntPtr.Zero;

    internal void KeepAlive(LlamaModelHandle owner)
    {
        var added = false;
        owner.DangerousAddRef(ref added);
        if (added) model = owner;
    }

    protected override bool ReleaseHandle()
    {
        Llama.ContextFree(handle);
        model?.DangerousRelease();
        model = null;
        return true;
    }
}

/// <summary>Owns a llama_sampler (a chain owns the samplers added to it).</summary>
internal sealed class LlamaSamplerHandle : SafeHandle
{
    public LlamaSamplerHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override bool ReleaseHandle()
    {
        Llama.SamplerFree(handle);
        return true;
    }
}

/// <summary>Owns the arrays of a llama_batch made by llama_batch_init.</summary>
internal sealed unsafe class LlamaBatchHandle : SafeHandle
{
    private LlamaBatch batch;

    public LlamaBatchHandle(int capacity) : base(IntPtr.Zero, ownsHandle: true)
    {
        batch = Llama.BatchInit(capacity);
        Capacity = capacity;
        SetHandle((IntPtr)batch.Token);
    }

    public int Capacity { get; }
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Fills the batch with tokens at consecutive positions of one sequence (0 unless given); logits only for the last.</summary>
    public LlamaBatch Fill(ReadOnlySpan<int> tokens, int firstPosition, bool logitsForLast, int sequence = 0)
    {
        if (tokens.Length > Capacity) throw new ArgumentOutOfRangeException(nameof(tokens), $"batch holds {Capacity} tokens");
        for (var i = 0; i < tokens.Length; i++)
        {
            batch.Token[i] = tokens[i];
            batch.Pos[i] = firstPosition + i;
            batch.NSeqId[i] = 1;
            batch.SeqId[i][0] = sequence;
            batch.Logits[i] = 0;
        }
        if (logitsForLast && tokens.Length > 0) batch.Logits[tokens.Length - 1] = 1;
        batch.NTokens = tokens.Length;
        return batch;
    }

    /// <summary>Fills the batch like <see cref="Fill"/> but asks for the logits of every token (a draft's verification).</summary>
    public LlamaBatch FillWithAllLogits(ReadOnlySpan<int> tokens, int firstPosition)
    {
        Fill(tokens, firstPosition, logitsForLast: false);
        for (var i = 0; i < tokens.Length; i++) batch.Logits[i] = 1;
        return batch;
    }

    /// <summary>
    /// One token for each of several sequences (a step of parallel generation): token i goes to sequence
    /// <paramref name="sequences"/>[i] at <paramref name="positions"/>[i], and output i holds its logits.
    /// </summary>
    public LlamaBatch FillOnePerSequence(ReadOnlySpan<int> tokens, ReadOnlySpan<int> positions, ReadOnlySpan<int> sequences)
    {
        if (tokens.Length > Capacity) throw new ArgumentOutOfRangeException(nameof(tokens), $"batch holds {Capacity} tokens");
        for (var i = 0; i < tokens.Length; i++)
        {
            batch.Token[i] = tokens[i];
            batch.Pos[i] = positions[i];
            batch.NSeqId[i] = 1;
            batch.SeqId[i][0] = sequences[i];
            batch.Logits[i] = 1;
        }
        batch.NTokens = tokens.Length;
        return batch;
    }

    protected override bool ReleaseHandle()
    {
        Llama.BatchFree(batch);
        return true;
    }
}
