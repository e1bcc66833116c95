using ReasonTools.Core.Comparison;
using ReasonTools.Core.Gguf;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Logs;
using ReasonTools.Core.Models;
using ReasonTools.Core.Native;
using ReasonTools.Core.Remote;

namespace ReasonTools.Cli;

/// <summary>Turns exceptions from the core into one clear line on stderr and the documented exit code.</summary>
internal static class CliErrors
{
    public static int Report(Exception e, TextWriter stderr)
    {
        var (code, message) = Classify(e);
        stderr.WriteLine($"reason: {ReasonTools.Reports.TerminalText.Clean(message)}");
        return code;
    }

    internal static (int Code, string Message) Classify(Exception e) => e switch
    {
        OperationCanceledException => (ExitCodes.Cancelled, "cancelled."),
        FileNotFoundException f => (ExitCodes.ModelUnavailable, f.Message),
        ModelDoesNotFitException m => (ExitCodes.ModelUnavailable, m.Message),
        UnknownModelException u => (ExitCodes.ModelUnavailable, u.Message),
        GgufFormatException g => (ExitCodes.BadInput, $"not a valid GGUF model: {g.Message}"),
        InvalidModelException i => (ExitCodes.BadInput, i.Message),
        ModelLoadException { IsResourceFailure: false } m => (ExitCodes.BadInput, m.Message),
        PromptTooLongException p => (ExitCodes.BadInput, p.Message),
        PromptSetException s => (ExitCodes.BadInput, $"invalid prompt set: {s.Message}"),
        LogBudgetException l => (ExitCodes.BadInput, l.Message),
        LogInputException l => (ExitCodes.BadInput, l.Message),
        ArgumentException a => (ExitCodes.BadInput, a.Message),
        RemoteModelException { Kind: RemoteErrorKind.InvalidReference or RemoteErrorKind.MissingKey } r => (ExitCodes.BadInput, r.Message),
        RemoteModelException { Kind: RemoteErrorKind.ModelNotFound or RemoteErrorKind.Unreachable or RemoteErrorKind.KeyRejected } r => (ExitCodes.ModelUnavailable, r.Message),
        RemoteModelException r => (ExitCodes.RuntimeFailure, r.Message),
        LlamaNativeLibraryException n => (ExitCodes.RuntimeFailure, n.Message),
        LlamaException l => (ExitCodes.RuntimeFailure, l.Message),
        ModelDownloadException d => (ExitCodes.ModelUnavailable, d.Message),
        IOException io => (ExitCodes.BadInput, io.Message),
        UnauthorizedAccessException u => (ExitCodes.BadInput, u.Message),
        _ => (ExitCodes.RuntimeFailure, $"{e.GetType().Name}: {e.Message}"),
    };
}
