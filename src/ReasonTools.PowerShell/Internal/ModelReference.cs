using ReasonTools.Core.Models;
using ReasonTools.Core.Remote;

namespace ReasonTools.PowerShell.Internal;

/// <summary>What -Model accepts today, and what it completes to.</summary>
internal static class ModelReference
{
    /// <summary>The catalog's size names (DeepSeek-R1-Distill 1.5B … 70B), as tab completion offers them.</summary>
    public static IReadOnlyList<string> CatalogSizes { get; } = ModelCatalog.All.Select(m => m.Size).Distinct().ToList();

    /// <summary>True when <paramref name="value"/> is a catalog size such as 7b or 1.5B rather than a path.</summary>
    public static bool IsCatalogSize(string value) =>
        CatalogSizes.Contains(value.Trim(), StringComparer.OrdinalIgnoreCase);

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
    /// Completions for <paramref name="wordToComplete"/>: .gguf files in the folder the word points into (the
    /// current folder when it has no folder part), then catalog sizes that start with the word.
    /// </summary>
    public static IEnumerable<string> Complete(string wordToComplete, string currentDirectory)
    {
        var word = wordToComplete.Trim('\'', '"');
        var folderPart = Path.GetDirectoryName(word);
        var folder = string.IsNullOrEmpty(folderPart) ? currentDirectory : Path.Combine(currentDirectory, folderPart);
        IEnumerable<string> files = [];
        if (Directory.Exists(folder))
        {
            var prefix = Path.GetFileName(word);
            files = Directory.EnumerateFiles(folder, "*.gguf")
                .Select(Path.GetFileName)
                .Where(name => name!.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.OrdinalIgnoreCase)
                .Select(name => string.IsNullOrEmpty(folderPart) ? name! : Path.Combine(folderPart, name!));
        }
        var sizes = CatalogSizes.Where(s => s.StartsWith(word, StringComparison.OrdinalIgnoreCase));
        return files.Concat(sizes);
    }

    /// <summary>Quotes a completion for the command line when it needs it.</summary>
    public static string Quote(string completion) =>
        completion.IndexOfAny([' ', '\'', '"', '$', '`', '(', ')', '{', '}', ';', ',', '&', '@', '#']) >= 0
            ? "'" + completion.Replace("'", "''", StringComparison.Ordinal) + "'"
            : completion;
}
