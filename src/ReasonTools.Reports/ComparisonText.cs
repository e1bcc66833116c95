using ReasonTools.Core.Comparison;

namespace ReasonTools.Reports;

/// <summary>Words about a comparison that every front and view shares.</summary>
public static class ComparisonText
{
    /// <summary>"interrupted after 9 of 18": a comparison stopped before every model × prompt cell ran.</summary>
    public static string Interrupted(ComparisonInterruption interruption) =>
        $"interrupted after {interruption.Finished} of {interruption.Total}";
}
