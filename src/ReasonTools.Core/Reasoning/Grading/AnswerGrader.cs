using System.Globalization;
using System.Text.RegularExpressions;
using ReasonTools.Core.Inference;

namespace ReasonTools.Core.Reasoning.Grading;

/// <summary>Grades a model's final answer against a prompt set's expected answer. Pure functions.</summary>
public static partial class AnswerGrader
{
    /// <summary>Default relative tolerance of the number grader.</summary>
    public const double DefaultRelativeTolerance = 1e-6;

    /// <summary>How long a regex grader's pattern may run on one answer.</summary>
    public static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Grades <paramref name="finalAnswer"/>.</summary>
    /// <param name="finalAnswer">What <see cref="FinalAnswerExtractor"/> found; null when the reply committed to nothing.</param>
    /// <param name="expected">The prompt set's expected answer (for <see cref="GraderKind.Regex"/> a pattern).</param>
    /// <param name="kind">How to compare.</param>
    /// <param name="finishReason">Why generation ended, to explain a missing answer (a chain cut by the token limit).</param>
    /// <param name="reasoningComplete">False when <c>&lt;/think&gt;</c> never came.</param>
    /// <param name="relativeTolerance">Number grader: largest accepted |a − b| / max(|a|, |b|).</param>
    /// <exception cref="ArgumentException">The expected answer cannot be read by the grader (see <see cref="ValidateExpected"/>).</exception>
    public static GradeResult Grade(
        string? finalAnswer,
        string expected,
        GraderKind kind,
        FinishReason? finishReason = null,
        bool reasoningComplete = true,
        double relativeTolerance = DefaultRelativeTolerance)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentOutOfRangeException.ThrowIfNegative(relativeTolerance);
        var problem = ValidateExpected(expected, kind);
        if (problem is not null) throw new ArgumentException(problem, nameof(expected));

        if (string.IsNullOrWhiteSpace(finalAnswer))
            return new GradeResult(false, NoAnswerReason(finishReason, reasoningComplete));

        var answer = finalAnswer.Trim();
        return kind switch
        {
            GraderKind.Text => GradeText(answer, expected),
            GraderKind.Number => GradeNumber(answer, expected, relativeTolerance),
            GraderKind.Choice => GradeChoice(answer, expected),
            GraderKind.Regex => GradeRegex(answer, expected),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown grader."),
        };
    }

    /// <summary>Why an expected answer cannot be used with <paramref name="kind"/>; null when it can.</summary>
    public static string? ValidateExpected(string expected, GraderKind kind)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (string.IsNullOrWhiteSpace(expected)) return "the expected answer is empty";
        switch (kind)
        {
            case GraderKind.Text:
                return TextNormalizer.Normalize(expected).Length == 0 ? "the expected answer is empty once normalized" : null;
            case GraderKind.Number:
                return NumericAnswer.TryParse(expected, out _, out var error)
                    ? null
                    : $"the number grader cannot read the expected answer ({error})";
            case GraderKind.Choice:
                return ChoiceLetter(expected, out var letter) && letter is not null
                    ? null
                    : "the choice grader expects one letter A-E, such as \"C\"";
            case GraderKind.Regex:
                try
                {
                    _ = new Regex(expected, RegexOptions.CultureInvariant, RegexTimeout);
                    return null;
                }
                catch (ArgumentException e)
                {
                    return $"the expected answer is not a valid .NET regular expression: {e.Message}";
                }
            case GraderKind.Python or GraderKind.JavaScript or GraderKind.Browser:
                return "a code grader runs tests instead of comparing with an expected answer; give \"tests\" (or \"checks\") instead";
            default:
                return $"unknown grader {kind}";
        }
    }

    private static string NoAnswerReason(FinishReason? finishReason, bool reasoningComplete) => finishReason switch
    {
        FinishReason.Length when !reasoningComplete => "no final answer: the token limit cut the reasoning chain before </think>",
        FinishReason.Length => "no final answer: the token limit cut the answer",
        FinishReason.Loop => "no final answer: the loop detector stopped a repeating chain",
        FinishReason.Cancelled => "no final answer: cancelled",
        _ when !reasoningComplete => "no final answer: the reasoning chain never closed",
        _ => "no final answer",
    };

    private static GradeResult GradeText(string answer, string expected)
    {
        var got = TextNormalizer.Normalize(answer);
        var want = TextNormalizer.Normalize(expected);
        return got == want
            ? new GradeResult(true, $"matches {expected.Trim()}")
            : new GradeResult(false, $"expected {expected.Trim()}; got {answer}");
    }

    private static GradeResult GradeNumber(string answer, string expected, double tolerance)
    {
        NumericAnswer.TryParse(expected, out var want, out _);
        if (!NumericAnswer.TryParse(answer, out var got, out var error))
            return new GradeResult(false, $"expected {Describe(expected, want)}; could not read a number from {answer} ({error})");
        if (got.Count != want.Count)
            return new GradeResult(false,
                $"expected {Count(want.Count)} ({string.Join(", ", want)}); got {Count(got.Count)} ({string.Join(", ", got)}) from {answer}");
        for (var i = 0; i < want.Count; i++)
        {
            if (Matches(got[i], want[i], tolerance)) continue;
            var position = want.Count > 1 ? $" (number {i + 1}: {want[i]} vs {got[i]})" : "";
            return new GradeResult(false, $"expected {Describe(expected, want)}; got {Describe(answer, got)}{position}");
        }
        return new GradeResult(true, $"parsed {Describe(answer, got)}");
    }

    private static string Count(int n) => n == 1 ? "1 number" : $"{n} numbers";

    /// <summary>"768+512√2 ≈ 1492.08" for a closed form, just "42" for a plain number.</summary>
    private static string Describe(string text, List<NumericValue> values)
    {
        var written = text.Trim();
        var rendered = string.Join(", ", values);
        if (written == rendered) return written;
        return values.Count == 1 ? $"{written} ≈ {rendered}" : $"{written} as {rendered}";
    }

    private static bool Matches(NumericValue got, NumericValue want, double tolerance)
    {
        if (got.IsPercent == want.IsPercent) return Close(got.Value, want.Value, tolerance);
        // One side wrote a percent sign: "25%" matches "25" (sign left out) and "0.25".
        var percent = got.IsPercent ? got.Value : want.Value;
        var plain = got.IsPercent ? want.Value : got.Value;
        return Close(percent, plain, tolerance) || Close(percent / 100, plain, tolerance);
    }

    private static bool Close(double a, double b, double tolerance)
    {
        var difference = Math.Abs(a - b);
        return difference <= tolerance * Math.Max(Math.Abs(a), Math.Abs(b)) || difference <= 1e-12;
    }

    private static GradeResult GradeChoice(string answer, string expected)
    {
        ChoiceLetter(expected, out var want);
        if (!ChoiceLetter(answer, out var got))
            return new GradeResult(false, $"expected {want}; the answer names several choices: {answer}");
        if (got is null)
            return new GradeResult(false, $"expected {want}; no choice letter in {answer}");
        return got == want
            ? new GradeResult(true, $"chose {got}")
            : new GradeResult(false, $"expected {want}; got {got}");
    }

    /// <summary>
    /// The letter an answer chooses. False when it names several; true with null when it names none.
    /// Tried in order: the whole answer is a letter; the last "answer is C" / "option C"; several different
    /// "(X)" is ambiguous; a leading "C." "C)" "(C)"; one parenthesised capital letter anywhere.
    /// </summary>
    internal static bool ChoiceLetter(string text, out char? letter)
    {
        letter = null;
        var s = TextNormalizer.Normalize(text, keepCase: true);
        var alone = LoneLetter().Match(s);
        if (alone.Success)
        {
            letter = char.ToUpperInvariant(alone.Groups["letter"].Value[0]);
            return true;
        }
        var stated = StatedChoice().Matches(s);
        if (stated.Count > 0)
        {
            letter = char.ToUpperInvariant(stated[^1].Groups["letter"].Value[0]);
            return true;
        }
        var bracketed = BracketedChoice().Matches(s).Select(m => m.Groups["letter"].Value[0]).Distinct().ToList();
        if (bracketed.Count > 1) return false;
        var leading = LeadingChoice().Match(s);
        if (leading.Success)
        {
            letter = leading.Groups["letter"].Value[0];
            return true;
        }
        if (bracketed.Count == 1) letter = bracketed[0];
        return true;
    }

    private static GradeResult GradeRegex(string answer, string pattern)
    {
        var regex = new Regex(pattern, RegexOptions.CultureInvariant, RegexTimeout);
        try
        {
            if (regex.IsMatch(answer)) return new GradeResult(true, $"{answer} matches /{pattern}/");
            // LaTeX dressing (\text{...}, $...$) should not decide; the case of letters may.
            var plain = TextNormalizer.Normalize(answer, keepCase: true);
            return regex.IsMatch(plain)
                ? new GradeResult(true, $"{plain} matches /{pattern}/")
                : new GradeResult(false, $"{answer} does not match /{pattern}/");
        }
        catch (RegexMatchTimeoutException)
        {
            return new GradeResult(false, string.Create(CultureInfo.InvariantCulture,
                $"the pattern /{pattern}/ ran longer than {RegexTimeout.TotalSeconds} s on the answer; simplify it"));
        }
    }

    // Lower-case letters only in brackets: "the answer is a prime" names no choice.
    [GeneratedRegex(@"(?i:\b(?:answer|option|choice))\s*(?i:is|:)?\s*(?i:option\s*|choice\s*)?(?:\((?<letter>[A-Ea-e])\)|(?<letter>[A-E]))(?!\w)|(?:答案|选)\s*(?:是|为|:)?\s*\(?(?<letter>[A-E])\)?",
        RegexOptions.CultureInvariant)]
    private static partial Regex StatedChoice();

    [GeneratedRegex(@"^\(?(?<letter>[A-E])(?:[.):]|\s*$|\s+[-–])")]
    private static partial Regex LeadingChoice();

    [GeneratedRegex(@"^[(\[{]?\s*(?<letter>[A-Ea-e])\s*[)\]}]?\s*[.:]?$")]
    private static partial Regex LoneLetter();

    [GeneratedRegex(@"\((?<letter>[A-E])\)")]
    private static partial Regex BracketedChoice();
}
