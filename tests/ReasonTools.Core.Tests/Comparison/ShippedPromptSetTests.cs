using System.Globalization;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Reasoning;
using ReasonTools.Core.Reasoning.Grading;

namespace ReasonTools.Core.Tests.Comparison;

/// <summary>The prompt sets shipped in prompts/: they load, grade their own answers right and wrong ones wrong,
/// and their expected answers are what a computation or an exhaustive search gives.</summary>
public class ShippedPromptSetTests
{
    public static TheoryData<string> SetFiles => new() { "math.json", "code.json", "logic.json", "zh.json" };

    /// <summary>Answers a model could give to regex-graded prompts: (right, wrong).</summary>
    private static readonly Dictionary<string, (string Right, string Wrong)> RegexSamples = new()
    {
        ["python-sorted-set"] = ("\\text{imps}", "\\text{spim}"),
    };

    private static string PromptsFolder()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "prompts");
            if (File.Exists(Path.Combine(dir.FullName, "ReasonTools.sln")) && Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("prompts/ not found above " + AppContext.BaseDirectory);
    }

    private static PromptSet Load(string file) => PromptSet.Load(Path.Combine(PromptsFolder(), file));

    private static PromptSetItem Item(string file, string id) => Load(file).Prompts.Single(p => p.Id == id);

    /// <summary>The final answer a model writing <c>\boxed{value}</c> at the end of its reply would yield.</summary>
    private static string? AsModelWouldBox(string value) =>
        FinalAnswerExtractor.Extract($"**Final Answer**\n\\[\n\\boxed{{{value}}}\n\\]", "");

    private static string WrongAnswerFor(PromptSetItem item) => item.Grader switch
    {
        GraderKind.Number => item.Expected + " + 1",
        GraderKind.Choice => ((char)(item.Expected!.Trim('(', ')')[0] == 'E' ? 'A' : item.Expected.Trim('(', ')')[0] + 1)).ToString(),
        GraderKind.Regex => RegexSamples[item.Id].Wrong,
        _ => SwapFirstTwoParts(item.Expected!),
    };

    private static string SwapFirstTwoParts(string text)
    {
        var parts = text.Split([',', '，']);
        if (parts.Length < 2) return text + "s";
        (parts[0], parts[1]) = (parts[1], parts[0]);
        return string.Join(",", parts);
    }

    [Theory]
    [MemberData(nameof(SetFiles))]
    public void Set_loads_with_graded_prompts_and_the_step_by_step_advice(string file)
    {
        var set = Load(file);
        Assert.Equal(Path.GetFileNameWithoutExtension(file), set.Name);
        Assert.True(set.Prompts.Count(p => p.IsGraded) >= 4);
        foreach (var prompt in set.Prompts.Where(p => p.IsGraded))
            Assert.EndsWith("Please reason step by step, and put your final answer within \\boxed{}.", prompt.Prompt);
    }

    [Theory]
    [MemberData(nameof(SetFiles))]
    public void Every_expected_answer_boxed_by_a_model_grades_correct_and_a_wrong_one_wrong(string file)
    {
        foreach (var item in Load(file).Prompts.Where(p => p.IsGraded))
        {
            var right = item.Grader == GraderKind.Regex ? RegexSamples[item.Id].Right : item.Expected!;
            var graded = item.Grade(AsModelWouldBox(right))!;
            Assert.True(graded.Correct, $"{file} {item.Id}: {graded.Reason}");

            var wrong = item.Grade(AsModelWouldBox(WrongAnswerFor(item)))!;
            Assert.False(wrong.Correct, $"{file} {item.Id}: a wrong answer passed ({wrong.Reason})");

            var none = item.Grade(null, ReasonTools.Core.Inference.FinishReason.Length, reasoningComplete: false)!;
            Assert.False(none.Correct);
        }
    }

    // ---- the expected answers are right -------------------------------------------------------------

    private static void AssertExpected(string file, string id, string computed)
    {
        var result = Item(file, id).Grade(computed)!;
        Assert.True(result.Correct, $"{file} {id}: computed {computed}: {result.Reason}");
    }

    private static string N(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static (int Chickens, int Rabbits) SolveHeadsAndLegs(int heads, int legs)
    {
        var solutions = Enumerable.Range(0, heads + 1).Where(c => 2 * c + 4 * (heads - c) == legs).ToList();
        Assert.Single(solutions);
        return (solutions[0], heads - solutions[0]);
    }

    [Fact]
    public void Math_answers_are_right()
    {
        var (c, r) = SolveHeadsAndLegs(25, 76);
        AssertExpected("math.json", "chickens-rabbits", $"{c} chickens, {r} rabbits");

        var leg = 16.0;
        var hypotenuse = Math.Sqrt(2 * leg * leg);
        var surface = 2 * (leg * leg / 2) + (leg + leg + hypotenuse) * hypotenuse;
        AssertExpected("math.json", "prism-surface", N(surface));

        static double F(double x) => x * x * x - 6 * x * x + 9 * x + 1;
        // f'(x) = 3x^2 - 12x + 9: roots from the quadratic formula, f''(x) = 6x - 12 decides max or min.
        var disc = Math.Sqrt(144 - 4 * 3 * 9);
        double[] roots = [(12 - disc) / 6, (12 + disc) / 6];
        var max = roots.Single(x => 6 * x - 12 < 0);
        var min = roots.Single(x => 6 * x - 12 > 0);
        AssertExpected("math.json", "cubic-extrema", $"({N(max)}, {N(F(max))}), ({N(min)}, {N(F(min))})");

        // Rhombus with B at the origin, A on the x-axis, angle ABC = 120 degrees.
        var (ax, ay) = (1.0, 0.0);
        var (cx, cy) = (Math.Cos(2 * Math.PI / 3), Math.Sin(2 * Math.PI / 3));
        var (dx, dy) = (ax + cx, ay + cy);
        Assert.Equal(1.0, Math.Sqrt((dx - cx) * (dx - cx) + (dy - cy) * (dy - cy)), 12); // CD = 1: a rhombus
        var (ex, ey) = ((ax + cx) / 2, (ay + cy) / 2);
        Assert.Equal(ex, dx / 2, 12); // diagonals share their midpoint
        var ae = Math.Sqrt((ex - ax) * (ex - ax) + (ey - ay) * (ey - ay));
        var ec = Math.Sqrt((cx - ex) * (cx - ex) + (cy - ey) * (cy - ey));
        AssertExpected("math.json", "rhombus-diagonals", N(ae * ec));

        AssertExpected("math.json", "divisor-sum", Enumerable.Range(1, 360).Where(d => 360 % d == 0).Sum().ToString(CultureInfo.InvariantCulture));
        AssertExpected("math.json", "multiples-of-7-not-11", Enumerable.Range(1, 999).Count(n => n % 7 == 0 && n % 11 != 0).ToString(CultureInfo.InvariantCulture));

        var throws = from a in Enumerable.Range(1, 6) from b in Enumerable.Range(1, 6) select a + b;
        AssertExpected("math.json", "dice-7-or-11", $"{throws.Count(s => s is 7 or 11)}/36");
        AssertExpected("math.json", "price-change", N(Math.Round((1.2 * 0.8 - 1) * 100, 10)) + "%");
        AssertExpected("math.json", "exponential-equation", Enumerable.Range(-10, 30).Single(x => Math.Pow(2, x + 1) == 32).ToString(CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Code_answers_are_right()
    {
        int[] x = [1, 2, 3, 4, 5];
        AssertExpected("code.json", "python-odd-squares", x.Where(v => v % 2 == 1).Sum(v => v * v).ToString(CultureInfo.InvariantCulture));

        static int F(int n) => n <= 1 ? 1 : F(n - 1) + F(n - 2);
        AssertExpected("code.json", "python-recursion", F(10).ToString(CultureInfo.InvariantCulture));
        AssertExpected("code.json", "c-integer-division", $"{7 / 2} {7 % 2}");

        var reversed = new string("reasoning".Reverse().ToArray());
        AssertExpected("code.json", "python-string-slice", reversed[..4]);
        AssertExpected("code.json", "python-sorted-set", new string("mississippi".Distinct().Order().ToArray()));

        // The doubling loop runs about n log2 n times: check the count grows like n log n, not n or n^2.
        static long Count(int n)
        {
            long total = 0;
            for (var i = 0; i < n; i++)
                for (var j = 1; j < n; j *= 2) total++;
            return total;
        }
        Assert.Equal(1024L * 10, Count(1024));
        Assert.Equal("D", Item("code.json", "doubling-loop-complexity").Expected);
    }

    [Fact]
    public void Knights_and_knaves_has_exactly_one_solution_and_it_is_the_expected_one()
    {
        var solutions = new List<string>();
        for (var mask = 0; mask < 8; mask++)
        {
            bool a = (mask & 1) != 0, b = (mask & 2) != 0, c = (mask & 4) != 0; // true: knight
            // A knight's statement is true, a knave's false.
            var consistent = a == !b && b == (a && c) && c == (!a || b);
            if (consistent) solutions.Add($"A {Kind(a)}, B {Kind(b)}, C {Kind(c)}");
        }
        Assert.Single(solutions);
        AssertExpected("logic.json", "knights-knaves", solutions[0]);

        static string Kind(bool knight) => knight ? "knight" : "knave";
    }

    [Fact]
    public void Seating_puzzle_has_exactly_one_solution_and_it_is_the_expected_one()
    {
        string[] names = ["Ann", "Ben", "Cal", "Dee", "Eve"];
        var solutions = new List<string>();
        foreach (var order in Permutations(names))
        {
            int Seat(string name) => Array.IndexOf(order, name) + 1;
            if (Seat("Ben") + 1 != Seat("Cal")) continue;
            if (Seat("Dee") is 1 or 5) continue;
            if (Seat("Eve") <= Seat("Ann")) continue;
            if (Seat("Ann") == 1) continue;
            if (Seat("Cal") % 2 != 0) continue;
            if (Math.Abs(Seat("Dee") - Seat("Cal")) == 1) continue;
            solutions.Add(string.Join(", ", order));
        }
        Assert.Single(solutions);
        AssertExpected("logic.json", "seating-row", solutions[0]);
    }

    private static IEnumerable<string[]> Permutations(string[] items)
    {
        if (items.Length <= 1)
        {
            yield return items;
            yield break;
        }
        for (var i = 0; i < items.Length; i++)
        {
            var rest = items.Where((_, k) => k != i).ToArray();
            foreach (var tail in Permutations(rest))
                yield return [items[i], .. tail];
        }
    }

    [Fact]
    public void Other_logic_answers_are_right()
    {
        // Ball costs b, bat b + 1: search cents.
        var ball = Enumerable.Range(0, 111).Single(cents => cents + (cents + 100) == 110);
        AssertExpected("logic.json", "bat-and-ball", N(ball / 100.0));
        var ones = Enumerable.Range(1, 100).Sum(n => n.ToString(CultureInfo.InvariantCulture).Count(ch => ch == '1'));
        AssertExpected("logic.json", "digit-ones", ones.ToString(CultureInfo.InvariantCulture));
        Assert.False(Item("logic.json", "explain-no-grade").IsGraded);
    }

    [Fact]
    public void Chinese_answers_are_right()
    {
        var (c, r) = SolveHeadsAndLegs(35, 94);
        AssertExpected("zh.json", "ji-tu-tong-long", $"鸡{c}只，兔{r}只");
        var (c2, r2) = SolveHeadsAndLegs(30, 84);
        AssertExpected("zh.json", "ji-tu-numbers", $"{c2}, {r2}");
        AssertExpected("zh.json", "average-speed", N(360.0 / (180.0 / 60 + 180.0 / 90)));
        AssertExpected("zh.json", "arithmetic-sequence", (2 + 19 * 3).ToString(CultureInfo.InvariantCulture));

        // 甲: "乙在说谎", 乙: "丙在说谎", 丙: "甲和乙都在说谎"; a statement is true exactly when its speaker tells the truth.
        var truthful = new List<string>();
        for (var mask = 0; mask < 8; mask++)
        {
            bool jia = (mask & 1) != 0, yi = (mask & 2) != 0, bing = (mask & 4) != 0;
            if (jia == !yi && yi == !bing && bing == (!jia && !yi))
                truthful.Add((jia ? "甲" : "") + (yi ? "乙" : "") + (bing ? "丙" : ""));
        }
        Assert.Equal(["乙"], truthful);
        Assert.Equal("B", Item("zh.json", "who-tells-truth").Expected); // (B) 只有乙
    }
}
