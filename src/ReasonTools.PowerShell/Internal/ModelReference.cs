using ReasonTools.Core.Models;
using ReasonTools.Core.Remote;

namespace ReasonTools.PowerShell.Internal;

/// <summary>What -Model accepts today, and what it completes to.</summary>
internal static class ModelReference
{
    /// <summary>The catalog's size names (DeepSeek-R1-Distill 1.5b … 70b), by parameter count (not as text: 14b after 8b).</summary>
    public static IReadOnlyList<string> CatalogSizes { get; } = ModelCatalog.All.OrderBy(m => m.Parameters).Select(m => m.Size).Distinct().ToList();

    /// <summary>
    /// What the core should open for a -Model value: a remote reference (<c>openai:</c>, <c>ollama:</c> or a named
    /// endpoint) unchanged; a file, relative to PowerShell's current location (which <paramref name="toProviderPath"/>
    /// applies); anything else (a catalog size, a model name, an Ollama tag, a found file's name) resolved among the
    /// models on this machine by <paramref name="resolveLocal"/> (<see cref="ModelResolver.ResolveLocal"/> by default).
    /// Throws the resolver's <see cref="ModelNotDownloadedException"/>, <see cref="AmbiguousModelException"/>,
    /// <see cref="UnknownModelException"/> or <see cref="FileNotFoundException"/>.
    /// </summary>
    public static string ResolvePath(string value, Func<string, string> toProviderPath, Func<string, string>? resolveLocal = null)
    {
        if (RemoteModelReference.TryParse(value, out _)) return value;
        string? path = null;
        try
        {
            path = toProviderPath(value);
        }
        catch (Exception e) when (e is System.Management.Automation.SessionStateException or NotSupportedException or ArgumentException)
        {
            // "deepseek-r1:7b" reads as a drive to PowerShell: it is a model tag, not a path.
        }
        if (path is not null && File.Exists(path)) return path;
        // A path is judged where PowerShell stands, not where the process started.
        var reference = path is not null && IsExplicitPath(value) ? path : value;
        try
        {
            return (resolveLocal ?? (r => ModelResolver.ResolveLocal(r)))(reference);
        }
        catch (ModelFileNotFoundException e) when (path is not null)
        {
            throw new ModelFileNotFoundException(path, $"Model file not found: {path}, and no model found on this machine has that name.", e);
        }
    }

    /// <summary>How messages name a resolved model: a remote model by its label, a file by its file name.</summary>
    public static string DisplayName(string resolved) =>
        RemoteModelReference.TryParse(resolved, out var remote) ? remote!.Label : System.IO.Path.GetFileName(resolved);

    private static bool IsExplicitPath(string value) =>
        value.StartsWith('.') || value.StartsWith('~') || System.IO.Path.IsPathRooted(value);

    /// <summary>
    /// Completions for <paramref name="wordToComplete"/>: .gguf files in the folder the word points into (the current folder
    /// when it has no folder part), then the models found on this machine (<paramref name="found"/>, from
    /// <see cref="ModelLocator"/>) whose name, source name or path starts with the word, each completed to its path, then
    /// catalog sizes that start with the word, smallest model first.
    /// </summary>
    public static IEnumerable<ModelCompletion> Complete(string wordToComplete, string currentDirectory, IReadOnlyList<LocalModel> found)
    {
        var word = wordToComplete.Trim('\'', '"');
        var folderPart = Path.GetDirectoryName(word);
        var folder = string.IsNullOrEmpty(folderPart) ? currentDirectory : Path.Combine(currentDirectory, folderPart);
        var offered = new HashSet<string>(StringComparer.Ordinal);
        if (Directory.Exists(folder))
        {
            var prefix = Path.GetFileName(word);
            var files = Directory.EnumerateFiles(folder, "*.gguf")
                .Select(Path.GetFileName)
                .Where(name => name!.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.OrdinalIgnoreCase);
            foreach (var name in files)
            {
                offered.Add(Path.GetFullPath(Path.Combine(folder, name!)));
                var text = string.IsNullOrEmpty(folderPart) ? name! : Path.Combine(folderPart, name!);
                yield return new ModelCompletion(text, text, ModelCompletionKind.File);
            }
        }
        foreach (var model in found.OrderBy(m => m.Name, StringComparer.OrdinalIgnoreCase))
        {
            if (!offered.Add(model.Path)) continue;
            bool starts(string? text) => text is not null && text.StartsWith(word, StringComparison.OrdinalIgnoreCase);
            if (starts(model.Name) || starts(model.SourceName) || starts(model.Path) || starts(Path.GetFileName(model.Path)))
                yield return new ModelCompletion(model.Path, $"{model.SourceName ?? model.Name} ({model.Source}, {model.Quantization})", ModelCompletionKind.Found);
        }
        foreach (var size in CatalogSizes.Where(s => s.StartsWith(word, StringComparison.OrdinalIgnoreCase)))
            yield return new ModelCompletion(size, $"DeepSeek-R1-Distill {size.ToUpperInvariant()} (catalog size)", ModelCompletionKind.CatalogSize);
    }

    /// <summary>Quotes a completion for the command line when it needs it.</summary>
    public static string Quote(string completion) =>
        completion.IndexOfAny([' ', '\'', '"', '$', '`', '(', ')', '{', '}', ';', ',', '&', '@', '#']) >= 0
            ? "'" + completion.Replace("'", "''", StringComparison.Ordinal) + "'"
            : completion;
}

/// <summary>What a -Model completion is.</summary>
internal enum ModelCompletionKind
{
    /// <summary>A .gguf file of the folder being typed.</summary>
    File,
    /// <summary>A model the locator found on this machine (Ollama, Hugging Face cache, LM Studio, configured folders).</summary>
    Found,
    /// <summary>A catalog size, resolved among the models found.</summary>
    CatalogSize,
}

/// <summary>One -Model completion: the text put on the command line and what the completion list shows beside it.</summary>
internal sealed record ModelCompletion(string Text, string Description, ModelCompletionKind Kind);
