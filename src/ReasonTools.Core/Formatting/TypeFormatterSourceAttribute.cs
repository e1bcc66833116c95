// .NET Interactive's Formatter finds formatter sources "by convention": on the type being displayed it
// looks for an attribute whose class is named TypeFormatterSourceAttribute (any assembly), reads its
// public FormatterSourceType and PreferredMimeTypes properties by reflection, creates the source with
// its parameterless constructor and calls CreateTypeFormatters(). Declaring the attribute here keeps
// Core free of any notebook package. It is internal so that it never clashes with the real attribute
// in a notebook that imports Microsoft.DotNet.Interactive.Formatting.
namespace Microsoft.DotNet.Interactive.Formatting;

/// <summary>
/// Names the notebook formatter source for the type it is put on. The source lives in a front
/// (ReasonTools.Interactive) that Core cannot reference, so it is named by assembly-qualified name and
/// resolved when a notebook first displays the type; outside a notebook the property is null and
/// nothing happens.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct, AllowMultiple = true, Inherited = true)]
internal sealed class TypeFormatterSourceAttribute(string formatterSourceTypeName) : Attribute
{
    /// <summary>"Namespace.Type, Assembly" of the formatter source.</summary>
    public string FormatterSourceTypeName { get; } = formatterSourceTypeName;

    /// <summary>The formatter source type, or null when its assembly is not loadable here.</summary>
    public Type? FormatterSourceType => Resolve(FormatterSourceTypeName);

    /// <summary>MIME types the notebook should show for the type; null leaves the notebook's default.</summary>
    public string[]? PreferredMimeTypes { get; set; }

    private static Type? Resolve(string assemblyQualifiedName)
    {
        var comma = assemblyQualifiedName.IndexOf(',');
        if (comma < 0) return Type.GetType(assemblyQualifiedName, throwOnError: false);
        var typeName = assemblyQualifiedName[..comma].Trim();
        var assemblyName = assemblyQualifiedName[(comma + 1)..].Trim();

        // A notebook loads package assemblies from its own folders; look among the loaded ones first.
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (string.Equals(assembly.GetName().Name, assemblyName, StringComparison.Ordinal) &&
                assembly.GetType(typeName, throwOnError: false) is { } loaded)
            {
                return loaded;
            }
        }
        try
        {
            return Type.GetType(assemblyQualifiedName, throwOnError: false);
        }
        catch (Exception e) when (e is FileLoadException or BadImageFormatException)
        {
            return null;
        }
    }
}
