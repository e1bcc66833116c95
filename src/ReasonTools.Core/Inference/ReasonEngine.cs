using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading.Channels;
using ReasonTools.Core.Gguf;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;
using ReasonTools.Core.Native;
using ReasonTools.Core.Reasoning;

namespace ReasonTools.Core.Inference;

/// <summary>
/// A model loaded once through llama.cpp that answers many requests, one at a time, streaming the
/// reasoning chain and the answer apart.
/// </summary>
public sealed class ReasonEngine : IReasonModel
{
    private const string ThinkOpen = "<think>\n";
    private static int liveContexts;

    private readonly LlamaModelHandle model;
    private readonly IntPtr vocab;
    private readonly string? chatTemplate;
    private readonly SemaphoreSlim oneAtATime = new(1, 1);
    private LlamaContextHandle? context;
    private unsafe int* abortFlag;
    private bool disposed;

    private ReasonEngine(LlamaModelHandle model, ModelInfo info, GgufFile file, EngineOptions options, GpuLayerChoice gpuLayers, double loadMs)
    {
        GpuLayerChoice = gpuLayers;
        this.model = model;
        vocab = Llama.Vocab(model);
        chatTemplate = Llama.ChatTemplate(model);
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
    public long WeightBytes => Llama.WeightBytes(model);

    /// <summary>Contexts alive in this process (each engine holds at most one between requests).</summary>
    internal static int LiveContexts => Volatile.Read(ref liveContexts);

    /// <summary>
    /// Validates the file with our own GGUF reader (llama.cpp never sees a file it rejects), then loads it.
    /// Cancelling stops the load at llama.cpp's next progress report.
    /// </summary>
    public static Task<ReasonEngine> LoadAsync(string path, EngineOptions? options = null, IProgress<LoadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new EngineOptions();
        if (options.ContextSize < 16) throw new ArgumentOutOfRangeException(nameof(options), $"Context size {options.ContextSize} is too small; use at least 16 tokens.");
        var full = Path.GetFullPath(path);
        if (!System.IO.File.Exists(full)) throw new ModelFileNotFoundException(full, $"Model file not found: {full}");
        var file = GgufReader.Read(full);
        // llama.cpp's own devices decide which GPUs count, so its libraries load before the fit is judged.
        LlamaNativeLibrary.EnsureLoaded();
        var gpuLayers = ChooseGpuLayers(file, full, options);
        options = options with { GpuLayers = gpuLayers.Layers };
        cancellationToken.ThrowIfCancellationRequested();
        return Task.Factory.StartNew(() => Load(full, file, options, gpuLayers, progress, cancellationToken),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// Resolves <see cref="EngineOptions.GpuLayers"/> (auto from the fit estimate) and, with
    /// <see cref="EngineOptions.CheckFit"/>, throws <see cref="ModelDoesNotFitException"/> when the estimate says this
    /// machine cannot hold the model. The machine is probed once, and only when either needs it.
    /// </summary>
    private static GpuLayerChoice ChooseGpuLayers(GgufFile file, string path, EngineOptions options)
    {
        var spec = GgufModelSpec.From(file, file.Name ?? Path.GetFileNameWithoutExtension(path));
        var fit = new FitOptions { ContextSize = options.ContextSize, UBatchSize = options.MicroBatchSize };
        if (!options.CheckFit && options.GpuLayers == 0) return GpuLayerChooser.Choose(0, spec, MachineProfile.CpuOnly(0, null), fit);
        var machine = HardwareProbe.CollectDetailedAsync(new HardwareProbeOptions { MeasureBandwidth = false, BackendDevices = new GgmlBackendDevices() })
            .GetAwaiter().GetResult().Profile;
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
        Llama.Tokenize(vocab, FormatPrompt(request), addSpecial: true, parseSpecial: true).Length;

    /// <summary>Counts tokens of a text with this model's tokenizer (no special tokens added).</summary>
    public int CountTokens(string text) => Llama.Tokenize(vocab, text, addSpecial: false, parseSpecial: false).Length;

    /// <summary>The exact text the model is given for a request (chat template applied, thinking forced).</summary>
    public string FormatPrompt(ReasonRequest request) => FormatPrompt(chatTemplate, request);

    /// <summary>
    /// Formats a request with a chat template (a GGUF's tokenizer.chat_template) without loading any weights:
    /// what <c>--show-prompt</c> prints.
    /// </summary>
    public static string FormatPrompt(string? chatTemplate, ReasonRequest request)
    {
        LlamaNativeLibrary.EnsureLoaded();
        var messages = new List<(string, string)>();
        if (!string.IsNullOrEmpty(request.SystemPrompt)) messages.Add(("system", request.SystemPrompt));
        messages.Add(("user", request.Prompt));
        // llama.cpp recognises the R1 template as "deepseek3"; a model without a usable template gets the R1 layout.
        var formatted = (chatTemplate is null ? null : Llama.ApplyChatTemplate(chatTemplate, messages, addAssistant: true))
            ?? $"{request.SystemPrompt}<｜User｜>{request.Prompt}<｜Assistant｜>";
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
        ObjectDisposedException.ThrowIf(disposed, this);
        if (string.IsNullOrWhiteSpace(request.Prompt)) throw PromptComposer.EmptyPrompt();
        await oneAtATime.WaitAsync(CancellationToken.None).ConfigureAwait(false);
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
            oneAtATime.Release();
        }
    }

    private static void Publish(ChannelWriter<ReasonUpdate> output, ReasonUpdate update) =>
        output.WriteAsync(update, CancellationToken.None).AsTask().GetAwaiter().GetResult();

    private unsafe void Generate(ReasonRequest request, ChannelWriter<ReasonUpdate> output, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var prompt = FormatPrompt(request);
        var promptTokens = Llama.Tokenize(vocab, prompt, addSpecial: true, parseSpecial: true);
        var contextSize = Options.ContextSize;
        if (promptTokens.Length >= contextSize)
            throw new PromptTooLongException(promptTokens.Length, contextSize);
        var maxTokens = Math.Min(request.MaxTokens ?? int.MaxValue, contextSize - promptTokens.Length);
        if (maxTokens <= 0) throw new ArgumentOutOfRangeException(nameof(request), $"MaxTokens must be positive (got {request.MaxTokens}).");
        var seed = request.Seed ?? (uint)Random.Shared.Next();

        var ctx = AcquireContext();
        var finish = FinishReason.Stop;
        var splitter = new ReasoningSplitter(ReasoningSplitter.PromptOpensChain(prompt));
        var loops = request.DetectLoops ? new LoopDetector() : null;
        double? firstTokenMs = null, firstAnswerMs = null;
        var generated = 0;
        var flag = abortFlag;
        var registration = ct.Register(() => Volatile.Write(ref *flag, 1));
        var failed = true;
        try
        {
            Llama.ClearMemory(ctx);
            Llama.PerfReset(ctx);
            using var sampler = CreateSampler(request, seed);
            using var batch = new LlamaBatchHandle(Math.Max(1, Math.Min(Options.BatchSize, promptTokens.Length)));

            // Prompt: decoded in batches; llama.cpp's abort callback stops a long batch when cancelled.
            for (var at = 0; at < promptTokens.Length && finish == FinishReason.Stop; at += batch.Capacity)
            {
                var chunk = promptTokens.AsSpan(at, Math.Min(batch.Capacity, promptTokens.Length - at));
                var last = at + chunk.Length == promptTokens.Length;
                if (ct.IsCancellationRequested || Llama.Decode(ctx, batch.Fill(chunk, at, logitsForLast: last)) == 2)
                {
                    finish = FinishReason.Cancelled;
                    break;
                }
                Publish(output, new ReasonUpdate(ReasonUpdateKind.PromptProgress) { Progress = (double)(at + chunk.Length) / promptTokens.Length });
            }

            var decoder = new UTF8Encoding(false, false).GetDecoder();
            Span<byte> piece = stackalloc byte[256];
            Span<char> chars = stackalloc char[512];
            Span<int> one = stackalloc int[1];
            while (finish == FinishReason.Stop)
            {
                if (ct.IsCancellationRequested) { finish = FinishReason.Cancelled; break; }
                var token = Llama.Sample(sampler, ctx);
                firstTokenMs ??= Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (Llama.IsEndOfGeneration(vocab, token)) break;
                generated++;

                var n = Llama.TokenBytes(vocab, token, piece, special: true);
                var text = n <= 0 ? "" : new string(chars[..decoder.GetChars(piece[..Math.Min(n, piece.Length)], chars, flush: false)]);
                var classification = splitter.Push(text);
                foreach (var segment in classification.Segments)
                {
                    if (segment.Text.Length == 0) continue;
                    var thinking = segment.Part == ReasoningPart.Thinking;
                    if (!thinking && firstAnswerMs is null && !string.IsNullOrWhiteSpace(segment.Text))
                        firstAnswerMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    Publish(output, new ReasonUpdate(ReasonUpdateKind.Token) { IsThinking = thinking, Text = segment.Text });
                }

                if (loops is not null && loops.Push(token) && !splitter.ReasoningClosed) { finish = FinishReason.Loop; break; }
                if (generated >= maxTokens) { finish = FinishReason.Length; break; }

                one[0] = token;
                if (Llama.Decode(ctx, batch.Fill(one, promptTokens.Length + generated - 1, logitsForLast: true)) == 2)
                    finish = FinishReason.Cancelled;
            }

            foreach (var segment in splitter.Flush())
                if (segment.Text.Length > 0)
                    Publish(output, new ReasonUpdate(ReasonUpdateKind.Token) { IsThinking = segment.Part == ReasoningPart.Thinking, Text = segment.Text });

            var perf = Llama.Perf(ctx);
            var totalMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var result = new ReasonResult
            {
                Model = Model,
                Prompt = request.Prompt,
                Thinking = splitter.Thinking,
                Answer = splitter.Answer,
                FinalAnswer = FinalAnswerExtractor.Extract(splitter.Answer, splitter.Thinking),
                Steps = ReasoningSteps.Segment(splitter.Thinking),
                FinishReason = finish,
                ReasoningComplete = splitter.ReasoningClosed,
                Timings = new ReasonTimings
                {
                    LoadMs = LoadMs,
                    PromptTokens = promptTokens.Length,
                    PromptMs = perf.TPromptEvalMs,
                    PromptTokensPerSecond = Rate(perf.NPromptEval, perf.TPromptEvalMs),
                    GeneratedTokens = generated,
                    ThinkingTokens = splitter.ThinkingTokens,
                    AnswerTokens = splitter.AnswerTokens,
                    GenerationMs = perf.TEvalMs,
                    TokensPerSecond = Rate(perf.NEval, perf.TEvalMs) ?? 0,
                    TimeToFirstTokenMs = firstTokenMs,
                    TimeToFirstAnswerTokenMs = firstAnswerMs,
                    TotalMs = totalMs,
                },
                Settings = new GenerationSettings(request.Temperature, request.TopP, seed, contextSize, Options.EffectiveThreads, GpuLayerChoice.Layers, maxTokens),
            };
            Publish(output, new ReasonUpdate(ReasonUpdateKind.Completed) { Result = result });
            failed = false;
        }
        finally
        {
            // The registration goes first: it writes to the flag that ReleaseContext frees.
            registration.Dispose();
            // A cancelled or failed generation frees its context; a finished one keeps it for the next request.
            if (failed || finish == FinishReason.Cancelled || ct.IsCancellationRequested) ReleaseContext();
            else *abortFlag = 0;
        }
    }

    private static double? Rate(int tokens, double ms) => tokens > 0 && ms > 0 ? tokens * 1000.0 / ms : null;

    private LlamaSamplerHandle CreateSampler(ReasonRequest request, uint seed)
    {
        var chainParams = Llama.SamplerChainDefaultParams();
        var chain = Llama.SamplerChain(chainParams);
        try
        {
            if (request.RepeatPenalty != 1f || request.PresencePenalty != 0f)
                Llama.ChainAdd(chain, Llama.Penalties(Llama.VocabSize(vocab), request.PenaltyLastN, request.RepeatPenalty, 0f, request.PresencePenalty));
            if (request.Temperature <= 0f)
            {
                Llama.ChainAdd(chain, Llama.Greedy());
                return chain;
            }
            if (request.TopK > 0) Llama.ChainAdd(chain, Llama.TopK(request.TopK));
            if (request.TopP is > 0f and < 1f) Llama.ChainAdd(chain, Llama.TopP(request.TopP));
            if (request.MinP > 0f) Llama.ChainAdd(chain, Llama.MinP(request.MinP));
            Llama.ChainAdd(chain, Llama.Temperature(request.Temperature));
            Llama.ChainAdd(chain, Llama.Dist(seed));
            return chain;
        }
        catch
        {
            chain.Dispose();
            throw;
        }
    }

    private unsafe LlamaContextHandle AcquireContext()
    {
        if (context is { IsClosed: false }) return context;
        var parameters = Llama.ContextDefaultParams();
        parameters.NCtx = (uint)Options.ContextSize;
        parameters.NBatch = (uint)Options.BatchSize;
        parameters.NUbatch = (uint)Math.Min(Options.MicroBatchSize, Options.BatchSize);
        parameters.NSeqMax = 1;
        parameters.NThreads = Options.EffectiveThreads;
        parameters.NThreadsBatch = Options.EffectiveThreads;
        parameters.NoPerf = false;
        context = Llama.CreateContext(model, parameters);
        Interlocked.Increment(ref liveContexts);
        abortFlag = (int*)NativeMemory.AllocZeroed(sizeof(int));
        Llama.SetAbortCallback(context, &OnAbortCheck, abortFlag);
        return context;
    }

    private unsafe void ReleaseContext()
    {
        if (context is null) return;
        context.Dispose();
        context = null;
        Interlocked.Decrement(ref liveContexts);
        NativeMemory.Free(abortFlag);
        abortFlag = null;
    }

    public void Dispose()
    {
        if (disposed) return;
        oneAtATime.Wait();
        try
        {
            disposed = true;
            ReleaseContext();
            model.Dispose();
        }
        finally
        {
            oneAtATime.Release();
        }
    }
}

/// <summary>The prompt does not fit in the context.</summary>
public sealed class PromptTooLongException : ReasonFailure
{
    public PromptTooLongException(int promptTokens, int contextSize)
        : base(FailureKind.BadInput, w => $"The prompt is {promptTokens} tokens but the context holds {contextSize}. Use a larger context ({w.Setting(SettingNames.ContextSize)}) or a shorter prompt.")
    {
        PromptTokens = promptTokens;
        ContextSize = contextSize;
        Setting = SettingNames.ContextSize;
        NextSteps = [new NextStep(NextStepKind.ChangeSetting) { Setting = SettingNames.ContextSize }, new NextStep(NextStepKind.ShortenInput), new NextStep(NextStepKind.UseLogAnalysis)];
    }

    public int PromptTokens { get; }
    public int ContextSize { get; }
}
