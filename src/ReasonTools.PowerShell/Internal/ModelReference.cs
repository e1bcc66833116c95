using ReasonTools.Core.Models;

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
    /// The model file for a -Model value: a path (relative to PowerShell's current location, which
    /// <paramref name="toProviderPath"/> applies). A catalog size, name or Ollama tag that is not also a file gives
    /// a clear error rather than "file not found" (finding catalog models on disk comes with the model locator).
    /// </summary>
    public static string ResolvePath(string value, Func<string, string> toProviderPath)
    {
        if (!value.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) && ModelCatalog.Find(value.Trim()) is not null)
        {
            string? path = null;
            try
            {
                path = toProviderPath(value);
            }
            catch (Exception e) when (e is System.Management.Automation.SessionStateException or NotSupportedException or ArgumentException)
            {
                // "deepseek-r1:7b" reads as a drive to PowerShell: it is a catalog tag, not a path.
            }
            if (path is not null && File.Exists(path)) return path;
            throw new CatalogNameException(value);
        }
        return toProviderPath(value);
    }

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

/// <summary>A catalog size was given where a model file is needed.</summary>
internal sealed class CatalogNameException(string name)
    : ArgumentException($"'{name}' names a catalog model, not a file.")
{
    public string Name { get; } = name;
}
