using ReasonTools.Core.Inference.Speculative;

namespace ReasonTools.Core.Tests.Inference;

/// <summary>
/// The draft length and the switch-off decided from measured rounds, on a simulated pair whose costs are those of a
/// CPU: a plain token 100 ms, a drafted token 22 ms (the 1.5B beside the 7B), and each verified token 19 ms on top
/// of the plain token a verification also yields.
/// </summary>
public sealed class DraftLengthControllerTests
{
    private const double PlainMs = 100, DraftMs = 22, VerifyMsPerToken = 19;
    private static readonly SpeculationOptions Defaults = new();

    /// <summary>Runs rounds against a draft that is wrong at every position <paramref name="wrongAt"/> says; returns tokens per ms against plain.</summary>
    /// <param name="extraVerifyMs">Time a round's verification takes beyond its cost (a one-off warm-up, a busy machine), by round.</param>
    /// <param name="draftMs">What a drafted token costs; <paramref name="verifyMsPerToken"/>, what each verified token adds.</param>
    private static double Simulate(DraftLengthController controller, Func<int, bool> wrongAt, int rounds, List<int>? lengths = null,
        Func<int, double>? extraVerifyMs = null, double draftMs = DraftMs, double verifyMsPerToken = VerifyMsPerToken)
    {
        int position = 0, tokens = 0;
        double ms = 0;
        for (var r = 0; r < rounds && controller.Active; r++)
        {
            var k = controller.Length;
            lengths?.Add(k);
            var accepted = 0;
            while (accepted < k && !wrongAt(position + accepted)) accepted++;
            double draft = k * draftMs, verify = PlainMs + k * verifyMsPerToken + (extraVerifyMs?.Invoke(r) ?? 0);
            controller.Record(k, accepted, draft, verify, PlainMs);
            position += accepted + 1;
            tokens += accepted + 1;
            ms += draft + verify;
        }
        return tokens / ms * PlainMs;
    }

    [Fact]
    public void A_draft_that_is_never_right_is_switched_off_after_the_verdict_rounds_at_the_shortest_length()
    {
        var controller = new DraftLengthController(Defaults);
        var lengths = new List<int>();

        Simulate(controller, _ => true, rounds: 100, lengths);

        Assert.False(controller.Active);
        Assert.Equal(DraftLengthController.RoundsBeforeVerdict, lengths.Count);
        // After the first rejection every round drafts one token: the cheapest way to keep testing the draft.
        Assert.All(lengths.Skip(1), k => Assert.Equal(1, k));
    }

    [Theory]
    [InlineData(0.0, 0.0, 0.0)]   // temperature 0, every guess wrong
    [InlineData(0.05, 0.1, 0.1)]  // sampling, a draft whose tokens the target would keep under a tenth of the time
    public void A_draft_whose_guesses_at_the_plain_tokens_had_no_chance_is_switched_off_before_any_round(double a, double b, double c)
    {
        var controller = new DraftLengthController(Defaults);

        foreach (var chance in new[] { a, b, c }) controller.RecordGuess(chance);

        Assert.False(controller.Active);
    }

    [Theory]
    [InlineData(0.0, 0.0, 1.0)]    // one right guess of three at temperature 0: the rounds decide
    [InlineData(0.41, 0.41, 0.41)] // sampling with a draft overruled often, but kept 41 % of the time: worth measuring
    public void Guesses_with_some_chance_of_being_kept_leave_speculation_on_and_count_toward_the_acceptance(double a, double b, double c)
    {
        var controller = new DraftLengthController(Defaults);

        foreach (var chance in new[] { a, b, c }) controller.RecordGuess(chance);

        Assert.True(controller.Active);
        // The prior of one kept and one rejected proposal, and the three guesses.
        Assert.Equal((1 + a + b + c) / 5, controller.Acceptance, precision: 9);
    }

    [Fact]
    public void A_draft_that_always_agrees_drafts_the_longest_rounds_and_stays_on()
    {
        var controller = new DraftLengthController(Defaults);
        var lengths = new List<int>();

        var speedup = Simulate(controller, _ => false, rounds: 30, lengths);

        Assert.True(controller.Active);
        Assert.Equal(Defaults.MaxDraftTokens, lengths[^1]);
        Assert.True(speedup > 2.0, $"{speedup:0.00}x");
    }

    [Fact]
    public void Where_verification_is_dear_a_draft_that_always_agrees_still_reaches_the_longest_rounds()
    {
        var controller = new DraftLengthController(Defaults);
        var lengths = new List<int>();

        // The 7B/1.5B pair on two cores: a drafted token a third of a plain one, each verified token almost half of one.
        // Rounds of 8 then give 1.23x, rounds of 2 only 1.16x; the acceptance estimate, still short of 100 % after the
        // first rounds, favoured short rounds, and short rounds kept it there.
        var speedup = Simulate(controller, _ => false, rounds: 30, lengths, draftMs: 34, verifyMsPerToken: 45);

        Assert.True(controller.Active);
        Assert.Equal(Defaults.MaxDraftTokens, lengths[^1]);
        Assert.True(speedup > 1.19, $"{speedup:0.00}x");
    }

    [Fact]
    public void A_first_verification_with_a_one_off_cost_does_not_switch_off_a_draft_that_always_agrees()
    {
        var controller = new DraftLengthController(Defaults);

        // The first batch of several tokens since the prompt builds its graph: ten plain tokens' time, once.
        var speedup = Simulate(controller, _ => false, rounds: 30, extraVerifyMs: r => r == 0 ? 10 * PlainMs : 0);

        Assert.True(controller.Active);
        Assert.Equal(Defaults.MaxDraftTokens, controller.Length);
        Assert.True(speedup > 1.8, $"{speedup:0.00}x");
    }

    [Fact]
    public void One_slow_round_on_a_busy_machine_does_not_switch_off_a_draft_that_always_agrees()
    {
        var controller = new DraftLengthController(Defaults);

        // Another program takes the CPU for the verdict round: its verification takes eight plain tokens longer.
        Simulate(controller, _ => false, rounds: 30, extraVerifyMs: r => r == DraftLengthController.RoundsBeforeVerdict - 1 ? 8 * PlainMs : 0);

        Assert.True(controller.Active);
        Assert.Equal(Defaults.MaxDraftTokens, controller.Length);
    }

    [Fact]
    public void A_draft_wrong_at_every_third_token_settles_on_short_rounds_that_pay()
    {
        var controller = new DraftLengthController(Defaults);
        var lengths = new List<int>();

        var speedup = Simulate(controller, p => p % 3 == 2, rounds: 60, lengths);

        Assert.True(controller.Active);
        // Two of three proposals are right: rounds of 2 or 3 tokens pay best at these costs, always drafting 8 does not.
        Assert.InRange(lengths.Skip(10).Average(), 1.5, 4.5);
        Assert.True(speedup > 1.3, $"{speedup:0.00}x");
        Assert.True(speedup > Simulate(new DraftLengthController(Defaults with { AdaptDraftLength = false }), p => p % 3 == 2, rounds: 60));
    }

    [Fact]
    public void Verification_as_dear_as_plain_decoding_per_token_switches_a_good_draft_off()
    {
        var controller = new DraftLengthController(Defaults);

        // Verifying k tokens costs k plain tokens (a machine with no spare compute): nothing can be gained.
        for (var r = 0; r < DraftLengthController.RoundsBeforeVerdict; r++)
            controller.Record(controller.Length, controller.Length - 1, controller.Length * DraftMs, (controller.Length + 1) * PlainMs, PlainMs);

        Assert.False(controller.Active);
    }

    [Fact]
    public void Without_a_measured_plain_token_the_length_follows_the_acceptance_and_speculation_stays_on()
    {
        var controller = new DraftLengthController(Defaults);
        var first = controller.Length;

        controller.Record(first, first, 1, 1, plainTokenMs: null);
        Assert.Equal(first + 2, controller.Length);
        for (var r = 0; r < 10; r++) controller.Record(controller.Length, 0, 1, 1, plainTokenMs: null);

        Assert.Equal(1, controller.Length);
        Assert.True(controller.Active);
    }
}
