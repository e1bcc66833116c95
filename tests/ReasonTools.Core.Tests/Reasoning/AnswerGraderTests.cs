using ReasonTools.Core.Inference;
using ReasonTools.Core.Reasoning.Grading;

namespace ReasonTools.Core.Tests.Reasoning;

public class AnswerGraderTests
{
    private static GradeResult Grade(string? answer, string expected, GraderKind kind) => AnswerGrader.Grade(answer, expected, kind);

    // ---- missing answers -----------------------------------------------------------------------------

    [Theory]
    [InlineData(GraderKind.Text)]
    [InlineData(GraderKind.Number)]
    [InlineData(GraderKind.Choice)]
    [InlineData(GraderKind.Regex)]
    public void No_final_answer_is_wrong(GraderKind kind)
    {
        var result = AnswerGrader.Grade(null, kind == GraderKind.Choice ? "C" : "12", kind);
        Assert.False(result.Correct);
        Assert.Equal("no final answer", result.Reason);
        Assert.False(AnswerGrader.Grade("  ", "12", GraderKind.Number).Correct);
    }

    [Fact]
    public void Chain_cut_by_the_token_limit_says_so()
    {
        var result = AnswerGrader.Grade(null, "12", GraderKind.Number, FinishReason.Length, reasoningComplete: false);
        Assert.False(result.Correct);
        Assert.Contains("token limit", result.Reason);
        Assert.Contains("</think>", result.Reason);
        Assert.Contains("loop", AnswerGrader.Grade(null, "1", GraderKind.Number, FinishReason.Loop).Reason);
        Assert.Contains("never closed", AnswerGrader.Grade(null, "1", GraderKind.Number, FinishReason.Stop, reasoningComplete: false).Reason);
    }

    [Fact]
    public void Cut_chain_that_still_boxed_the_right_answer_is_graded_on_the_answer()
    {
        Assert.True(AnswerGrader.Grade("12", "12", GraderKind.Number, FinishReason.Length, reasoningComplete: false).Correct);
    }

    // ---- text --------------------------------------------------------------------------------------------

    [Theory]
    [InlineData("12 chickens, 13 rabbits")]
    [InlineData("12 Chickens, 13 Rabbits.")]
    [InlineData("12\\text{ chickens}, 13\\text{ rabbits}")]
    [InlineData("\\text{12 chickens, 13 rabbits}")]
    [InlineData("$12$ chickens,$13$ rabbits")]
    [InlineData("12\\,\\text{chickens} ,  13\\;\\mathrm{rabbits}")]
    [InlineData("\\(12\\) chickens, \\(13\\) rabbits")]
    [InlineData("**12 chickens, 13 rabbits**")]
    public void Text_ignores_latex_dressing_spacing_case_and_closing_punctuation(string answer)
    {
        var result = Grade(answer, "12 chickens, 13 rabbits", GraderKind.Text);
        Assert.True(result.Correct, result.Reason);
    }

    [Fact]
    public void Text_keeps_order_swapped_numbers_are_wrong()
    {
        var result = Grade("13 chickens, 12 rabbits", "12 chickens, 13 rabbits", GraderKind.Text);
        Assert.False(result.Correct);
        Assert.Equal("expected 12 chickens, 13 rabbits; got 13 chickens, 12 rabbits", result.Reason);
    }

    [Theory]
    [InlineData("12 chickens")]
    [InlineData("12 chickens, 13 rabbits, 1 dog")]
    [InlineData("12 chickens and 13 rabbits")]
    [InlineData("chickens")]
    public void Text_different_content_is_wrong(string answer)
    {
        Assert.False(Grade(answer, "12 chickens, 13 rabbits", GraderKind.Text).Correct);
    }

    [Fact]
    public void Text_reads_superscript_powers_as_latex_powers()
    {
        Assert.True(Grade("O(n²)", "O(n^2)", GraderKind.Text).Correct);
        Assert.False(Grade("O(n2)", "O(n^2)", GraderKind.Text).Correct);
    }

    [Theory]
    [InlineData("鸡23只，兔12只")]
    [InlineData("鸡 23 只, 兔 12 只")]
    [InlineData("\\text{鸡23只，兔12只}。")]
    public void Text_handles_chinese_full_width_punctuation_and_spacing(string answer)
    {
        Assert.True(Grade(answer, "鸡23只，兔12只", GraderKind.Text).Correct);
        Assert.False(Grade("鸡12只，兔23只", "鸡23只，兔12只", GraderKind.Text).Correct);
    }

    // ---- number --------------------------------------------------------------------------------------

    [Theory]
    [InlineData("42", "42")]
    [InlineData("42.0", "42")]
    [InlineData("-7", "-7")]
    [InlineData("−7", "-7")]
    [InlineData("1,234,567", "1234567")]
    [InlineData("1{,}234", "1234")]
    [InlineData("1\\,234", "1234")]
    [InlineData("0.25", "1/4")]
    [InlineData("\\frac{1}{4}", "1/4")]
    [InlineData("\\dfrac{3}{4}", "0.75")]
    [InlineData("\\tfrac34", "3/4")]
    [InlineData("-\\frac{2}{9}", "-2/9")]
    [InlineData("\\sqrt{2}", "1.41421356237")]
    [InlineData("√2", "\\sqrt{2}")]
    [InlineData("768 + 512\\sqrt{2}", "768+512√2")]
    [InlineData("768+512√2", "768 + 512\\sqrt{2}")]
    [InlineData("256(3 + 2\\sqrt{2})", "768 + 512\\sqrt{2}")]
    [InlineData("512\\sqrt2+768", "768 + 512\\sqrt{2}")]
    [InlineData("\\frac{\\sqrt{3}}{2}", "0.8660254037844386")]
    [InlineData("\\sqrt[3]{27}", "3")]
    [InlineData("2\\pi", "6.283185307179586")]
    [InlineData("\\frac{\\pi}{2}", "π/2")]
    [InlineData("2^{10}", "1024")]
    [InlineData("5²", "25")]
    [InlineData("1.5 \\times 10^{3}", "1500")]
    [InlineData("2\\frac{1}{2}", "5/2")]
    [InlineData("-2\\frac{1}{2}", "-2.5")]
    [InlineData("x = 4", "4")]
    [InlineData("\\$0.05", "0.05")]
    [InlineData("72 \\text{ km/h}", "72")]
    [InlineData("768 + 512\\sqrt{2} \\text{ cm}^2", "768 + 512\\sqrt{2}")]
    [InlineData("768 + 512\\sqrt{2} \\approx 1492.08", "768 + 512\\sqrt{2}")]
    [InlineData("AE \\cdot EC = \\frac{3}{4}", "3/4")]
    [InlineData("\\frac{1}{4} = 0.25", "1/4")]
    [InlineData("60^\\circ", "60")]
    [InlineData("1e3", "1000")]
    public void Number_reads_the_forms_models_write(string answer, string expected)
    {
        var result = Grade(answer, expected, GraderKind.Number);
        Assert.True(result.Correct, result.Reason);
    }

    [Theory]
    [InlineData("(1, 5), (3, 1)", "(1, 5), (3, 1)")]
    [InlineData("(1,5),(3,1)", "(1, 5), (3, 1)")]
    [InlineData("\\text{Maximum at } (1, 5), \\text{ minimum at } (3, 1)", "(1, 5), (3, 1)")]
    [InlineData("\\left(1, 5\\right) \\text{ and } \\left(3, 1\\right)", "(1, 5), (3, 1)")]
    [InlineData("x = 1, y = 5", "(1, 5)")]
    [InlineData("f(1) = 5", "5")]
    [InlineData("3 1", "3, 1")]
    [InlineData("[2, -3]", "(2, -3)")]
    [InlineData("\\{1, 2\\}", "1, 2")]
    public void Number_compares_several_numbers_in_order(string answer, string expected)
    {
        var result = Grade(answer, expected, GraderKind.Number);
        Assert.True(result.Correct, result.Reason);
    }

    [Fact]
    public void Number_swapped_coordinates_are_wrong_and_the_reason_names_the_position()
    {
        var result = Grade("(3, 1), (1, 5)", "(1, 5), (3, 1)", GraderKind.Number);
        Assert.False(result.Correct);
        Assert.Contains("number 1: 1 vs 3", result.Reason);
    }

    [Fact]
    public void Number_count_mismatch_is_wrong()
    {
        var result = Grade("(1, 5)", "(1, 5), (3, 1)", GraderKind.Number);
        Assert.False(result.Correct);
        Assert.Contains("expected 4 numbers", result.Reason);
        Assert.Contains("got 2", result.Reason);
    }

    [Fact]
    public void Number_reason_shows_the_parsed_value_of_a_closed_form()
    {
        var result = Grade("768+512√2", "768 + 512\\sqrt{2}", GraderKind.Number);
        Assert.True(result.Correct);
        Assert.Equal("parsed 768+512√2 ≈ 1492.08", result.Reason);
        Assert.Equal("parsed 42", Grade("42", "42", GraderKind.Number).Reason);
    }

    [Theory]
    [InlineData("43", "42")]
    [InlineData("1492.08", "768 + 512\\sqrt{2}")] // rounded: outside the 1e-6 relative tolerance
    [InlineData("768 - 512\\sqrt{2}", "768 + 512\\sqrt{2}")]
    [InlineData("1/4", "3/4")]
    [InlineData("\\frac{4}{3}", "3/4")]
    [InlineData("-5", "5")]
    [InlineData("4%", "-4%")]
    [InlineData("2.5", "2\\frac{1}{3}")]
    [InlineData("1,234", "1.234")]
    public void Number_wrong_values_are_wrong(string answer, string expected)
    {
        Assert.False(Grade(answer, expected, GraderKind.Number).Correct);
    }

    [Theory]
    [InlineData("seven")]
    [InlineData("\\text{no solution}")]
    [InlineData("\\frac{1}{0}")]
    public void Number_unreadable_answer_is_wrong_with_a_reason(string answer)
    {
        var result = Grade(answer, "7", GraderKind.Number);
        Assert.False(result.Correct);
        Assert.Contains("could not read a number", result.Reason);
    }

    [Fact]
    public void Number_tolerance_is_relative_and_adjustable()
    {
        Assert.True(Grade("1000000.5", "1000000", GraderKind.Number).Correct);
        Assert.False(Grade("1000002", "1000000", GraderKind.Number).Correct);
        Assert.True(AnswerGrader.Grade("1492.08", "768 + 512\\sqrt{2}", GraderKind.Number, relativeTolerance: 1e-4).Correct);
        Assert.True(Grade("0", "0", GraderKind.Number).Correct);
        Assert.False(Grade("0.001", "0", GraderKind.Number).Correct);
    }

    [Theory]
    [InlineData("-4\\%", "-4%", true)]
    [InlineData("-4", "-4%", true)]
    [InlineData("-0.04", "-4%", true)]
    [InlineData("25%", "0.25", true)]
    [InlineData("4\\%", "-4%", false)]
    public void Number_percentages(string answer, string expected, bool correct)
    {
        Assert.Equal(correct, Grade(answer, expected, GraderKind.Number).Correct);
    }

    [Fact]
    public void Number_commas_in_a_tuple_are_separators_not_thousands()
    {
        Assert.True(Grade("(1,500)", "1, 500", GraderKind.Number).Correct);
        Assert.True(Grade("1,500", "1500", GraderKind.Number).Correct);
        Assert.True(Grade("1, 500", "1, 500", GraderKind.Number).Correct);
    }

    // ---- choice --------------------------------------------------------------------------------------

    [Theory]
    [InlineData("C")]
    [InlineData("(C)")]
    [InlineData("C.")]
    [InlineData("c")]
    [InlineData("\\text{(C)}")]
    [InlineData("\\textbf{C}")]
    [InlineData("C. O(n log n)")]
    [InlineData("(C) O(n)")]
    [InlineData("The answer is C")]
    [InlineData("the answer is (c)")]
    [InlineData("Option C")]
    [InlineData("answer: C")]
    [InlineData("O(n), which is option (C)")]
    [InlineData("答案是C")]
    [InlineData("The answer is (C), not (A)")]
    public void Choice_finds_the_letter(string answer)
    {
        var result = Grade(answer, "C", GraderKind.Choice);
        Assert.True(result.Correct, result.Reason);
    }

    [Theory]
    [InlineData("B")]
    [InlineData("(B) O(log n)")]
    [InlineData("The answer is B")]
    public void Choice_other_letter_is_wrong(string answer)
    {
        var result = Grade(answer, "C", GraderKind.Choice);
        Assert.False(result.Correct);
        Assert.Equal("expected C; got B", result.Reason);
    }

    [Theory]
    [InlineData("O(n)")]
    [InlineData("the answer is a prime")]
    [InlineData("F")]
    public void Choice_without_a_letter_is_wrong(string answer)
    {
        var result = Grade(answer, "C", GraderKind.Choice);
        Assert.False(result.Correct);
        Assert.Contains("no choice letter", result.Reason);
    }

    [Fact]
    public void Choice_naming_several_letters_is_wrong()
    {
        var result = Grade("(A) or (C)", "C", GraderKind.Choice);
        Assert.False(result.Correct);
        Assert.Contains("several", result.Reason);
    }

    // ---- regex ---------------------------------------------------------------------------------------

    [Theory]
    [InlineData("imps", true)]
    [InlineData("'imps'", true)]
    [InlineData("\\text{imps}", true)]
    [InlineData("spim", false)]
    [InlineData("imps and more", false)]
    public void Regex_matches_the_answer_or_its_plain_text(string answer, bool correct)
    {
        Assert.Equal(correct, Grade(answer, "^\\s*['\"]?imps['\"]?\\s*$", GraderKind.Regex).Correct);
    }

    [Fact]
    public void Regex_that_runs_away_times_out_instead_of_hanging()
    {
        var answer = new string('a', 40) + "!";
        var result = Grade(answer, "^(a+)+$", GraderKind.Regex);
        Assert.False(result.Correct);
        Assert.Contains("ran longer", result.Reason);
    }

    // ---- expected answers ----------------------------------------------------------------------------

    [Theory]
    [InlineData("abc", GraderKind.Number)]
    [InlineData("", GraderKind.Text)]
    [InlineData("F", GraderKind.Choice)]
    [InlineData("C or D", GraderKind.Choice)]
    [InlineData("([", GraderKind.Regex)]
    public void Unusable_expected_answers_are_reported(string expected, GraderKind kind)
    {
        Assert.NotNull(AnswerGrader.ValidateExpected(expected, kind));
        Assert.Throws<ArgumentException>(() => AnswerGrader.Grade("1", expected, kind));
    }

    [Theory]
    [InlineData("768 + 512\\sqrt{2}", GraderKind.Number)]
    [InlineData("(C)", GraderKind.Choice)]
    [InlineData("^a+$", GraderKind.Regex)]
    [InlineData("x", GraderKind.Text)]
    public void Usable_expected_answers_pass_validation(string expected, GraderKind kind)
    {
        Assert.Null(AnswerGrader.ValidateExpected(expected, kind));
    }
}

public class AnswerGraderHostileInputTests
{
    [Theory]
    [InlineData(1000, "(", ")")]
    [InlineData(500, "\\sqrt{", "}")]
    public void Deeply_nested_answers_are_refused_not_crashed(int depth, string open, string close)
    {
        var answer = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(close, depth));
        var result = AnswerGrader.Grade(answer, "1", GraderKind.Number);
        Assert.False(result.Correct);
        Assert.Contains("nest deeper", result.Reason);
    }

    [Fact]
    public void Long_power_and_root_chains_are_refused_not_crashed()
    {
        var powers = string.Join("^", Enumerable.Repeat("1", 1500));
        Assert.Contains("chains more than", AnswerGrader.Grade(powers, "1", GraderKind.Number).Reason);
        var roots = new string('√', 1500) + "1";
        Assert.Contains("chains more than", AnswerGrader.Grade(roots, "1", GraderKind.Number).Reason);
    }

    [Fact]
    public void Many_signs_are_read_iteratively()
    {
        Assert.True(AnswerGrader.Grade(new string('-', 3000) + "5", "5", GraderKind.Number).Correct);
        Assert.True(AnswerGrader.Grade(new string('-', 3001) + "5", "-5", GraderKind.Number).Correct);
    }

    [Fact]
    public void Page_long_answer_is_not_read_as_a_number()
    {
        var result = AnswerGrader.Grade(string.Join(" + ", Enumerable.Repeat("1", 3000)), "3000", GraderKind.Number);
        Assert.False(result.Correct);
        Assert.Contains("longer than", result.Reason);
    }

    [Fact]
    public void Overflowing_value_is_not_a_number()
    {
        var result = AnswerGrader.Grade("10^{1000}", "1", GraderKind.Number);
        Assert.False(result.Correct);
        Assert.Contains("not a finite number", result.Reason);
    }
}
