namespace ReasonTools.Core.Inference;

/// <summary>How a model is loaded: fixed for the life of a <see cref="ReasonEngine"/>.</summary>
public sealed record EngineOptions
{
    /// <summary>Context size in tokens (prompt and generated tokens together).</summary>
    public int ContextSize { get; init; } = ReasonDefaults.ContextSize;
    /// <summary>
    /// CPU threads for generation and prompt processing; null shares the logical cores between the generations running
    /// on this machine (<see cref="GenerationLeases"/>): every core when this one runs alone.
    /// </summary>
    public int? Threads { get; init; }
    /// <summary>
    /// Layers offloaded to a GPU; 0 keeps the model on the CPU, -1 offloads every layer, null (the default) lets
    /// <see cref="GpuLayerChooser"/> take the count from the fit estimate. A loaded engine's options hold the count used.
    /// </summary>
    public int? GpuLayers { get; init; }
    /// <summary>Tokens decoded per llama_decode call while processing the prompt.</summary>
    public int BatchSize { get; init; } = 2048;
    /// <summary>Physical batch size (llama.cpp's n_ubatch).</summary>
    public int MicroBatchSize { get; init; } = 512;
    /// <summary>
    /// Sequences generated together, one token of each per llama_decode batch (llama.cpp's n_seq_max, with a unified
    /// KV cache of <see cref="ContextSize"/> tokens per sequence). Requests that arrive while others run join the batch
    /// instead of waiting; 1 (the default) answers one request at a time, with speculative decoding available.
    /// </summary>
    public int Parallel { get; init; } = 1;
    /// <summary>Memory-map the weights (llama.cpp's default) rather than reading them into memory.</summary>
    public bool UseMmap { get; init; } = true;

    /// <summary>
    /// Refuse, before loading, a model that would not fit in this machine's memory (with the numbers and what to do
    /// instead) rather than risk the OOM killer. On by default.
    /// </summary>
    public bool CheckFit { get; init; } = true;

    /// <summary>
    /// The draft for speculative decoding: <c>auto</c> (the default: the smallest local model of the same vocabulary,
    /// at least 4× smaller, when both fit), none, ngram (prompt lookup), or a model's path or name.
    /// </summary>
    public Speculative.DraftChoice Draft { get; init; } = Speculative.DraftChoice.Auto;

    /// <summary>Draft length and when speculation switches itself off.</summary>
    public Speculative.SpeculationOptions Speculation { get; init; } = new();

    /// <summary>
    /// Memory already held by other resident models (set by the model host): the fit guard counts it as taken.
    /// Not part of how the model is loaded, so hosts compare options with it set to 0.
    /// </summary>
    internal long ResidentBytes { get; init; }

    /// <summary>Where generations on this machine count each other to share the cores (tests use their own folder).</summary>
    internal GenerationLeases Leases { get; init; } = GenerationLeases.Machine;

    public int EffectiveThreads => Threads is > 0 ? Threads.Value : Environment.ProcessorCount;

    /// <summary>KV cache cells of the context: <see cref="ContextSize"/> for each of the <see cref="Parallel"/> sequences.</summary>
    public int TotalContextSize => ContextSize * Math.Max(1, Parallel);
}

/// <summary>One question to a loaded model.</summary>
public sealed record ReasonRequest
{
    /// <summary>The user message. Empty prompts are refused when a generation starts.</summary>
    public string Prompt { get; init; } = "";
    /// <summary>Earlier turns of the conversation (prompts and answers only, by the R1 convention); empty for a first question.</summary>
    public IReadOnlyList<ConversationTurn> History { get; init; } = [];
    /// <summary>DeepSeek advises no system prompt for R1; supported for other uses.</summary>
    public string? SystemPrompt { get; init; }
    /// <summary>Most tokens to generate; null means whatever the context leaves after the prompt.</summary>
    public int? MaxTokens { get; init; }
    /// <summary>0 (or less) samples greedily. Default: <see cref="ReasonDefaults.Temperature"/>.</summary>
    public float Temperature { get; init; } = ReasonDefaults.Temperature;
    /// <summary>Nucleus sampling. Default: <see cref="ReasonDefaults.TopP"/>.</summary>
    public float TopP { get; init; } = ReasonDefaults.TopP;
    /// <summary>0 disables top-k. Default: <see cref="ReasonDefaults.TopK"/> (why: see there).</summary>
    public int TopK { get; init; } = ReasonDefaults.TopK;
    /// <summary>0 disables min-p.</summary>
    public float MinP { get; init; }
    /// <summary>1 disables the repetition penalty.</summary>
    public float RepeatPenalty { get; init; } = 1f;
    /// <summary>0 disables the presence penalty.</summary>
    public float PresencePenalty { get; init; }
    /// <summary>Tokens the penalties look back over.</summary>
    public int PenaltyLastN { get; init; } = 64;
    /// <summary>Fixed seed for reproducible sampling; null picks one and reports it in the result.</summary>
    public uint? Seed { get; init; }
    /// <summary>Start the answer with <c>&lt;think&gt;\n</c> as DeepSeek advises (R1 models otherwise sometimes skip thinking).</summary>
    public bool ForceThinking { get; init; } = true;
    /// <summary>Stop a chain that keeps repeating the same span (finishReason "loop").</summary>
    public bool DetectLoops { get; init; } = true;
    /// <summary>Use the engine's draft, when one is attached (false: plain decoding, as a benchmark's reference).</summary>
    public bool Speculate { get; init; } = true;
}

/// <summary>What a streaming run reports, in order: load progress, prompt progress, tokens, then one completion.</summary>
public enum ReasonUpdateKind
{
    LoadProgress,
    /// <summary>A local model is ready (loaded, or found resident); <see cref="ReasonUpdate.Loaded"/> says how it runs.</summary>
    ModelReady,
    /// <summary>A step of a longer run (a part of a long log); <see cref="ReasonUpdate.Text"/> says which.</summary>
    Stage,
    PromptProgress,
    Token,
    Completed,
}

/// <summary>
/// One item of a generation stream. <see cref="ReasonUpdateKind.Token"/> items carry visible text of one part
/// (a token may yield no visible text while a tag is being recognised, or text of both parts);
/// the last item carries the <see cref="ReasonResult"/>.
/// </summary>
public sealed record ReasonUpdate(ReasonUpdateKind Kind)
{
    /// <summary>Whether <see cref="Text"/> belongs to the reasoning chain (true) or the answer (false).</summary>
    public bool IsThinking { get; init; }
    public string Text { get; init; } = "";
    /// <summary>Load or prompt processing progress, 0..1.</summary>
    public double Progress { get; init; }
    /// <summary>
    /// The phase this update belongs to, with its counts (load, prompt and token updates of a local model; null on
    /// stages, the completion and remote models' tokens).
    /// </summary>
    public PhaseProgress? Phase { get; init; }
    /// <summary>For <see cref="ReasonUpdateKind.ModelReady"/>: the model file and the settings it was resolved to.</summary>
    public LoadedModel? Loaded { get; init; }
    public ReasonResult? Result { get; init; }
}

/// <summary>
/// A local model as it runs: its file, the context, the threads, the GPU layers with why that many (the fit estimate's
/// verdict for auto), whether it was already resident, and how long loading took (0 when resident).
/// </summary>
public sealed record LoadedModel(ModelInfo Model, int ContextSize, int Threads, GpuLayerChoice GpuLayers, bool Resident, double LoadMs)
{
    /// <summary>The settings of a leased engine.</summary>
    public static LoadedModel Of(Hosting.ModelLease lease) => new(lease.Model, lease.Engine.Options.ContextSize, lease.Engine.Options.EffectiveThreads,
        lease.Engine.GpuLayerChoice, lease.WasResident, lease.WasResident ? 0 : lease.Engine.LoadMs);
}

/// <summary>What a run is doing, in the order it happens.</summary>
public enum ReasonPhase
{
    /// <summary>Reading the model's weights.</summary>
    Loading,
    /// <summary>Decoding the prompt, in batches of tokens.</summary>
    ProcessingPrompt,
    /// <summary>Generating the reasoning chain.</summary>
    Thinking,
    /// <summary>Generating the answer after the chain.</summary>
    Answering,
}

/// <summary>
/// How far a phase has come: <see cref="Done"/> of <see cref="Total"/> (loading: thousandths of the weights; the prompt:
/// tokens decoded of those to decode; thinking and answering: tokens generated, no total), the time spent in it, and
/// for the prompt its rate so far.
/// </summary>
public sealed record PhaseProgress(ReasonPhase Phase, int Done, int? Total, double ElapsedMs)
{
    /// <summary>Done / Total, 0..1; null without a total.</summary>
    public double? Fraction => Total is > 0 ? Math.Clamp((double)Done / Total.Value, 0, 1) : null;

    /// <summary>Tokens per second so far (prompt, thinking, answering); null while nothing was timed, and for loading.</summary>
    public double? TokensPerSecond => Phase != ReasonPhase.Loading && Done > 0 && ElapsedMs > 0 ? Done * 1000.0 / ElapsedMs : null;
}

/// <summary>Model loading progress, 0..1.</summary>
public readonly record struct LoadProgress(double Fraction);
