namespace ReasonTools.Core.Formatting;

/// <summary>Where the notebook formatters of Core's result types live.</summary>
internal static class NotebookFormatterSource
{
    /// <summary>The formatter source in ReasonTools.Interactive, by assembly-qualified name.</summary>
    public const string TypeName = "ReasonTools.Interactive.ReasonToolsFormatterSource, ReasonTools.Interactive";
}
