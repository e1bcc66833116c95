namespace ReasonTools.Core.Native;

/// <summary>A failure in the native llama.cpp layer, with llama.cpp's own message where it gave one.</summary>
public class LlamaException : ReasonFailure
{
    public LlamaException(string message, Exception? inner = null) : base(FailureKind.NativeRuntime, message, inner) { }
}

/// <summary>The llama.cpp shared libraries could not be found or loaded.</summary>
public sealed class LlamaNativeLibraryException(string message, Exception? inner = null) : LlamaException(message, inner);

/// <summary>llama.cpp refused to load a model file.</summary>
public sealed class ModelLoadException(string message, Exception? inner = null) : LlamaException(message, inner);

/// <summary>Decoding a batch failed (context full, native error).</summary>
public sealed class DecodeException(string message, int code) : LlamaException(message)
{
    /// <summary>llama_decode's return code.</summary>
    public int Code { get; } = code;
}
