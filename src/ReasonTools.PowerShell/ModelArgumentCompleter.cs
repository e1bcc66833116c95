using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Management.Automation.Runspaces;
using ReasonTools.PowerShell.Internal;

namespace ReasonTools.PowerShell;

/// <summary>Tab completion for -Model: the .gguf files of the current folder, then the catalog sizes.</summary>
public sealed class ModelArgumentCompleter : IArgumentCompleter
{
    /// <summary>Completes <paramref name="wordToComplete"/> to model files and catalog sizes.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        foreach (var completion in ModelReference.Complete(wordToComplete ?? "", CurrentFolder()))
        {
            var isSize = ModelReference.IsCatalogSize(completion);
            yield return new CompletionResult(ModelReference.Quote(completion), completion,
                isSize ? CompletionResultType.ParameterValue : CompletionResultType.ProviderItem,
                isSize ? $"DeepSeek-R1-Distill {completion.ToUpperInvariant()} (catalog size)" : completion);
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

/// <summary>Tab completion for a catalog model (Get-ReasonHardware -Model): the catalog sizes only.</summary>
public sealed class CatalogSizeCompleter : IArgumentCompleter
{
    /// <summary>Completes <paramref name="wordToComplete"/> to the catalog sizes it starts.</summary>
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters) =>
        ModelReference.CatalogSizes
            .Where(s => s.StartsWith((wordToComplete ?? "").Trim('\'', '"'), StringComparison.OrdinalIgnoreCase))
            .Select(s => new CompletionResult(s, s, CompletionResultType.ParameterValue, $"DeepSeek-R1-Distill {s.ToUpperInvariant()}"));
}
