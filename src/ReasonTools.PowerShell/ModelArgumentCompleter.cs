using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using ReasonTools.Core.Models;
using ReasonTools.PowerShell.Internal;

namespace ReasonTools.PowerShell;

/// <summary>
/// Tab completion for -Model: the .gguf files of the folder being typed, then the models found on this machine (as
/// Get-ReasonModel lists them: Ollama, the Hugging Face cache, LM Studio, configured folders), then the catalog sizes.
/// </summary>
public sealed class ModelArgumentCompleter : IArgumentCompleter
{
    /// <summary>Completes <paramref name="wordToComplete"/> to model files, found models and catalog sizes.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var found = ModelLocator.Locate().Models;
        foreach (var completion in ModelReference.Complete(wordToComplete ?? "", CurrentFolder(), found))
        {
            var listItem = completion.Kind == ModelCompletionKind.Found ? completion.Description : completion.Text;
            yield return new CompletionResult(ModelReference.Quote(completion.Text), listItem,
                completion.Kind == ModelCompletionKind.CatalogSize ? CompletionResultType.ParameterValue : CompletionResultType.ProviderItem,
                completion.Kind == ModelCompletionKind.Found ? completion.Text : completion.Description);
        }
    }

    // Completion runs on the pipeline thread, where the default runspace knows PowerShell's current location
    // (which is not the process's current directory).
    private static string CurrentFolder()
    {
        try
        {
            return Runspace.DefaultRunspace?.SessionStateProxy.Path.CurrentFileSystemLocation.ProviderPath
                ?? Environment.CurrentDirectory;
        }
        catch (PSInvalidOperationException)
        {
            return Environment.CurrentDirectory;
        }
    }
}

/// <summary>Tab completion for a catalog size (Get-ReasonHardware -Model, Compare-ReasonModel -Size): smallest model first.</summary>
public sealed class CatalogSizeCompleter : IArgumentCompleter
{
    /// <summary>Completes <paramref name="wordToComplete"/> to the catalog sizes it starts, by parameter count.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        ModelReference.CatalogSizes
            .Where(s => s.StartsWith((wordToComplete ?? "").Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            // -Size takes the catalog's own spelling (7B); -Model takes a size as the CLI does (7b).
            .Select(s => parameterName == "Size" ? s.ToUpperInvariant() : s)
            .Select(s => new CompletionResult(s, s, CompletionResultType.ParameterValue, $"DeepSeek-R1-Distill {s}"));
}

/// <summary>Tab completion for -GpuLayers: auto (the default), 0 (CPU only) and -1 (every layer).</summary>
public sealed class GpuLayersCompleter : IArgumentCompleter
{
    private static readonly (string Value, string ToolTip)[] Values =
    [
        (Core.Inference.GpuLayerSetting.AutoWord, "As many layers as fit on the GPU, from the fit estimate (the default)."),
        ("0", "Keep the model on the CPU."),
        ("-1", "Every layer on the GPU."),
    ];

    /// <summary>Completes <paramref name="wordToComplete"/> to the values it starts.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        Values.Where(v => v.Value.StartsWith((wordToComplete ?? "").Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(v => new CompletionResult(v.Value, v.Value, CompletionResultType.ParameterValue, v.ToolTip));
}
