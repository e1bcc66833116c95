using System.Management.Automation;
using ReasonTools.Core;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Gguf;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Logs;
using ReasonTools.Core.Models;
using ReasonTools.Core.Native;
using ReasonTools.Core.Remote;

namespace ReasonTools.PowerShell.Internal;

/// <summary>What PowerShell is told about one failure: a PascalCase error id, a category and what to do next.</summary>
internal sealed record ErrorSpec(string Id, ErrorCategory Category, string Message, string RecommendedAction);

/// <summary>
/// The module's one classification of failures: the core's <see cref="FailureKind"/> (and, within a kind, the failure's
/// type) becomes an ErrorRecord id, category and recommended action, worded with the module's cmdlets and parameters
/// (<see cref="PowerShellWording"/>), so every cmdlet reports the same failure the same way.
/// </summary>
internal static partial class ReasonErrors
{
    /// <summary>The id, category and recommended action for an exception from the core (pure).</summary>
    public static ErrorSpec Classify(Exception error) => error is ReasonTools.Core.Backends.BackendInstallException b
        ? BackendInstallFailed(b)
        : ReasonFailure.KindOf(error) switch
    {
        FailureKind.Cancelled => new("OperationCancelled", ErrorCategory.OperationStopped, "The operation was cancelled.", "Run the command again."),
        FailureKind.BadInput => BadInput(error),
        FailureKind.ModelNotFound => ModelNotFound((ReasonFailure)error),
        FailureKind.DoesNotFit => DoesNotFit((ReasonFailure)error),
        FailureKind.NativeRuntime => NativeRuntime((LlamaException)error),
        FailureKind.Remote => Remote((RemoteModelException)error),
        _ => new("UnexpectedFailure", ErrorCategory.NotSpecified, $"{error.GetType().Name}: {error.Message}", "Report this failure with the message."),
    };

    /// <summary>The failure in the module's words.</summary>
    public static string Describe(Exception error) => error is ReasonFailure f ? f.Describe(PowerShellWording.Instance) : error.Message;

    /// <summary>An ErrorRecord for an exception from the core, with the object it concerns.</summary>
    public static ErrorRecord ToErrorRecord(Exception error, object? target) => Create(Classify(error), error, target);

    /// <summary>An ErrorRecord for a failure the cmdlet itself detects.</summary>
    public static ErrorRecord Create(ErrorSpec spec, Exception? error, object? target)
    {
        var exception = error ?? new InvalidOperationException(spec.Message);
        return new ErrorRecord(exception, spec.Id, spec.Category, target)
        {
            ErrorDetails = new ErrorDetails(spec.Message) { RecommendedAction = spec.RecommendedAction },
        };
    }

    private static ErrorSpec BadInput(Exception error)
    {
        var message = Describe(error);
        return error switch
        {
            GgufFormatException => new("InvalidGguf", ErrorCategory.InvalidData, $"The model file is not a valid GGUF model. {message}",
                "The file is damaged or incomplete: download it again, or pass another .gguf file to -Model."),
            PromptTooLongException => new("PromptTooLong", ErrorCategory.LimitsExceeded, message,
                "Raise -ContextSize, or give less text; for logs use -Task LogAnalysis, which keeps only what matters."),
            LogBudgetException => new("PromptTooLong", ErrorCategory.LimitsExceeded, message,
                "Raise -ContextSize, or lower -MaxTokens so that more of the context is left for the log."),
            LogInputException => new("InputFileUnreadable", ErrorCategory.ReadError, message,
                "Check that the log exists, is text (or gzip) and is readable."),
            InvalidModelException => new("InvalidModel", ErrorCategory.InvalidData, message,
                "The file's metadata holds a value llama.cpp cannot run: use an unmodified DeepSeek-R1-Distill GGUF, or pass another .gguf file to -Model."),
            ModelLoadException => new("ModelLoadFailed", ErrorCategory.InvalidData, message,
                "Check that the file is a complete model of an architecture llama.cpp supports, or pass another .gguf file to -Model."),
            DownloadFolderException => new("DownloadFolderNotWritable", ErrorCategory.WriteError, message,
                "Save into a folder you can write with -Path, or fix the folder's permissions; nothing was downloaded."),
            PromptSetException => new("InvalidPromptSet", ErrorCategory.InvalidData, message,
                "Fix the prompt set at the line and field the message names; its format is described in about_ReasonTools."),
            AmbiguousModelException => new("AmbiguousModel", ErrorCategory.InvalidArgument, message,
                "Name one of the models listed: pass its path, or add its quantization (7b-q8_0); Get-ReasonModel lists every model found."),
            UnauthorizedAccessException => new("PermissionDenied", ErrorCategory.PermissionDenied, message,
                "Check the file's permissions, or use a file you can read."),
            IOException => new("ReadError", ErrorCategory.ReadError, message, "Check that the file exists and is readable."),
            ReasonFailure { Setting: { } setting } => new("InvalidArgument", ErrorCategory.InvalidArgument, message,
                $"Correct {PowerShellWording.Parameter(setting)} and run the command again."),
            _ => new("InvalidArgument", ErrorCategory.InvalidArgument, message, "Correct the argument the message names and run the command again."),
        };
    }

    private static ErrorSpec ModelNotFound(ReasonFailure error)
    {
        var message = Describe(error);
        var download = error.NextSteps.FirstOrDefault(s => s.Kind == NextStepKind.Download) is { Model: { } size } step
            ? PowerShellWording.Instance.Download(size, step.Quantization)
            : null;
        return error switch
        {
            ModelNotDownloadedException => new("ModelNotDownloaded", ErrorCategory.ObjectNotFound, message,
                $"Download it with: {download}; or pass the path of a .gguf file to -Model."),
            NoRunnableModelException => new("ModelNotDownloaded", ErrorCategory.ObjectNotFound, message,
                download is null ? "Pass the path of a smaller .gguf file to -Model." : $"Download one that fits with: {download}; or pass the path of a .gguf file to -Model."),
            UnknownModelException => new("UnknownModel", ErrorCategory.ObjectNotFound, message,
                $"Use a .gguf path, a catalog size ({string.Join(", ", ModelCatalog.All.Select(m => m.Size.ToUpperInvariant()))}), a full model name, or an Ollama tag such as deepseek-r1:7b; Get-ReasonModel lists the models found on this machine."),
            ChecksumMismatchException => new("ChecksumMismatch", ErrorCategory.InvalidResult, message,
                "The damaged file was discarded: run Save-ReasonModel again; if it keeps failing, set $env:HF_ENDPOINT to another mirror."),
            RemoteFileNotFoundException => new("ModelFileNotFound", ErrorCategory.ObjectNotFound, message,
                "Check $env:HF_ENDPOINT (the mirror downloads come from), and set $env:HF_TOKEN when the repository is gated."),
            ModelDownloadException => new("DownloadFailed", ErrorCategory.ConnectionError, message,
                "Check the network connection and run Save-ReasonModel again; a partial download resumes where it stopped."),
            _ => new("ModelNotFound", ErrorCategory.ObjectNotFound, message,
                "Check the path given to -Model; Get-ChildItem -Filter *.gguf lists the model files in a folder."),
        };
    }

    private static ErrorSpec DoesNotFit(ReasonFailure error) => error switch
    {
        InsufficientDiskSpaceException => new("InsufficientDiskSpace", ErrorCategory.ResourceUnavailable, Describe(error),
            "Free some disk space, or save into another folder with -Path and add that folder to $env:REASONTOOLS_MODELS."),
        _ => new("ModelDoesNotFit", ErrorCategory.ResourceUnavailable, Describe(error),
            "Use what the message suggests, a smaller -ContextSize, or a smaller model; Get-ReasonHardware lists what fits this machine."),
    };

    private static ErrorSpec NativeRuntime(LlamaException error) => error switch
    {
        LlamaNativeLibraryException => new("NativeLibraryMissing", ErrorCategory.NotInstalled, error.Message,
            $"Rebuild the module (dotnet build) so runtimes/<rid>/native/ beside ReasonTools.Core.dll holds llama.cpp's libraries, or set $env:{LlamaNativeLibrary.PathVariable} to a folder that has them."),
        ModelLoadException => new("ModelLoadFailed", ErrorCategory.InvalidData, error.Message,
            "Check that the file is a complete model of an architecture llama.cpp supports, and that this machine has the memory for it (Get-ReasonHardware -Model <size>)."),
        _ => new("NativeRuntimeFailure", ErrorCategory.InvalidOperation, error.Message,
            "Run the command again with a smaller -ContextSize or fewer -GpuLayers; if it keeps failing, report it with the message."),
    };

    private static ErrorSpec Remote(RemoteModelException error) => error.Kind switch
    {
        RemoteErrorKind.InvalidReference => new("InvalidRemoteModel", ErrorCategory.InvalidArgument, error.Message,
            "Write the remote model as openai:URL#model or ollama:URL#model, or fix the endpoint the message names in the settings file."),
        RemoteErrorKind.MissingKey or RemoteErrorKind.KeyRejected => new("RemoteKeyRejected", ErrorCategory.PermissionDenied, error.Message,
            "Set the environment variable the message names to a valid API key, then run the command again."),
        RemoteErrorKind.ModelNotFound => new("RemoteModelNotFound", ErrorCategory.ObjectNotFound, error.Message,
            "Check the model name after '#'; for Ollama, pull the model on the server first."),
        RemoteErrorKind.Unreachable or RemoteErrorKind.Timeout => new("RemoteUnreachable", ErrorCategory.ConnectionError, error.Message,
            "Check the endpoint's URL and that the server is running and reachable from here."),
        RemoteErrorKind.RateLimited => new("RemoteRateLimited", ErrorCategory.LimitsExceeded, error.Message,
            "Wait a while and run the command again, or ask the provider for a higher limit."),
        _ => new("RemoteModelFailed", ErrorCategory.InvalidResult, error.Message,
            "Run the command again; if it keeps failing, report it with the message."),
    };

    /// <summary>An input file that could not be read: non-terminating, the other files still go in.</summary>
    public static ErrorSpec InputFileUnreadable(string path, Exception error) => new("InputFileUnreadable", ErrorCategory.ReadError,
        $"Cannot read '{path}': {error.Message}", "Check that the file exists and is readable; the other inputs were still used.");

    /// <summary>An object Export-ReasonReport has no view for.</summary>
    public static ErrorSpec UnsupportedReportObject(object value) => new("UnsupportedReportObject", ErrorCategory.InvalidType,
        $"Export-ReasonReport has no view for objects of type {value.GetType().FullName}.",
        "Pipe the output of Invoke-Reason, Compare-ReasonModel or Get-ReasonHardware.");

    /// <summary>Export-ReasonReport received nothing it can show.</summary>
    public static ErrorSpec NothingToReport() => new("NothingToReport", ErrorCategory.InvalidArgument,
        "No result was given to put in the report.",
        "Pipe results in: Invoke-Reason ... | Export-ReasonReport -Path report.html.");
}
