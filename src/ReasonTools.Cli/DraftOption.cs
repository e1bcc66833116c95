using System.CommandLine;
using System.Globalization;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Inference.Speculative;

namespace ReasonTools.Cli;

/// <summary>The <c>--draft</c> option of run, compare and bench, and how a result's draft counts are worded.</summary>
internal static class DraftOption
{
    public static Option<string> Create(string defaultValue) => new("--draft")
    {
        Description = "Speculative decoding: auto (the smallest local model of the same vocabulary, at least 4x smaller, when both fit), " +
                      "none, ngram (prompt lookup, no second model), or a draft model's path or name.",
        DefaultValueFactory = _ => defaultValue,
    };

    public static DraftChoice Parse(string? value) => DraftChoice.Parse(value);

    /// <summary>"draft NAME: A of D proposed tokens accepted (R %)", or null when the run had no draft.</summary>
    public static string? Describe(ReasonTimings t) => t.DraftModel is null ? null : string.Format(CultureInfo.InvariantCulture,
        "draft {0}: {1} of {2} proposed tokens accepted ({3:0.0} %)", t.DraftModel, t.AcceptedDraftTokens ?? 0, t.DraftedTokens ?? 0,
        t.DraftedTokens > 0 ? 100.0 * (t.AcceptedDraftTokens ?? 0) / t.DraftedTokens.Value : 0);
}
