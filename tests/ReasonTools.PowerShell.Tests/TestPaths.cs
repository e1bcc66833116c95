using System.Reflection;

namespace ReasonTools.PowerShell.Tests;

/// <summary>Where the repository, the module sources and the assembled module folder are.</summary>
internal static class TestPaths
{
    public static string RepoRoot { get; } = typeof(TestPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(a => a.Key == "RepoRoot").Value!;

    /// <summary>module/: the psd1, format file and about topic as written by hand.</summary>
    public static string ModuleSources => Path.Combine(RepoRoot, "module");

    /// <summary>The module folder the AssembleModule target produced after the PowerShell project was built.</summary>
    public static string AssembledModule => Path.Combine(RepoRoot, "artifacts", "module", "ReasonTools");

    public static string Manifest => Path.Combine(AssembledModule, "ReasonTools.psd1");

    public static string HelpFile => Path.Combine(AssembledModule, "en-US", "ReasonTools.PowerShell.dll-Help.xml");

    public static string XmlDocFile => Path.Combine(AssembledModule, "ReasonTools.PowerShell.xml");

    public static string FormatSchema => Path.Combine(AppContext.BaseDirectory, "Schemas", "Format.xsd");

    /// <summary>The cmdlet types of the module assembly.</summary>
    public static IReadOnlyList<Type> CmdletTypes { get; } = typeof(InvokeReasonCommand).Assembly.GetExportedTypes()
        .Where(t => t.GetCustomAttribute<System.Management.Automation.CmdletAttribute>() is not null)
        .OrderBy(t => t.Name, StringComparer.Ordinal)
        .ToList();
}
