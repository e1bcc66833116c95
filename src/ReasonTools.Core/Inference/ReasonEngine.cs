using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using ReasonTools.Core.Gguf;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Inference.Generation;
using ReasonTools.Core.Inference.Speculative;
using ReasonTools.Core.Models;
using ReasonTools.Core.Native;
using ReasonTools.Core.Reasoning;

namespace ReasonTools.Core.Inference;

/// <summary>
/// A model loaded once through llama.cpp that answers many requests, one at a time, streaming the
/// reasoning chain and the answer apart.
/// </summary>
public sealed partial class ReasonEngine : IReasonModel
{
    private const string ThinkOpen = "<think>\n";
    private static int _liveContexts;

    private readonly LlamaModelHandle _model;
    private readonly IntPtr _vocab;
    private readonly string? _chatTemplate;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private LlamaContextHandle? _context;
    // The tokens sequence 0 of the context holds in its KV cache, position by position.
    private readonly List<int> _cachedTokens = [];
    private unsafe int* _abortFlag;
    private bool _disposed;

    private ReasonEngine(LlamaModelHandle model, ModelInfo info, GgufFile file, EngineOptions options, GpuLayerChoice gpuLayers, double loadMs)
    {
        GpuLayerChoice = gpuLayers;
        _model = model;
        _vocab = Llama.Vocab(model);
        _chatTemplate = Llama.ChatTemplate(model);
        Model = info;
        File = file;
        Options = options;
        LoadMs = loadMs;
    }

    /// <summary>The loaded model, as results report it.</summary>
    public ModelInfo Model { get; }
    /// <summary>The validated GGUF metadata of the model file.</summary>
    public GgufFile File { get; }
    /// <summary>The options the model was loaded with; <see cref="EngineOptions.GpuLayers"/> holds the count used.</summary>
    public EngineOptions Options { get; }
    /// <summary>How many layers went to the GPU, and why (the fit estimate's verdict for <c>auto</c>).</summary>
    public GpuLayerChoice GpuLayerChoice { get; }
    /// <summary>How long loading took, in milliseconds.</summary>
    public double LoadMs { get; }
    /// <summary>Bytes of weights llama.cpp holds for the model.</summary>
    public long WeightBytes => Llama.WeightBytes(_model);

    /// <summary>Contexts alive in this process (each engine holds at most one between requests).</summary>
    internal static int LiveContexts => Volatile.Read(ref _liveContexts);

    /// <summary>
    /// Validates the file with our own GGUF reader and its hyperparameters against what llama.cpp asserts on (llama.cpp
    /// never sees a file either rejects), then loads it. The machine is probed (for the fit guard and the GPU layer
    /// choice) off the caller's thread, so the returned task is not held up by the probe.
    /// Cancelling stops the load at llama.cpp's next progress report.
    /// </summary>
    public static Task<ReasonEngine> LoadAsync(string path, EngineOptions? options = null, IProgress<LoadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new EngineOptions();
        if (options.ContextSize < 16) throw new ArgumentOutOfRangeException(nameof(options), $"Context size {options.ContextSize} is too small; use at least 16 tokens.");
        ParallelSequences.EnsureValid(options.Parallel);
        // A draft speculates on one sequence; parallel sequences share each decode instead.
        if (options.Parallel > 1) options = options with { Draft = DraftChoice.None };
        var full = Path.GetFullPath(path);
        if (!System.IO.File.Exists(full)) throw new ModelFileNotFoundException(full, $"Model file not found: {full}");
        var file = GgufReader.Read(full);
        ModelHyperparameters.Validate(file);
        // llama.cpp's own devices decide which GPUs count, so its libraries load before the fit is judged.
        LlamaNativeLibrary.EnsureLoaded();
        return LoadAsync(full, file, options, MachineProbe.Current, progress, cancellationToken);
    }

    private static async Task<ReasonEngine> LoadAsync(string path, GgufFile file, EngineOptions options, IMachineProbe probe,
        IProgress<LoadProgress>? progress, CancellationToken cancellationToken)
    {
        var gpuLayers = await ChooseGpuLayersAsync(file, path, options, probe, cancellationToken).ConfigureAwait(false);
        options = options with { GpuLayers = gpuLayers.Layers };
        cancellationToken.ThrowIfCancellationRequested();
        return await ModelLoaderThread.RunAsync(() => WithDraft(Load(path, file, options, gpuLayers, progress, cancellationToken), cancellationToken),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Resolves <see cref="EngineOptions.GpuLayers"/> (auto from the fit estimate) and, with
    /// <see cref="EngineOptions.CheckFit"/>, throws <see cref="ModelDoesNotFitException"/> when the estimate says this
    /// machine cannot hold the model. The machine is probed only when either needs it.
    /// </summary>
    private static async Task<GpuLayerChoice> ChooseGpuLayersAsync(GgufFile file, string path, EngineOptions options, IMachineProbe probe, CancellationToken ct)
    {
        var spec = GgufModelSpec.From(file, file.Name ?? Path.GetFileNameWithoutExtension(path));
        var fit = new FitOptions { ContextSize = options.TotalContextSize, UBatchSize = options.MicroBatchSize };
        if (!options.CheckFit && options.GpuLayers == 0) return GpuLayerChooser.Choose(0, spec, MachineProfile.CpuOnly(0, null), fit);
        var machine = await probe.ProbeAsync(ct).ConfigureAwait(false);
        if (options.ResidentBytes > 0) machine = machine with { MemoryBudgetBytes = Math.Max(0, machine.MemoryBudgetBytes - options.ResidentBytes) };
        var choice = GpuLayerChooser.Choose(options.GpuLayers, spec, machine, fit);
        // With no layers offloaded, only system memory counts.
        if (options.CheckFit) FitGuard.EnsureFits(spec, choice.Layers == 0 ? machine with { Gpus = [] } : machine, new ChoiceOptions { Fit = fit });
        return choice;
    }

    private static unsafe ReasonEngine Load(string path, GgufFile file, EngineOptions options, GpuLayerChoice gpuLayers, IProgress<LoadProgress>? progress, CancellationToken ct)
    {
        var state = new LoadState(progress, ct);
        var stateHandle = GCHandle.Alloc(state);
        try
        {
            var parameters = Llama.ModelDefaultParams();
            parameters.NGpuLayers = gpuLayers.Layers;
            parameters.ProgressCallback = &OnLoadProgress;
            parameters.ProgressCallbackUserData = (void*)GCHandle.ToIntPtr(stateHandle);
            if (!options.UseMmap) parameters.LoadMode = 0;
            var started = Stopwatch.GetTimestamp();
            LlamaModelHandle handle;
            try
            {
                handle = Llama.LoadModel(path, parameters);
            }
            catch (ModelLoadException) when (ct.IsCancellationRequested)
            {
                throw new OperationCanceledException("Model loading was cancelled.", ct);
            }
            var loadMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            MachineProbe.MemoryChanged();
            progress?.Report(new LoadProgress(1));
            var info = new ModelInfo(
                Name: file.Name ?? Path.GetFileNameWithoutExtension(path),
                Path: path,
                Architecture: file.Architecture,
                Parameters: Llama.ParameterCount(handle),
                Quantization: file.FileType,
                FileSizeBytes: new FileInfo(path).Length);
            return new ReasonEngine(handle, info, file, options, gpuLayers, loadMs);
        }
        finally
        {
            stateHandle.Free();
        }
    }

    private sealed class LoadState(IProgress<LoadProgress>? progress, CancellationToken ct)
    {
        public bool Report(float fraction)
        {
            progress?.Report(new LoadProgress(fraction));
            return !ct.IsCancellationRequested;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe byte OnLoadProgress(float fraction, void* userData)
    {
        try
        {
            return GCHandle.FromIntPtr((IntPtr)userData).Target is LoadState s && s.Report(fraction) ? (byte)1 : (byte)0;
        }
        catch
        {
            return 0;
        }
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static unsafe byte OnAbortCheck(void* flag) => *(int*)flag != 0 ? (byte)1 : (byte)0;

    /// <summary>Tokens the model reads for <paramref name="request"/>: the formatted prompt with its special tokens.</summary>
    public int CountPromptTokens(ReasonRequest request) =>
        Llama.Tokenize(_vocab, FormatPrompt(request), addSpecial: true, parseSpecial: true).Length;

    /// <summary>Counts tokens of a text with this model's tokenizer (no special tokens added).</summary>
    public int CountTokens(string text) => Llama.Tokenize(_vocab, text, addSpecial: false, parseSpecial: false).Length;

    /// <summary>The exact text the model is given for a request (chat template applied, thinking forced).</summary>
    public string FormatPrompt(ReasonRequest request) => FormatPrompt(_chatTemplate, request);

    /// <summary>
    /// Formats a request with a chat template (a GGUF's tokenizer.chat_template) without loading any weights:
    /// what <c>--show-prompt</c> prints.
    /// </summary>
    public static string FormatPrompt(string? chatTemplate, ReasonRequest request)
    {
        LlamaNativeLibrary.EnsureLoaded();
        // llama.cpp recognises the R1 template as "deepseek3"; a model without a usable template gets the R1 layout.
        var formatted = (chatTemplate is null ? null : Llama.ApplyChatTemplate(chatTemplate, Conversation.Messages(request), addAssistant: true))
            ?? Conversation.R1Layout(request);
        return request.ForceThinking && !formatted.EndsWith(ThinkOpen, StringComparison.Ordinal) ? formatted + ThinkOpen : formatted;
    }

    /// <summary>Answers a request, returning the complete result.</summary>
    public async Task<ReasonResult> RunAsync(ReasonRequest request, CancellationToken cancellationToken = default)
    {
        ReasonResult? result = null;
        await foreach (var update in StreamAsync(request, cancellationToken).ConfigureAwait(false))
            if (update.Kind == ReasonUpdateKind.Completed) result = update.Result;
        return result ?? throw new InvalidOperationException("The generation ended without a result.");
    }

    /// <summary>
    /// Streams a generation. Cancelling stops it within one token (or during prompt decoding); the stream then
    /// ends with a result whose finishReason is "cancelled", and the context is freed.
    /// </summary>
    public async IAsyncEnumerable<ReasonUpdate> StreamAsync(ReasonRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (string.IsNullOrWhiteSpace(request.Prompt)) throw PromptComposer.EmptyPrompt();
        if (Options.Parallel > 1)
        {
            await foreach (var update in StreamBatchedAsync(request, cancellationToken).ConfigureAwait(false))
                yield return update;
            yield break;
        }
        await _oneAtATime.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        // One slot: the generator waits for the reader, so it is never more than a token ahead of what was seen
        // and a slow consumer never makes tokens pile up in memory.
        var channel = Channel.CreateBounded<ReasonUpdate>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var worker = Task.Factory.StartNew(() =>
        {
            try
            {
                Generate(request, channel.Writer, stop.Token);
                channel.Writer.Complete();
            }
            catch (Exception e)
            {
                channel.Writer.Complete(e);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            // Read to the end whatever the token says: the last item is the (possibly cancelled) result.
            await foreach (var update in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                yield return update;
            await worker.ConfigureAwait(false);
        }
        finally
        {
            if (!worker.IsCompleted)
            {
                // The consumer stopped reading early: cancel, and drain so the generator can finish and free its context.
                stop.Cancel();
                try
                {
                    await foreach (var _ in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false)) { }
                }
                catch (Exception)
                {
                    // The generator's failure has nobody left to report to.
                }
                await worker.ConfigureAwait(false);
            }
            _oneAtATime.Release();
        }
    }

    private static void Publish(ChannelWriter<ReasonUpdate> output, ReasonUpdate update) =>
        output.WriteAsync(update, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    private unsafe void Generate(ReasonRequest request, ChannelWriter<ReasonUpdate> output, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var prompt = FormatPrompt(request);
        PromptTokenBudget.EnsureCanFit(_vocab, prompt, Options.ContextSize);
        var promptTokens = Llama.Tokenize(_vocab, prompt, addSpecial: true, parseSpecial: true);
        var contextSize = Options.ContextSize;
        if (promptTokens.Length >= contextSize)
            throw new PromptTooLongException(promptTokens.Length, contextSize);
        var maxTokens = Math.Min(request.MaxTokens ?? int.MaxValue, contextSize - promptTokens.Length);
        if (maxTokens <= 0) throw new ArgumentOutOfRangeException(nameof(request), $"MaxTokens must be positive (got {request.MaxTokens}).");
        var seed = request.Seed ?? (uint)Random.Shared.Next();

        var ctx = AcquireContext();
        if (_peakSequences == 0) Volatile.Write(ref _peakSequences, 1);
        using var share = Options.Leases.Acquire(Options.Threads);
        ApplyThreads(ctx, share.Threads);
        var sequence = new SequenceGeneration(prompt, maxTokens, request.DetectLoops);
        var flag = _abortFlag;
        var registration = ct.Register(() => Volatile.Write(ref *flag, 1));
        var failed = true;
        try
        {
            var reused = ReusePrefix(ctx, promptTokens);
            Llama.PerfReset(ctx);
            using var sampler = SamplerChains.Create(_vocab, request, seed);
            using var batch = new LlamaBatchHandle(Math.Max(1, Math.Min(Options.BatchSize, promptTokens.Length)));
            var promptStarted = Stopwatch.GetTimestamp();
            void PromptProgress(int done, int total)
            {
                if (share.Recount()) ApplyThreads(ctx, share.Threads);
                Publish(output, new ReasonUpdate(ReasonUpdateKind.PromptProgress)
                {
                    Progress = total > 0 ? (double)done / total : 1,
                    Phase = new PhaseProgress(ReasonPhase.ProcessingPrompt, done, total, Stopwatch.GetElapsedTime(promptStarted).TotalMilliseconds),
                });
            }
            if (!PromptDecoder.Decode(ctx, batch, promptTokens, reused, PromptProgress, ct))
                sequence.Cancel();
            using var speculation = sequence.Finish is null ? BeginSpeculation(ctx, request, seed, promptTokens) : null;

            var text = new TokenTextDecoder(_vocab);
            Span<int> one = stackalloc int[1];
            var position = promptTokens.Length;
            var phases = new GenerationPhases(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            while (sequence.Finish is null)
            {
                if (ct.IsCancellationRequested) { sequence.Cancel(); break; }
                if (share.Recount()) ApplyThreads(ctx, share.Threads);
                var speculating = speculation is { HandedBack: false };
                var token = speculating ? speculation!.Next() : Llama.Sample(sampler, ctx);
                if (token < 0) { sequence.Cancel(); break; }
                var end = Llama.IsEndOfGeneration(_vocab, token);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                foreach (var segment in sequence.Accept(token, end, end ? "" : text.Decode(token), elapsed))
                    Publish(output, new ReasonUpdate(ReasonUpdateKind.Token)
                    {
                        IsThinking = segment.Part == ReasoningPart.Thinking,
                        Text = segment.Text,
                        Phase = phases.Of(segment.Part, sequence, elapsed),
                    });
                if (sequence.Finish is not null) break;
                // Speculation decodes on its own until it switches itself off and hands the rest to plain decoding.
                if (speculating && !speculation!.HandedBack) continue;
                if (speculating) position = speculation!.PendingPosition;
                one[0] = token;
                if (Llama.Decode(ctx, batch.Fill(one, position++, logitsForLast: true)) == DecodeStatus.Aborted) sequence.Cancel();
                // After speculation only the prompt is known to be in the cache for the next request.
                else if (speculation is null) _cachedTokens.Add(token);
            }
            foreach (var segment in sequence.Flush())
                Publish(output, new ReasonUpdate(ReasonUpdateKind.Token) { IsThinking = segment.Part == ReasoningPart.Thinking, Text = segment.Text });

            var perf = Llama.Perf(ctx);
            var measures = new GenerationMeasures
            {
                LoadMs = LoadMs,
                PromptTokens = promptTokens.Length,
                ReusedPromptTokens = reused,
                PromptEvaluated = perf.NPromptEval,
                PromptMs = perf.TPromptEvalMs,
                // llama.cpp counts a verification batch as prompt work: speculation times the generation itself.
                Evaluated = speculation is null ? perf.NEval : sequence.Generated,
                EvaluationMs = speculation?.ElapsedMs ?? perf.TEvalMs,
                TotalMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
            };
            var settings = new GenerationSettings(request.Temperature, request.TopP, seed, contextSize, share.Choice.Threads, GpuLayerChoice.Layers, maxTokens) { ThreadChoice = share.Choice };
            Publish(output, new ReasonUpdate(ReasonUpdateKind.Completed) { Result = WithDraftCounts(GenerationResult.Build(Model, request, sequence, measures, settings), speculation) });
            failed = false;
        }
        finally
        {
            // The registration goes first: it writes to the flag that ReleaseContext frees.
            registration.Dispose();
            // A cancelled or failed generation frees its context; a finished one keeps it for the next request.
            if (failed || sequence.Finish == FinishReason.Cancelled || ct.IsCancellationRequested) ReleaseContext();
            else *_abortFlag = 0;
        }
    }

    /// <summary>
    /// Keeps the KV cells of the longest prefix the prompt shares with what the cache holds (an earlier turn of the
    /// conversation), removes the rest, and returns how many prompt tokens need no decoding. At least the last prompt
    /// token is decoded again, for its logits. From here on the cache is assumed to hold the prompt.
    /// </summary>
    private int ReusePrefix(LlamaContextHandle ctx, int[] promptTokens)
    {
        var reused = Math.Min(Conversation.CommonPrefix(CollectionsMarshal.AsSpan(_cachedTokens), promptTokens), promptTokens.Length - 1);
        if (reused <= 0 || !Llama.TryRemoveFrom(ctx, 0, reused))
        {
            Llama.ClearMemory(ctx);
            reused = 0;
        }
        _cachedTokens.Clear();
        _cachedTokens.AddRange(promptTokens);
        return reused;
    }

    /// <summary>Sets the threads of the context (and of the draft's) for the decodes that follow.</summary>
    private void ApplyThreads(LlamaContextHandle ctx, int threads)
    {
        Llama.SetThreads(ctx, threads, threads);
        _draft?.SetThreads(threads);
    }

    private unsafe LlamaContextHandle AcquireContext()
    {
        if (_context is { IsClosed: false }) return _context;
        var parameters = Llama.ContextDefaultParams();
        parameters.NCtx = (uint)Options.TotalContextSize;
        parameters.NBatch = (uint)Math.Max(Options.BatchSize, Options.Parallel);
        parameters.NUbatch = (uint)Math.Min(Options.MicroBatchSize, Options.BatchSize);
        parameters.NSeqMax = (uint)Options.Parallel;
        // One pool of cells for every sequence: a sequence may use as many of them as the context size allows.
        parameters.KvUnified = Options.Parallel > 1;
        parameters.NThreads = Options.EffectiveThreads;
        parameters.NThreadsBatch = Options.EffectiveThreads;
        parameters.NoPerf = false;
        _context = Llama.CreateContext(_model, parameters);
        Interlocked.Increment(ref _liveContexts);
        _abortFlag = (int*)NativeMemory.AllocZeroed(sizeof(int));
        Llama.SetAbortCallback(_context, &OnAbortCheck, _abortFlag);
        return _context;
    }

    private unsafe void ReleaseContext()
    {
        if (_context is null) return;
        _cachedTokens.Clear();
        _context.Dispose();
        _context = null;
        Interlocked.Decrement(ref _liveContexts);
        NativeMemory.Free(_abortFlag);
        _abortFlag = null;
    }

    public void Dispose()
    {
        if (_disposed) return;
        StopBatches();
        _oneAtATime.Wait();
        try
        {
            _disposed = true;
            DisposeDraft();
            ReleaseContext();
            _model.Dispose();
            MachineProbe.MemoryChanged();
        }
        finally
        {
            _oneAtATime.Release();
        }
    }
}

/// <summary>The prompt does not fit in the context.</summary>
/// <remarks>With <c>countedPart</c>, counting stopped early: the prompt is at least <c>promptTokens</c> tokens.</remarks>
public sealed class PromptTooLongException : ReasonFailure
{
    public PromptTooLongException(int promptTokens, int contextSize, bool countedPart = false)
        : base(FailureKind.BadInput, w => $"The prompt is {(countedPart ? "at least " : "")}{promptTokens} tokens but the context holds {contextSize}. Use a larger context ({w.Setting(SettingNames.ContextSize)}) or a shorter prompt.")
    {
        PromptTokens = promptTokens;
        ContextSize = contextSize;
        Setting = SettingNames.ContextSize;
        NextSteps = [new NextStep(NextStepKind.ChangeSetting) { Setting = SettingNames.ContextSize }, new NextStep(NextStepKind.ShortenInput), new NextStep(NextStepKind.UseLogAnalysis)];
    }

    public int PromptTokens { get; }
    public int ContextSize { get; }
}
