namespace ReasonTools.Core.Native;

/// <summary>A failure in the native llama.cpp layer, with llama.cpp's own message where it gave one.</summary>
public class LlamaException : ReasonFailure
{
    public LlamaException(string message, Exception? inner = null) : this(FailureKind.NativeRuntime, message, inner) { }

    /// <summary>A native failure that is about the input rather than the runtime (a file llama.cpp refuses).</summary>
    protected LlamaException(FailureKind kind, string message, Exception? inner) : base(kind, message, inner) { }
}

/// <summary>The llama.cpp shared libraries could not be found or loaded.</summary>
public sealed class LlamaNativeLibraryException(string message, Exception? inner = null) : LlamaException(message, inner);

/// <summary>
/// llama.cpp refused to load a model file. Most refusals are about the file (a missing tensor, a wrong shape, an
/// unknown tokenizer); <see cref="IsResourceFailure"/> marks the ones about this machine (memory, buffers, devices).
/// </summary>
public sealed class ModelLoadException(string message, Exception? inner = null)
    : LlamaException(IsAboutMachine(message) ? FailureKind.NativeRuntime : FailureKind.BadInput, message, inner)
{
    // llama.cpp's words for failures of the machine rather than the file (llama-model.cpp, llama-model-loader.cpp, ggml-backend).
    private static readonly string[] ResourceWords = ["unable to allocate", "failed to allocate", "out of memory", "no CPU backend"];

    /// <summary>True when llama.cpp's message says the machine, not the file, is at fault.</summary>
    public bool IsResourceFailure => Kind == FailureKind.NativeRuntime;

    private static bool IsAboutMachine(string message) => ResourceWords.Any(w => message.Contains(w, StringComparison.OrdinalIgnoreCase));
}

/// <summary>Decoding a batch failed (context full, invalid batch, native error).</summary>
public sealed class DecodeException(string message, int code, DecodeStatus status) : LlamaException(message)
{
    /// <summary>A failure of llama_decode's <paramref name="code"/>, classified as <see cref="DecodeOutcome"/> does.</summary>
    public DecodeException(string message, int code) : this(message, code, DecodeOutcome.StatusOf(code)) { }

    /// <summary>llama_decode's return code.</summary>
    public int Code { get; } = code;

    /// <summary>What the code means.</summary>
    public DecodeStatus Status { get; } = status;
}
