using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace ReasonTools.Core.Native;

/// <summary>
/// llama.cpp's C API (libllama of the pinned build). Externs are private; the internal wrappers check
/// results and turn failures into typed exceptions carrying llama.cpp's own message.
/// </summary>
internal static unsafe partial class Llama
{
    private const string Lib = LlamaNativeLibrary.LlamaName;

    // --- library ---------------------------------------------------------------------------------
    [LibraryImport(Lib)] private static partial void llama_backend_init();
    [LibraryImport(Lib)] private static partial void llama_log_set(delegate* unmanaged[Cdecl]<int, byte*, void*, void> callback, void* userData);
    [LibraryImport(Lib)] private static partial byte* llama_print_system_info();
    [LibraryImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] private static partial bool llama_supports_gpu_offload();
    [LibraryImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] private static partial bool llama_supports_mmap();
    [LibraryImport(Lib)] private static partial long llama_time_us();

    internal static void BackendInit() => llama_backend_init();
    internal static void LogSet(delegate* unmanaged[Cdecl]<int, byte*, void*, void> callback, void* userData) => llama_log_set(callback, userData);
    internal static string SystemInfo() => Utf8(llama_print_system_info());
    internal static bool SupportsGpuOffload() => llama_supports_gpu_offload();
    internal static bool SupportsMmap() => llama_supports_mmap();
    internal static long TimeMicroseconds() => llama_time_us();

    // --- default parameters ----------------------------------------------------------------------
    [LibraryImport(Lib)] private static partial LlamaModelParams llama_model_default_params();
    [LibraryImport(Lib)] private static partial LlamaContextParams llama_context_default_params();
    [LibraryImport(Lib)] private static partial LlamaSamplerChainParams llama_sampler_chain_default_params();
    [LibraryImport(Lib)] private static partial LlamaModelQuantizeParams llama_model_quantize_default_params();

    internal static LlamaModelParams ModelDefaultParams() => llama_model_default_params();
    internal static LlamaContextParams ContextDefaultParams() => llama_context_default_params();
    internal static LlamaSamplerChainParams SamplerChainDefaultParams() => llama_sampler_chain_default_params();
    internal static LlamaModelQuantizeParams QuantizeDefaultParams() => llama_model_quantize_default_params();

    // --- model -----------------------------------------------------------------------------------
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] private static partial IntPtr llama_model_load_from_file(string path, LlamaModelParams parameters);
    [LibraryImport(Lib)] private static partial void llama_model_free(IntPtr model);
    [LibraryImport(Lib)] private static partial IntPtr llama_model_get_vocab(LlamaModelHandle model);
    [LibraryImport(Lib)] private static partial int llama_model_n_ctx_train(LlamaModelHandle model);
    [LibraryImport(Lib)] private static partial int llama_model_n_embd(LlamaModelHandle model);
    [LibraryImport(Lib)] private static partial int llama_model_n_layer(LlamaModelHandle model);
    [LibraryImport(Lib)] private static partial int llama_model_n_head(LlamaModelHandle model);
    [LibraryImport(Lib)] private static partial int llama_model_n_head_kv(LlamaModelHandle model);
    [LibraryImport(Lib)] private static partial ulong llama_model_n_params(LlamaModelHandle model);
    [LibraryImport(Lib)] private static partial ulong llama_model_size(LlamaModelHandle model);
    [LibraryImport(Lib)] private static partial int llama_model_desc(LlamaModelHandle model, byte* buffer, nuint size);
    [LibraryImport(Lib)] private static partial int llama_model_ftype(LlamaModelHandle model);
    [LibraryImport(Lib)] private static partial byte* llama_ftype_name(int ftype);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] private static partial int llama_model_meta_val_str(LlamaModelHandle model, string key, byte* buffer, nuint size);
    [LibraryImport(Lib)] private static partial byte* llama_model_chat_template(LlamaModelHandle model, byte* name);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] private static partial uint llama_model_quantize(string input, string output, LlamaModelQuantizeParams* parameters);

    /// <summary>Loads a model; on failure the exception carries what llama.cpp logged.</summary>
    internal static LlamaModelHandle LoadModel(string path, LlamaModelParams parameters)
    {
        LlamaLog.ClearRecentErrors();
        var raw = llama_model_load_from_file(path, parameters);
        if (raw == IntPtr.Zero)
        {
            var said = LlamaLog.TakeRecentErrors();
            throw new ModelLoadException($"llama.cpp could not load '{path}'" + (said.Length > 0 ? $": {said}" : "."));
        }
        var handle = new LlamaModelHandle();
        Marshal.InitHandle(handle, raw);
        return handle;
    }

    internal static void ModelFree(IntPtr model) => llama_model_free(model);
    internal static IntPtr Vocab(LlamaModelHandle model) => llama_model_get_vocab(model);
    internal static int TrainContextLength(LlamaModelHandle model) => llama_model_n_ctx_train(model);
    internal static int EmbeddingLength(LlamaModelHandle model) => llama_model_n_embd(model);
    internal static int LayerCount(LlamaModelHandle model) => llama_model_n_layer(model);
    internal static int HeadCount(LlamaModelHandle model) => llama_model_n_head(model);
    internal static int HeadCountKv(LlamaModelHandle model) => llama_model_n_head_kv(model);
    internal static long ParameterCount(LlamaModelHandle model) => (long)llama_model_n_params(model);
    internal static long WeightBytes(LlamaModelHandle model) => (long)llama_model_size(model);
    internal static string FileTypeName(LlamaModelHandle model) => Utf8(llama_ftype_name(llama_model_ftype(model)));

    internal static string Description(LlamaModelHandle model)
    {
        var buffer = stackalloc byte[256];
        var n = llama_model_desc(model, buffer, 256);
        return n <= 0 ? "" : Encoding.UTF8.GetString(buffer, Math.Min(n, 255));
    }

    /// <summary>A metadata value as a string, or null when the key is absent.</summary>
    internal static string? MetaValue(LlamaModelHandle model, string key)
    {
        var size = 256;
        while (true)
        {
            var buffer = new byte[size];
            fixed (byte* p = buffer)
            {
                var n = llama_model_meta_val_str(model, key, p, (nuint)size);
                if (n < 0) return null;
                if (n < size) return Encoding.UTF8.GetString(buffer, 0, n);
                size = n + 1;
            }
        }
    }

    /// <summary>The model's default chat template (tokenizer.chat_template), or null.</summary>
    internal static string? ChatTemplate(LlamaModelHandle model)
    {
        var p = llama_model_chat_template(model, null);
        return p == null ? null : Utf8(p);
    }

    /// <summary>Quantizes a GGUF file; throws with llama.cpp's message on failure.</summary>
    internal static void Quantize(string input, string output, LlamaModelQuantizeParams parameters)
    {
        LlamaLog.ClearRecentErrors();
        var rc = llama_model_quantize(input, output, &parameters);
        if (rc != 0)
            throw new LlamaException($"llama.cpp could not quantize '{input}' (code {rc}): {LlamaLog.TakeRecentErrors()}");
    }

    // --- context ---------------------------------------------------------------------------------
    [LibraryImport(Lib)] private static partial IntPtr llama_init_from_model(LlamaModelHandle model, LlamaContextParams parameters);
    [LibraryImport(Lib)] private static partial void llama_free(IntPtr context);
    [LibraryImport(Lib)] private static partial uint llama_n_ctx(LlamaContextHandle context);
    [LibraryImport(Lib)] private static partial uint llama_n_batch(LlamaContextHandle context);
    [LibraryImport(Lib)] private static partial IntPtr llama_get_memory(LlamaContextHandle context);
    [LibraryImport(Lib)] private static partial void llama_memory_clear(IntPtr memory, [MarshalAs(UnmanagedType.U1)] bool data);
    [LibraryImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] private static partial bool llama_memory_seq_rm(IntPtr memory, int seqId, int p0, int p1);
    [LibraryImport(Lib)] private static partial float* llama_get_logits_ith(LlamaContextHandle context, int index);
    [LibraryImport(Lib)] private static partial void llama_set_abort_callback(LlamaContextHandle context, delegate* unmanaged[Cdecl]<void*, byte> callback, void* data);
    [LibraryImport(Lib)] private static partial void llama_set_n_threads(LlamaContextHandle context, int threads, int threadsBatch);
    [LibraryImport(Lib)] private static partial int llama_decode(LlamaContextHandle context, LlamaBatch batch);
    [LibraryImport(Lib)] private static partial nuint llama_state_get_size(LlamaContextHandle context);
    [LibraryImport(Lib)] private static partial LlamaPerfContextData llama_perf_context(LlamaContextHandle context);
    [LibraryImport(Lib)] private static partial void llama_perf_context_reset(LlamaContextHandle context);

    internal static LlamaContextHandle CreateContext(LlamaModelHandle model, LlamaContextParams parameters)
    {
        LlamaLog.ClearRecentErrors();
        var raw = llama_init_from_model(model, parameters);
        if (raw == IntPtr.Zero)
            throw new LlamaException($"llama.cpp could not create a context of {parameters.NCtx} tokens: {LlamaLog.TakeRecentErrors()}");
        var handle = new LlamaContextHandle();
        Marshal.InitHandle(handle, raw);
        handle.KeepAlive(model);
        return handle;
    }

    internal static void ContextFree(IntPtr context) => llama_free(context);
    internal static int ContextSize(LlamaContextHandle context) => (int)llama_n_ctx(context);
    internal static int BatchSize(LlamaContextHandle context) => (int)llama_n_batch(context);
    internal static void ClearMemory(LlamaContextHandle context) => llama_memory_clear(llama_get_memory(context), true);

    /// <summary>
    /// Drops the KV cache entries of sequence 0 from <paramref name="fromPosition"/> on (speculative decoding's
    /// rollback past a rejected draft token); throws when the memory cannot cut a sequence partially.
    /// </summary>
    internal static void RemoveFrom(LlamaContextHandle context, int fromPosition)
    {
        if (!llama_memory_seq_rm(llama_get_memory(context), 0, fromPosition, -1))
            throw new LlamaException($"llama.cpp could not remove the KV cache from position {fromPosition}: this model's memory cannot be rolled back partially.");
    }

    /// <summary>
    /// The logits of output <paramref name="index"/> of the last decoded batch (-1: the last output), one per
    /// vocabulary entry; valid until the next decode.
    /// </summary>
    internal static ReadOnlySpan<float> Logits(LlamaContextHandle context, int index, int vocabularySize)
    {
        var p = llama_get_logits_ith(context, index);
        if (p == null) throw new LlamaException($"llama.cpp holds no logits for output {index} of the last batch: {LlamaLog.TakeRecentErrors()}");
        return new ReadOnlySpan<float>(p, vocabularySize);
    }

    internal static void SetThreads(LlamaContextHandle context, int threads, int threadsBatch) => llama_set_n_threads(context, threads, threadsBatch);
    internal static long StateBytes(LlamaContextHandle context) => (long)llama_state_get_size(context);

    internal static void SetAbortCallback(LlamaContextHandle context, delegate* unmanaged[Cdecl]<void*, byte> callback, void* data) =>
        llama_set_abort_callback(context, callback, data);

    /// <summary>Runs llama_decode: <see cref="DecodeStatus.Ok"/> or <see cref="DecodeStatus.Aborted"/>; any other status throws (<see cref="DecodeOutcome"/>).</summary>
    internal static DecodeStatus Decode(LlamaContextHandle context, LlamaBatch batch) =>
        DecodeOutcome.Check(llama_decode(context, batch), LlamaLog.TakeRecentErrors);

    internal static LlamaPerfContextData Perf(LlamaContextHandle context) => llama_perf_context(context);
    internal static void PerfReset(LlamaContextHandle context) => llama_perf_context_reset(context);

    // --- batch -----------------------------------------------------------------------------------
    [LibraryImport(Lib)] private static partial LlamaBatch llama_batch_init(int tokens, int embd, int seqMax);
    [LibraryImport(Lib)] private static partial void llama_batch_free(LlamaBatch batch);

    internal static LlamaBatch BatchInit(int capacity) => llama_batch_init(capacity, 0, 1);
    internal static void BatchFree(LlamaBatch batch) => llama_batch_free(batch);

    // --- vocabulary ------------------------------------------------------------------------------
    [LibraryImport(Lib)] private static partial int llama_vocab_n_tokens(IntPtr vocab);
    [LibraryImport(Lib)] private static partial int llama_vocab_bos(IntPtr vocab);
    [LibraryImport(Lib)] private static partial int llama_vocab_eos(IntPtr vocab);
    [LibraryImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] private static partial bool llama_vocab_is_eog(IntPtr vocab, int token);
    [LibraryImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] private static partial bool llama_vocab_is_control(IntPtr vocab, int token);
    [LibraryImport(Lib)] [return: MarshalAs(UnmanagedType.U1)] private static partial bool llama_vocab_get_add_bos(IntPtr vocab);
    [LibraryImport(Lib)] private static partial int llama_tokenize(IntPtr vocab, byte* text, int textLength, int* tokens, int maxTokens,
        [MarshalAs(UnmanagedType.U1)] bool addSpecial, [MarshalAs(UnmanagedType.U1)] bool parseSpecial);
    [LibraryImport(Lib)] private static partial int llama_token_to_piece(IntPtr vocab, int token, byte* buffer, int length, int lstrip,
        [MarshalAs(UnmanagedType.U1)] bool special);
    [LibraryImport(Lib)] private static partial int llama_detokenize(IntPtr vocab, int* tokens, int count, byte* text, int maxLength,
        [MarshalAs(UnmanagedType.U1)] bool removeSpecial, [MarshalAs(UnmanagedType.U1)] bool unparseSpecial);

    internal static int VocabSize(IntPtr vocab) => llama_vocab_n_tokens(vocab);
    internal static int Bos(IntPtr vocab) => llama_vocab_bos(vocab);
    internal static int Eos(IntPtr vocab) => llama_vocab_eos(vocab);
    internal static bool IsEndOfGeneration(IntPtr vocab, int token) => llama_vocab_is_eog(vocab, token);
    internal static bool IsControl(IntPtr vocab, int token) => llama_vocab_is_control(vocab, token);
    internal static bool AddsBos(IntPtr vocab) => llama_vocab_get_add_bos(vocab);

    /// <summary>Tokenizes UTF-8 text. <paramref name="parseSpecial"/> lets special-token text become special tokens.</summary>
    internal static int[] Tokenize(IntPtr vocab, string text, bool addSpecial, bool parseSpecial)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var capacity = bytes.Length + 8;
        while (true)
        {
            var tokens = new int[capacity];
            int n;
            fixed (byte* b = bytes)
            fixed (int* t = tokens)
                n = llama_tokenize(vocab, b, bytes.Length, t, capacity, addSpecial, parseSpecial);
            if (n == int.MinValue) throw new LlamaException("The text is too long to tokenize (more than 2^31 tokens).");
            if (n >= 0) return n == capacity ? tokens : tokens[..n];
            capacity = -n;
        }
    }

    /// <summary>
    /// The raw bytes of one token (possibly part of a UTF-8 character) at the start of <paramref name="buffer"/>, which is
    /// replaced by a larger one when the piece does not fit (llama.cpp then says how long it is, as a negative length).
    /// </summary>
    internal static int TokenBytes(IntPtr vocab, int token, ref byte[] buffer, bool special)
    {
        while (true)
        {
            int n;
            fixed (byte* b = buffer)
                n = llama_token_to_piece(vocab, token, b, buffer.Length, 0, special);
            if (n >= 0) return n;
            if (n == int.MinValue || -n <= buffer.Length)
                throw new LlamaException($"llama.cpp could not render token {token} (code {n}): {LlamaLog.TakeRecentErrors()}");
            buffer = new byte[-n];
        }
    }

    internal static string Detokenize(IntPtr vocab, ReadOnlySpan<int> tokens, bool renderSpecial)
    {
        var capacity = tokens.Length * 8 + 16;
        while (true)
        {
            var buffer = new byte[capacity];
            int n;
            fixed (int* t = tokens)
            fixed (byte* b = buffer)
                n = llama_detokenize(vocab, t, tokens.Length, b, capacity, false, renderSpecial);
            if (n >= 0) return Encoding.UTF8.GetString(buffer, 0, n);
            capacity = -n;
        }
    }

    // --- chat template ---------------------------------------------------------------------------
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int llama_chat_apply_template(string? template, LlamaChatMessage* chat, nuint count,
        [MarshalAs(UnmanagedType.U1)] bool addAssistant, byte* buffer, int length);

    /// <summary>Formats messages with one of llama.cpp's built-in templates detected from <paramref name="template"/>; null when unsupported.</summary>
    internal static string? ApplyChatTemplate(string? template, IReadOnlyList<(string Role, string Content)> messages, bool addAssistant)
    {
        var utf8 = new List<IntPtr>();
        try
        {
            var chat = new LlamaChatMessage[messages.Count];
            var total = 0;
            for (var i = 0; i < messages.Count; i++)
            {
                var role = Marshal.StringToCoTaskMemUTF8(messages[i].Role);
                var content = Marshal.StringToCoTaskMemUTF8(messages[i].Content);
                utf8.Add(role);
                utf8.Add(content);
                chat[i] = new LlamaChatMessage { Role = (byte*)role, Content = (byte*)content };
                total += Encoding.UTF8.GetByteCount(messages[i].Content) + Encoding.UTF8.GetByteCount(messages[i].Role);
            }
            var capacity = total * 2 + 256;
            while (true)
            {
                var buffer = new byte[capacity];
                int n;
                fixed (LlamaChatMessage* c = chat)
                fixed (byte* b = buffer)
                    n = llama_chat_apply_template(template, c, (nuint)chat.Length, addAssistant, b, capacity);
                if (n < 0) return null;
                if (n <= capacity) return Encoding.UTF8.GetString(buffer, 0, n);
                capacity = n;
            }
        }
        finally
        {
            foreach (var p in utf8) Marshal.FreeCoTaskMem(p);
        }
    }

    // --- sampling --------------------------------------------------------------------------------
    [LibraryImport(Lib)] private static partial IntPtr llama_sampler_chain_init(LlamaSamplerChainParams parameters);
    [LibraryImport(Lib)] private static partial void llama_sampler_chain_add(LlamaSamplerHandle chain, IntPtr sampler);
    [LibraryImport(Lib)] private static partial IntPtr llama_sampler_init_greedy();
    [LibraryImport(Lib)] private static partial IntPtr llama_sampler_init_dist(uint seed);
    [LibraryImport(Lib)] private static partial IntPtr llama_sampler_init_top_k(int k);
    [LibraryImport(Lib)] private static partial IntPtr llama_sampler_init_top_p(float p, nuint minKeep);
    [LibraryImport(Lib)] private static partial IntPtr llama_sampler_init_min_p(float p, nuint minKeep);
    [LibraryImport(Lib)] private static partial IntPtr llama_sampler_init_temp(float t);
    [LibraryImport(Lib)] private static partial IntPtr llama_sampler_init_penalties(int vocabSize, int lastN, float repeat, float frequency, float presence);
    [LibraryImport(Lib)] private static partial int llama_sampler_sample(LlamaSamplerHandle sampler, LlamaContextHandle context, int index);
    [LibraryImport(Lib)] private static partial void llama_sampler_accept(IntPtr sampler, int token);
    [LibraryImport(Lib)] private static partial void llama_sampler_reset(LlamaSamplerHandle sampler);
    [LibraryImport(Lib)] private static partial void llama_sampler_free(IntPtr sampler);

    internal static LlamaSamplerHandle SamplerChain(LlamaSamplerChainParams parameters)
    {
        var handle = new LlamaSamplerHandle();
        Marshal.InitHandle(handle, Checked(llama_sampler_chain_init(parameters), "sampler chain"));
        return handle;
    }

    /// <summary>Adds a sampler to a chain, which then owns it.</summary>
    internal static void ChainAdd(LlamaSamplerHandle chain, IntPtr sampler) =>
        llama_sampler_chain_add(chain, Checked(sampler, "sampler"));

    internal static IntPtr Greedy() => llama_sampler_init_greedy();
    internal static IntPtr Dist(uint seed) => llama_sampler_init_dist(seed);
    internal static IntPtr TopK(int k) => llama_sampler_init_top_k(k);
    internal static IntPtr TopP(float p) => llama_sampler_init_top_p(p, 1);
    internal static IntPtr MinP(float p) => llama_sampler_init_min_p(p, 1);
    internal static IntPtr Temperature(float t) => llama_sampler_init_temp(t);
    internal static IntPtr Penalties(int vocabSize, int lastN, float repeat, float frequency, float presence) =>
        llama_sampler_init_penalties(vocabSize, lastN, repeat, frequency, presence);

    /// <summary>Samples from the logits of the last output and accepts the token into the chain.</summary>
    internal static int Sample(LlamaSamplerHandle chain, LlamaContextHandle context) =>
        llama_sampler_sample(chain, context, -1);

    /// <summary>Samples from the logits of output <paramref name="index"/> of the last batch (one sequence of a parallel step).</summary>
    internal static int Sample(LlamaSamplerHandle chain, LlamaContextHandle context, int index) =>
        llama_sampler_sample(chain, context, index);

    internal static void SamplerReset(LlamaSamplerHandle chain) => llama_sampler_reset(chain);
    internal static void SamplerFree(IntPtr sampler) => llama_sampler_free(sampler);

    // --- helpers ---------------------------------------------------------------------------------
    private static IntPtr Checked(IntPtr pointer, string what) =>
        pointer != IntPtr.Zero ? pointer : throw new LlamaException($"llama.cpp could not create the {what}: {LlamaLog.TakeRecentErrors()}");

    private static string Utf8(byte* p) => Marshal.PtrToStringUTF8((IntPtr)p) ?? "";
}
