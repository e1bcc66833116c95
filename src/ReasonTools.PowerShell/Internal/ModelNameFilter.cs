using System.Management.Automation;
using ReasonTools.Core.Hosting;
using ReasonTools.Core.Models;

namespace ReasonTools.PowerShell.Internal;

/// <summary>Which listed models Get-ReasonModel -Name keeps (pure).</summary>
internal static class ModelNameFilter
{
    /// <summary>
    /// True when no pattern is given, or one matches the entry's name, its file name (with or without .gguf) or its
    /// source name (an Ollama tag, a Hugging Face repository).
    /// </summary>
    public static bool Matches(ModelListingEntry entry, IReadOnlyList<WildcardPattern> patterns)
    {
        if (patterns.Count == 0) return true;
        var fileName = Path.GetFileName(entry.Path);
        string?[] names = [entry.Name, fileName, Path.GetFileNameWithoutExtension(fileName), entry.SourceName];
        return patterns.Any(p => names.Any(n => n is not null && p.IsMatch(n)));
    }

    /// <summary>The same rule for a model loaded in the session: its name or its file name.</summary>
    public static bool Matches(ResidentModel model, IReadOnlyList<WildcardPattern> patterns)
    {
        if (patterns.Count == 0) return true;
        var fileName = Path.GetFileName(model.Path);
        string[] names = [model.Name, fileName, Path.GetFileNameWithoutExtension(fileName)];
        return patterns.Any(p => names.Any(p.IsMatch));
    }
}
