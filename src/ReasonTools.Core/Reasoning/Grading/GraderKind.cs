using System.Text.Json.Serialization;

namespace ReasonTools.Core.Reasoning.Grading;

/// <summary>How an expected answer is compared with a model's final answer (prompt set field <c>grader</c>).</summary>
[JsonConverter(typeof(CamelCaseEnumConverter<GraderKind>))]
public enum GraderKind
{
    /// <summary>Normalised text, order preserved: LaTeX wrappers, spacing, case and closing punctuation do not count.</summary>
    Text,
    /// <summary>Numbers and simple closed forms (fractions, surds, π, percentages), element-wise in order, relative tolerance.</summary>
    Number,
    /// <summary>A multiple-choice letter A–E.</summary>
    Choice,
    /// <summary>The expected value is a .NET regular expression that must match somewhere in the final answer (anchor it with ^…$ for all of it).</summary>
    Regex,
    /// <summary>The answer's Python code is run in a sandbox against the prompt's tests.</summary>
    Python,
    /// <summary>The answer's JavaScript is run by Node.js in a sandbox against the prompt's tests.</summary>
    JavaScript,
    /// <summary>The answer's HTML page is opened in headless Chromium in a sandbox and the prompt's checks are done.</summary>
    Browser,
}

/// <summary>Outcome of grading one final answer.</summary>
/// <param name="Correct">Whether the answer counts as right.</param>
/// <param name="Reason">Why, in words a reader of a comparison table understands ("no final answer", "expected 12; got 13").</param>
public sealed record GradeResult(bool Correct, string Reason);
