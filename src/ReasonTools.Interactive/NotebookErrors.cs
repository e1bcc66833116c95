using ReasonTools.Core.Gguf;
using ReasonTools.Core.Native;

namespace ReasonTools.Interactive;

/// <summary>
/// Turns a failure from the core into the one message a cell shows, in the words the <c>reason</c> command prints
/// (without a stack trace: the core's messages already say what happened and what to do).
/// </summary>
internal static class NotebookErrors
{
    public static string Describe(Exception e) => e switch
    {
        OperationCanceledException => "Cancelled.",
        GgufFormatException g => $"Not a valid GGUF model: {g.Message}",
        LlamaNativeLibraryException n => n.Message,
        AggregateException { InnerExceptions.Count: 1 } a => Describe(a.InnerException!),
        // Core failures (model not found or does not fit, bad input, remote endpoints, llama.cpp) carry their own wording.
        ArgumentException or IOException or UnauthorizedAccessException or InvalidOperationException or LlamaException => e.Message,
        _ when e.GetType().Namespace?.StartsWith("ReasonTools.", StringComparison.Ordinal) == true => e.Message,
        _ => $"{e.GetType().Name}: {e.Message}",
    };
}
