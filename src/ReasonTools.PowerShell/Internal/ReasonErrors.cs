using System.Management.Automation;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Gguf;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Logs;
using ReasonTools.Core.Models;
using ReasonTools.Core.Native;

namespace ReasonTools.PowerShell.Internal;

/// <summary>What PowerShell is told about one failure: a PascalCase error id, a category and what to do next.</summary>
internal sealed record ErrorSpec(string Id, ErrorCategory Category, string Message, string RecommendedAction);

/// <summary>Maps the core's exceptions to ErrorRecords, so every cmdlet reports the same failure the same way.</summary>
internal static partial class ReasonErrors
{
    /// <summary>The id, category and recommended action for an exception from the core (pure).</summary>
    public static ErrorSpec Classify(Exception error) => error switch
    {
        OperationCanceledException => new("OperationCancelled", ErrorCategory.OperationStopped, "The operation was cancelled.",
            "Run the command again."),
        ModelNotDownloadedException d => ModelNotDownloaded(d),
        ReasonTools.Core.Backends.BackendInstallException b => BackendInstallFailed(b),
        NoRunnableModelException n => NoRunnableModel(n.Message),
        ChecksumMismatchException c => new("ChecksumMismatch", ErrorCategory.InvalidResult, c.Message,
            "The damaged file was discarded: run Save-ReasonModel again; if it keeps failing, set $env:HF_ENDPOINT to another mirror."),
        InsufficientDiskSpaceException d => new("InsufficientDiskSpace", ErrorCategory.ResourceUnavailable, PowerShellWords(d.Message),
            "Free some disk space, or save into another folder with -Path and add that folder to $env:REASONTOOLS_MODELS."),
        RemoteFileNotFoundException r => new("ModelFileNotFound", ErrorCategory.ObjectNotFound, r.Message,
            "Check $env:HF_ENDPOINT (the mirror downloads come from), and set $env:HF_TOKEN when the repository is gated."),
        DownloadFolderException f => new("DownloadFolderNotWritable", ErrorCategory.WriteError, f.Message,
            "Save into a folder you can write with -Path, or fix the folder's permissions; nothing was downloaded."),
        ModelDownloadException d => new("DownloadFailed", ErrorCategory.ConnectionError, d.Message,
            "Check the network connection and run Save-ReasonModel again; a partial download resumes where it stopped."),
        FileNotFoundException f => new("ModelNotFound", ErrorCategory.ObjectNotFound, f.Message,
            "Check the path given to -Model; Get-ChildItem -Filter *.gguf lists the model files in a folder."),
        GgufFormatException g => new("InvalidGguf", ErrorCategory.InvalidData, $"The model file is not a valid GGUF model. {g.Message}",
            "The file is damaged or incomplete: download it again, or pass another .gguf file to -Model."),
        InvalidModelException i => new("InvalidModel", ErrorCategory.InvalidData, i.Message,
            "The file's metadata holds a value llama.cpp cannot run: use an unmodified DeepSeek-R1-Distill GGUF, or pass another .gguf file to -Model."),
        PromptTooLongException p => new("PromptTooLong", ErrorCategory.LimitsExceeded, p.Message,
            "Raise -ContextSize, or give less text; for logs use -Task LogAnalysis, which keeps only what matters."),
        LogBudgetException b => new("PromptTooLong", ErrorCategory.LimitsExceeded, b.Message,
            "Raise -ContextSize, or lower -MaxTokens so that more of the context is left for the log."),
        LogInputException l => new("InputFileUnreadable", ErrorCategory.ReadError, l.Message,
            "Check that the log exists, is text (or gzip) and is readable."),
        PromptSetException s => new("InvalidPromptSet", ErrorCategory.InvalidData, s.Message,
            "Fix the prompt set at the line and field the message names; its format is described in about_ReasonTools."),
        LlamaNativeLibraryException n => new("NativeLibraryMissing", ErrorCategory.NotInstalled, n.Message,
            $"Reinstall the module (Install-PSResource ReasonTools -Reinstall; from a checkout, dotnet build) so runtimes/<rid>/native/ beside ReasonTools.Core.dll holds llama.cpp's libraries, or set $env:{LlamaNativeLibrary.PathVariable} to a folder that has them."),
        ModelLoadException m => new("ModelLoadFailed", ErrorCategory.InvalidData, m.Message,
            "Check that the file is a complete model of an architecture llama.cpp supports, and that this machine has the memory for it (Get-ReasonHardware -Model <size>)."),
        LlamaException l => new("NativeRuntimeFailure", ErrorCategory.InvalidOperation, l.Message,
            "Run the command again with a smaller -ContextSize or fewer -GpuLayers; if it keeps failing, report it with the message."),
        AmbiguousModelException a => new("AmbiguousModel", ErrorCategory.InvalidArgument, a.Message,
            "Name one of the models listed: pass its path, or add its quantization (7b-q8_0); Get-ReasonModel lists every model found."),
        ModelDoesNotFitException f => new("ModelDoesNotFit", ErrorCategory.ResourceUnavailable, f.Message,
            "Use what the message suggests, a smaller -ContextSize, or a smaller model; Get-ReasonHardware lists what fits this machine."),
        UnknownModelException u => new("UnknownModel", ErrorCategory.ObjectNotFound, u.Message,
            "Use a .gguf path, a catalog size (1.5B, 7B, 8B, 14B, 32B, 70B), a full model name, or an Ollama tag such as deepseek-r1:7b; Get-ReasonModel lists the models found on this machine."),
        NotSupportedException ns => new("TaskNotAvailable", ErrorCategory.NotImplemented, ns.Message,
            "Use -Task General, or update ReasonTools."),
        ArgumentException a => new("InvalidArgument", ErrorCategory.InvalidArgument, a.Message,
            "Correct the argument the message names and run the command again."),
        UnauthorizedAccessException u => new("PermissionDenied", ErrorCategory.PermissionDenied, u.Message,
            "Check the file's permissions, or use a file you can read."),
        IOException io => new("ReadError", ErrorCategory.ReadError, io.Message,
            "Check that the file exists and is readable."),
        _ => new("UnexpectedFailure", ErrorCategory.NotSpecified, $"{error.GetType().Name}: {error.Message}",
            "Report this failure with the message."),
    };

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

    /// <summary>The command that downloads a catalog model in PowerShell: Save-ReasonModel -Model 7B [-Quantization Q8_0].</summary>
    public static string SaveCommand(string size, string? quantization) =>
        quantization is null || string.Equals(ModelCatalog.NormalizeQuantization(quantization) ?? quantization, ModelDownloader.DefaultQuantization, StringComparison.OrdinalIgnoreCase)
            ? $"Save-ReasonModel -Model {size.ToUpperInvariant()}"
            : $"Save-ReasonModel -Model {size.ToUpperInvariant()} -Quantization {ModelCatalog.NormalizeQuantization(quantization) ?? quantization}";

    /// <summary>
    /// A core message with the CLI's words swapped for the module's: "reason pull 7b --quant Q8_0" becomes
    /// "Save-ReasonModel -Model 7b -Quantization Q8_0", "--model" becomes "-Model" and "--dir" becomes "-Path" (pure).
    /// </summary>
    public static string PowerShellWords(string message) =>
        PullCommand().Replace(message, m => SaveCommand(m.Groups["size"].Value, m.Groups["quant"].Success ? m.Groups["quant"].Value : null))
            .Replace("--model", "-Model", StringComparison.Ordinal)
            .Replace("--dir", "-Path", StringComparison.Ordinal);

    [System.Text.RegularExpressions.GeneratedRegex(@"reason pull (?<size>\S+?)(?: --quant (?<quant>\S+?))?(?=[,.;)]?(?:\s|$))")]
    private static partial System.Text.RegularExpressions.Regex PullCommand();

    private static ErrorSpec ModelNotDownloaded(ModelNotDownloadedException e)
    {
        var save = SaveCommand(e.Model.Size, e.Quantization);
        return new("ModelNotDownloaded", ErrorCategory.ObjectNotFound, PowerShellWords(e.Message),
            $"Download it with: {save}; or pass the path of a .gguf file to -Model.");
    }

    private static ErrorSpec NoRunnableModel(string message)
    {
        var words = PowerShellWords(message);
        var save = PullCommand().Match(message) is { Success: true } m
            ? SaveCommand(m.Groups["size"].Value, m.Groups["quant"].Success ? m.Groups["quant"].Value : null)
            : null;
        return new("ModelNotDownloaded", ErrorCategory.ObjectNotFound, words,
            save is null ? "Pass the path of a smaller .gguf file to -Model." : $"Download one that fits with: {save}; or pass the path of a .gguf file to -Model.");
    }

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
