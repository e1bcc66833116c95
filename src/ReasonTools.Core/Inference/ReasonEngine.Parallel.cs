using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using ReasonTools.Core.Inference.Generation;
using ReasonTools.Core.Native;
using ReasonTools.Core.Reasoning;

namespace ReasonTools.Core.Inference;

/// <summary>
/// Parallel sequences (<see cref="EngineOptions.Parallel"/> above 1): one thread owns the context and, each step,
/// decodes the next token of every running request in one llama_decode batch, then samples each from its own output
/// with its own sampler chain. A request that arrives while others run takes a free sequence and joins the next step.
/// </summary>
public sealed partial class ReasonEngine
{
    private readonly object _batchGate = new();
    private readonly Queue<BatchedRequest> _waiting = new();
    private Task? _batchLoop;
    private int _peakSequences;
    // Per sequence id: the tokens its KV cells hold, so a follow-up on the same sequence decodes only what is new.
    private List<int>[]? _sequenceTokens;
    // The decode loop's share of the cores (only its thread reads it).
    private GenerationLease? _batchShare;

    /// <summary>
    /// The most requests this engine has generated at the same time (in one batch on a parallel engine; 1 on a
    /// one-sequence engine once it has answered): how a host shows that concurrent callers shared the model.
    /// </summary>
    public int PeakSequences => Volatile.Read(ref _peakSequences);

    private async IAsyncEnumerable<ReasonUpdate> StreamBatchedAsync(ReasonRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Unbounded: the decode thread serves every sequence and must never wait for one slow reader.
        var channel = Channel.CreateUnbounded<ReasonUpdate>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new BatchedRequest(request, channel.Writer, stop.Token);
        lock (_batchGate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _waiting.Enqueue(pending);
            _batchLoop ??= Task.Factory.StartNew(RunBatches, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        var finished = false;
        try
        {
            await foreach (var update in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                yield return update;
            finished = true;
        }
        finally
        {
            if (!finished)
            {
                // The consumer stopped reading early: cancel its sequence and wait until the decode thread has let it go.
                stop.Cancel();
                try
                {
                    await foreach (var _ in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false)) { }
                }
                catch (Exception)
                {
                    // The sequence's failure has nobody left to report to.
                }
            }
        }
    }

    private void RunBatches()
    {
        var running = new List<BatchedRequest>();
        LlamaBatchHandle? batch = null;
        // One lease for the decode loop: its batches run on one share of the cores, however many sequences they hold.
        using var share = Options.Leases.Acquire(Options.Threads);
        _batchShare = share;
        try
        {
            while (true)
            {
                var admitted = new List<BatchedRequest>();
                lock (_batchGate)
                {
                    while (running.Count + admitted.Count < Options.Parallel && _waiting.Count > 0) admitted.Add(_waiting.Dequeue());
                    if (running.Count == 0 && admitted.Count == 0)
                    {
                        _batchLoop = null;
                        return;
                    }
                }
                try
                {
                    var ctx = AcquireContext();
                    share.Recount();
                    Llama.SetThreads(ctx, share.Threads, share.Threads);
                    _sequenceTokens ??= Enumerable.Range(0, Options.Parallel).Select(_ => new List<int>()).ToArray();
                    batch ??= new LlamaBatchHandle(Math.Max(Options.BatchSize, Options.Parallel));
                    foreach (var next in admitted)
                    {
                        if (Start(ctx, batch, next, running)) running.Add(next);
                    }
                    admitted.Clear();
                    if (running.Count > _peakSequences) Volatile.Write(ref _peakSequences, running.Count);
                    if (running.Count > 0) Step(ctx, batch, running);
                }
                catch (Exception e)
                {
                    // A failed decode leaves the shared cache in an unknown state: every sequence in it fails, and the next
                    // requests start on a fresh context.
                    foreach (var r in running.Concat(admitted)) r.Fail(e);
                    running.Clear();
                    _sequenceTokens = null;
                    ReleaseContext();
                }
            }
        }
        finally
        {
            batch?.Dispose();
        }
    }

    /// <summary>Takes a free sequence for the request and decodes its prompt; false when the request already ended.</summary>
    private bool Start(LlamaContextHandle ctx, LlamaBatchHandle batch, BatchedRequest r, List<BatchedRequest> running)
    {
        int[] promptTokens;
        try
        {
            r.Begin(FormatPrompt(r.Request), _vocab, Options.ContextSize);
            promptTokens = r.PromptTokens;
        }
        catch (Exception e)
        {
            r.Fail(e);
            return false;
        }
        var free = Enumerable.Range(0, Options.Parallel).Where(id => running.All(o => o.Sequence != id)).ToList();
        // The free sequence whose cache shares most with this prompt (an earlier turn of the same conversation).
        r.Sequence = free.MaxBy(id => Conversation.CommonPrefix(CollectionsMarshal.AsSpan(_sequenceTokens![id]), promptTokens));
        r.Reused = ReusePrefix(ctx, r.Sequence, promptTokens);
        r.Sampler = SamplerChains.Create(_vocab, r.Request, r.Seed);
        var decoding = Stopwatch.GetTimestamp();
        if (!PromptDecoder.Decode(ctx, batch, promptTokens, r.Reused, (done, total) => r.Publish(new ReasonUpdate(ReasonUpdateKind.PromptProgress)
            {
                Progress = total > 0 ? (double)done / total : 1,
                Phase = new PhaseProgress(ReasonPhase.ProcessingPrompt, done, total, Stopwatch.GetElapsedTime(decoding).TotalMilliseconds),
            }), r.Token, r.Sequence))
        {
            ForgetSequence(ctx, r.Sequence);
            r.Generation.Cancel();
        }
        r.PromptMs = Stopwatch.GetElapsedTime(decoding).TotalMilliseconds;
        r.GenerationStarted = Stopwatch.GetTimestamp();
        r.Phases = new GenerationPhases(Stopwatch.GetElapsedTime(r.Started).TotalMilliseconds);
        if (r.Generation.Finish is null) Take(r, Llama.Sample(r.Sampler, ctx));
        if (r.Generation.Finish is null) return true;
        Finish(ctx, r);
        return false;
    }

    /// <summary>One token of every running sequence in one decode, then one sampled token for each.</summary>
    private void Step(LlamaContextHandle ctx, LlamaBatchHandle batch, List<BatchedRequest> running)
    {
        Span<int> tokens = stackalloc int[running.Count];
        Span<int> positions = stackalloc int[running.Count];
        Span<int> sequences = stackalloc int[running.Count];
        for (var i = 0; i < running.Count; i++)
        {
            tokens[i] = running[i].Next;
            positions[i] = running[i].Position;
            sequences[i] = running[i].Sequence;
        }
        if (Llama.Decode(ctx, batch.FillOnePerSequence(tokens, positions, sequences)) == DecodeStatus.Aborted)
            throw new OperationCanceledException("The batch was aborted.");
        for (var i = 0; i < running.Count; i++)
        {
            var r = running[i];
            _sequenceTokens![r.Sequence].Add(r.Next);
            r.Position++;
            Take(r, Llama.Sample(r.Sampler!, ctx, i));
        }
        foreach (var done in running.Where(r => r.Generation.Finish is not null).ToList())
        {
            running.Remove(done);
            Finish(ctx, done);
        }
    }

    /// <summary>Gives a sampled token to its sequence and streams its text; a cancelled request stops here, within one token.</summary>
    private void Take(BatchedRequest r, int token)
    {
        if (r.Token.IsCancellationRequested || token < 0)
        {
            r.Generation.Cancel();
            return;
        }
        var end = Llama.IsEndOfGeneration(_vocab, token);
        var elapsed = Stopwatch.GetElapsedTime(r.Started).TotalMilliseconds;
        foreach (var segment in r.Generation.Accept(token, end, end ? "" : r.Text!.Decode(token), elapsed))
            r.Publish(new ReasonUpdate(ReasonUpdateKind.Token)
            {
                IsThinking = segment.Part == ReasoningPart.Thinking,
                Text = segment.Text,
                Phase = r.Phases!.Of(segment.Part, r.Generation, elapsed),
            });
        r.Next = token;
    }

    private void Finish(LlamaContextHandle ctx, BatchedRequest r)
    {
        var sequence = r.Generation;
        foreach (var segment in sequence.Flush())
            r.Publish(new ReasonUpdate(ReasonUpdateKind.Token) { IsThinking = segment.Part == ReasoningPart.Thinking, Text = segment.Text });
        // A cancelled sequence's cache is not known to match its tokens: the next request on it starts afresh.
        if (sequence.Finish == FinishReason.Cancelled) ForgetSequence(ctx, r.Sequence);
        var measures = new GenerationMeasures
        {
            LoadMs = LoadMs,
            PromptTokens = r.PromptTokens.Length,
            ReusedPromptTokens = r.Reused,
            PromptEvaluated = r.PromptTokens.Length - r.Reused,
            PromptMs = r.PromptMs,
            // The first token came from the prompt's logits; each later one took one step of the shared batch.
            Evaluated = Math.Max(0, sequence.Generated - 1),
            EvaluationMs = Stopwatch.GetElapsedTime(r.GenerationStarted).TotalMilliseconds,
            TotalMs = Stopwatch.GetElapsedTime(r.Started).TotalMilliseconds,
        };
        var choice = _batchShare!.Choice;
        var settings = new GenerationSettings(r.Request.Temperature, r.Request.TopP, r.Seed, Options.ContextSize, choice.Threads, GpuLayerChoice.Layers, r.MaxTokens) { ThreadChoice = choice };
        r.Publish(new ReasonUpdate(ReasonUpdateKind.Completed) { Result = GenerationResult.Build(Model, r.Request, sequence, measures, settings) });
        r.Complete();
    }

    /// <summary>
    /// Keeps the cells of <paramref name="sequence"/> that hold a prefix of the prompt, removes the rest, and returns how
    /// many prompt tokens need no decoding (at least the last is decoded again, for its logits).
    /// </summary>
    private int ReusePrefix(LlamaContextHandle ctx, int sequence, int[] promptTokens)
    {
        var cached = _sequenceTokens![sequence];
        var reused = Math.Min(Conversation.CommonPrefix(CollectionsMarshal.AsSpan(cached), promptTokens), promptTokens.Length - 1);
        if (reused <= 0 || !Llama.TryRemoveFrom(ctx, sequence, reused))
        {
            reused = 0;
            Llama.TryRemoveFrom(ctx, sequence, 0);
        }
        cached.Clear();
        cached.AddRange(promptTokens);
        return reused;
    }

    private void ForgetSequence(LlamaContextHandle ctx, int sequence)
    {
        Llama.TryRemoveFrom(ctx, sequence, 0);
        _sequenceTokens![sequence].Clear();
    }

    /// <summary>Waits for the decode thread to finish the requests it holds (an engine is disposed once nobody uses it).</summary>
    private void StopBatches()
    {
        Task? loop;
        lock (_batchGate)
        {
            _disposed = true;
            loop = _batchLoop;
        }
        loop?.Wait();
    }

    /// <summary>One request of a parallel engine: its stream, sampler, sequence id and what it has generated.</summary>
    private sealed class BatchedRequest(ReasonRequest request, ChannelWriter<ReasonUpdate> output, CancellationToken token) : IDisposable
    {
        public ReasonRequest Request { get; } = request;
        public CancellationToken Token { get; } = token;
        public long Started { get; } = Stopwatch.GetTimestamp();
        public uint Seed { get; } = request.Seed ?? (uint)Random.Shared.Next();
        public int[] PromptTokens { get; private set; } = [];
        public int MaxTokens { get; private set; }
        public SequenceGeneration Generation { get; private set; } = null!;
        public TokenTextDecoder? Text { get; private set; }
        public LlamaSamplerHandle? Sampler { get; set; }
        public int Sequence { get; set; }
        public int Reused { get; set; }
        public int Position { get; set; }
        public int Next { get; set; }
        public double PromptMs { get; set; }
        public long GenerationStarted { get; set; }
        public GenerationPhases? Phases { get; set; }

        /// <summary>Tokenizes the prompt and sets the token limit; throws what a single-sequence request would.</summary>
        public void Begin(string prompt, IntPtr vocab, int contextSize)
        {
            PromptTokenBudget.EnsureCanFit(vocab, prompt, contextSize);
            PromptTokens = Llama.Tokenize(vocab, prompt, addSpecial: true, parseSpecial: true);
            if (PromptTokens.Length >= contextSize) throw new PromptTooLongException(PromptTokens.Length, contextSize);
            MaxTokens = Math.Min(Request.MaxTokens ?? int.MaxValue, contextSize - PromptTokens.Length);
            if (MaxTokens <= 0) throw new ArgumentOutOfRangeException(nameof(Request), $"MaxTokens must be positive (got {Request.MaxTokens}).");
            Generation = new SequenceGeneration(prompt, MaxTokens, Request.DetectLoops);
            Text = new TokenTextDecoder(vocab);
            Position = PromptTokens.Length;
        }

        public void Publish(ReasonUpdate update) => output.TryWrite(update);

        public void Complete()
        {
            Dispose();
            output.TryComplete();
        }

        public void Fail(Exception e)
        {
            Dispose();
            output.TryComplete(e);
        }

        public void Dispose()
        {
            Sampler?.Dispose();
            Sampler = null;
        }
    }
}
