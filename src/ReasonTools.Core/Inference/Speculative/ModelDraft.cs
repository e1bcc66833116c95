using ReasonTools.Core.Gguf;
using ReasonTools.Core.Native;

namespace ReasonTools.Core.Inference.Speculative;

/// <summary>
/// A small model of the same family that drafts for a large one: it keeps its own context in step with the
/// generation (decoding only the tokens it has not seen) and rolls its KV cache back past whatever the target
/// rejected.
/// </summary>
internal sealed class ModelDraft : IDraftProposer
{
    private readonly LlamaModelHandle _model;
    private readonly LlamaContextHandle _context;
    private readonly IntPtr _vocab;
    private readonly int _vocabularySize;
    private readonly LlamaBatchHandle _batch;
    private int _decoded;     // history tokens held in the draft's KV cache
    private int _proposedFrom; // history length when the last proposal was made
    private int _proposed;

    private ModelDraft(string name, string path, LlamaModelHandle model, LlamaContextHandle context, int batchSize)
    {
        Name = name;
        Path = path;
        _model = model;
        _context = context;
        _vocab = Llama.Vocab(model);
        _vocabularySize = Llama.VocabSize(_vocab);
        _batch = new LlamaBatchHandle(batchSize);
    }

    public string Name { get; }

    /// <summary>The draft's GGUF file.</summary>
    public string Path { get; }

    /// <summary>Bytes of the draft's weights.</summary>
    public long WeightBytes => Llama.WeightBytes(_model);

    /// <summary>Loads a draft checked beforehand (<see cref="DraftVocabulary"/>) with the target's context size and threads.</summary>
    public static ModelDraft Load(string path, GgufFile file, EngineOptions target)
    {
        var parameters = Llama.ModelDefaultParams();
        // A fully offloaded target means the GPU has room; otherwise the draft stays on the CPU beside it.
        parameters.NGpuLayers = target.GpuLayers == -1 ? -1 : 0;
        if (!target.UseMmap) parameters.LoadMode = 0;
        var handle = Llama.LoadModel(path, parameters);
        try
        {
            var contextParameters = Llama.ContextDefaultParams();
            contextParameters.NCtx = (uint)target.ContextSize;
            contextParameters.NBatch = (uint)target.BatchSize;
            contextParameters.NUbatch = (uint)Math.Min(target.MicroBatchSize, target.BatchSize);
            contextParameters.NSeqMax = 1;
            contextParameters.NThreads = target.EffectiveThreads;
            contextParameters.NThreadsBatch = target.EffectiveThreads;
            var context = Llama.CreateContext(handle, contextParameters);
            return new ModelDraft(file.Name ?? System.IO.Path.GetFileNameWithoutExtension(path), path, handle, context, target.BatchSize);
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }

    public unsafe void Begin(IntPtr abortFlag)
    {
        Llama.SetAbortCallback(_context, &OnAbortCheck, (void*)abortFlag);
        Llama.ClearMemory(_context);
        _decoded = 0;
        _proposed = 0;
    }

    public bool Observe(IReadOnlyList<int> history)
    {
        // The whole prompt at first, then the target's own token (and an accepted last proposal) after each round.
        var unseen = new int[history.Count - _decoded];
        for (var i = 0; i < unseen.Length; i++) unseen[i] = history[_decoded + i];
        for (var at = 0; at < unseen.Length; at += _batch.Capacity)
        {
            var chunk = unseen.AsSpan(at, Math.Min(_batch.Capacity, unseen.Length - at));
            if (Llama.Decode(_context, _batch.Fill(chunk, _decoded, logitsForLast: at + chunk.Length == unseen.Length)) == DecodeStatus.Aborted) return false;
            _decoded += chunk.Length;
        }
        return true;
    }

    public int Propose(IReadOnlyList<int> history, Span<int> proposal, SparseDistribution?[] distributions, DraftSampling? sampling)
    {
        if (!Observe(history)) return -1;
        _proposedFrom = history.Count;
        _proposed = 0;
        Span<int> one = stackalloc int[1];
        while (_proposed < proposal.Length)
        {
            var logits = Llama.Logits(_context, -1, _vocabularySize);
            int token;
            if (sampling is null)
            {
                token = TokenDistribution.ArgMax(logits);
                distributions[_proposed] = null;
            }
            else
            {
                var q = sampling.Distribution.From(logits);
                token = q.Sample(sampling.Random.NextDouble());
                distributions[_proposed] = q;
            }
            proposal[_proposed++] = token;
            // Nothing follows the end of the generation; and the last proposal needs no decoding of its own.
            if (Llama.IsEndOfGeneration(_vocab, token) || _proposed == proposal.Length) break;
            one[0] = token;
            if (Llama.Decode(_context, _batch.Fill(one, _decoded, logitsForLast: true)) == DecodeStatus.Aborted) return -1;
            _decoded++;
        }
        return _proposed;
    }

    public void SetThreads(int threads) => Llama.SetThreads(_context, threads, threads);

    public void Commit(int accepted)
    {
        // The cache holds the history as proposed from plus the proposal but its last token; keep the accepted part.
        var keep = _proposedFrom + Math.Min(accepted, Math.Max(0, _proposed - 1));
        if (keep < _decoded)
        {
            Llama.RemoveFrom(_context, keep);
            _decoded = keep;
        }
    }

    [System.Runtime.InteropServices.UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static unsafe byte OnAbortCheck(void* flag) => *(int*)flag != 0 ? (byte)1 : (byte)0;

    public void Dispose()
    {
        _batch.Dispose();
        _context.Dispose();
        _model.Dispose();
    }
}
