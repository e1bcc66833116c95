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
    private LlamaModelHandle? _model;

    public LlamaContextHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    public override bool IsInvalid => handle == IntPtr.Zero;

    internal void KeepAlive(LlamaModelHandle owner)
    {
        var added = false;
        owner.DangerousAddRef(ref added);
        if (added) _model = owner;
    }

    protected override bool ReleaseHandle()
    {
        Llama.ContextFree(handle);
        _model?.DangerousRelease();
        _model = null;
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
    private LlamaBatch _batch;

    public LlamaBatchHandle(int capacity) : base(IntPtr.Zero, ownsHandle: true)
    {
        _batch = Llama.BatchInit(capacity);
        Capacity = capacity;
        SetHandle((IntPtr)_batch.Token);
    }

    public int Capacity { get; }
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>Fills the batch with tokens at consecutive positions of one sequence (0 unless given); logits only for the last.</summary>
    public LlamaBatch Fill(ReadOnlySpan<int> tokens, int firstPosition, bool logitsForLast, int sequence = 0)
    {
        if (tokens.Length > Capacity) throw new ArgumentOutOfRangeException(nameof(tokens), $"batch holds {Capacity} tokens");
        for (var i = 0; i < tokens.Length; i++)
        {
            _batch.Token[i] = tokens[i];
            _batch.Pos[i] = firstPosition + i;
            _batch.NSeqId[i] = 1;
            _batch.SeqId[i][0] = sequence;
            _batch.Logits[i] = 0;
        }
        if (logitsForLast && tokens.Length > 0) _batch.Logits[tokens.Length - 1] = 1;
        _batch.NTokens = tokens.Length;
        return _batch;
    }

    /// <summary>Fills the batch like <see cref="Fill"/> but asks for the logits of every token (a draft's verification).</summary>
    public LlamaBatch FillWithAllLogits(ReadOnlySpan<int> tokens, int firstPosition)
    {
        Fill(tokens, firstPosition, logitsForLast: false);
        for (var i = 0; i < tokens.Length; i++) _batch.Logits[i] = 1;
        return _batch;
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
            _batch.Token[i] = tokens[i];
            _batch.Pos[i] = positions[i];
            _batch.NSeqId[i] = 1;
            _batch.SeqId[i][0] = sequences[i];
            _batch.Logits[i] = 1;
        }
        _batch.NTokens = tokens.Length;
        return _batch;
    }

    protected override bool ReleaseHandle()
    {
        Llama.BatchFree(_batch);
        return true;
    }
}
