using ReasonTools.Core.Inference;
using ReasonTools.Core.Inference.Speculative;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Inference;

/// <summary>
/// Speculative decoding through the real llama.cpp on scripted pairs whose agreement is known in advance, and a
/// statistical check that sampling with a draft keeps the target's distribution.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class SpeculativeDecodingTests
{
    // Fixed length and no switching off: these tiny pairs cost the same, so speculation would rightly stop paying.
    private static readonly SpeculationOptions Fixed = new() { MaxDraftTokens = 4, AdaptDraftLength = false, SwitchOffWhenSlower = false };

    private static Task<ReasonEngine> Load(string path, DraftChoice draft, int context = 1024, SpeculationOptions? speculation = null) =>
        ReasonEngine.LoadAsync(path, new EngineOptions { ContextSize = context, Threads = 1, Draft = draft, Speculation = speculation ?? Fixed });

    private static ReasonRequest Greedy(ScriptKind kind) => new() { Prompt = SyntheticModels.Get(kind).Question, Temperature = 0, Seed = 3 };

    [Theory]
    [InlineData(ScriptKind.ClosedChain, 0)]
    [InlineData(ScriptKind.ClosedChain, 3)]
    [InlineData(ScriptKind.ChickensRight, 5)]
    [InlineData(ScriptKind.SplitUtf8, 2)]
    public async Task Greedy_output_with_a_draft_is_the_models_own_token_for_token(ScriptKind kind, int divergeEvery)
    {
        var path = SyntheticModels.GetFile(kind);
        using var plain = await Load(path, DraftChoice.None);
        using var drafted = await Load(path, DraftChoice.Parse(SyntheticModels.GetDraftFile(kind, divergeEvery)));

        var expected = await plain.RunAsync(Greedy(kind));
        var result = await drafted.RunAsync(Greedy(kind));

        Assert.Equal(SyntheticModels.Get(kind).ThinkingText.Trim(), result.Thinking.Trim());
        Assert.Equal(expected.Thinking, result.Thinking);
        Assert.Equal(expected.Answer, result.Answer);
        Assert.Equal(expected.Timings.GeneratedTokens, result.Timings.GeneratedTokens);
        Assert.Null(expected.Timings.DraftModel);
        Assert.StartsWith("ReasonTools Synthetic R1", result.Timings.DraftModel);
        Assert.True(result.Timings.DraftedTokens > 0);
        if (divergeEvery == 0) Assert.Equal(result.Timings.DraftedTokens, result.Timings.AcceptedDraftTokens);
        else
        {
            // Each wrong prediction is rejected at most once, with the end the draft predicts after it; some are met.
            var wrong = SyntheticModels.Get(kind).GeneratedTokenCount / divergeEvery;
            var rejected = result.Timings.DraftedTokens - result.Timings.AcceptedDraftTokens;
            Assert.InRange(rejected!.Value, 1, 2 * wrong);
        }
    }

    [Fact]
    public async Task A_draft_that_always_agrees_accepts_everything_and_one_that_diverges_every_second_token_about_half()
    {
        var path = SyntheticModels.GetFile(ScriptKind.NeverCloses);
        using var agreeing = await Load(path, DraftChoice.Parse(SyntheticModels.GetDraftFile(ScriptKind.NeverCloses, 0)));
        using var diverging = await Load(path, DraftChoice.Parse(SyntheticModels.GetDraftFile(ScriptKind.NeverCloses, 2)));

        var all = (await agreeing.RunAsync(Greedy(ScriptKind.NeverCloses))).Timings;
        var half = (await diverging.RunAsync(Greedy(ScriptKind.NeverCloses))).Timings;

        // 160 tokens: the first from the prompt, then rounds of 4 proposals and one token of the model's own.
        Assert.Equal(SyntheticModels.NeverClosesTokenCount, all.GeneratedTokens);
        Assert.Equal(all.DraftedTokens, all.AcceptedDraftTokens);
        Assert.InRange(all.DraftedTokens!.Value, 4 * 30, 4 * 32);
        // Diverging at every second token, a round proposes the right token, a wrong one and the end (after which
        // that draft predicts nothing else): one of three is kept, then the model's own token corrects the second.
        Assert.Equal(SyntheticModels.NeverClosesTokenCount, half.GeneratedTokens);
        Assert.InRange((double)half.AcceptedDraftTokens!.Value / half.DraftedTokens!.Value, 0.3, 0.37);
    }

    [Fact]
    public async Task A_draft_that_is_never_right_is_switched_off_early_and_the_rest_is_the_models_plain_greedy_text()
    {
        var path = SyntheticModels.GetFile(ScriptKind.NeverCloses);
        using var plain = await Load(path, DraftChoice.None);
        using var drafted = await Load(path, DraftChoice.Parse(SyntheticModels.GetDraftFile(ScriptKind.NeverCloses, 1)), speculation: new SpeculationOptions());

        var expected = await plain.RunAsync(Greedy(ScriptKind.NeverCloses));
        var result = await drafted.RunAsync(Greedy(ScriptKind.NeverCloses));

        Assert.Equal(expected.Thinking, result.Thinking);
        Assert.Equal(SyntheticModels.NeverClosesTokenCount, result.Timings.GeneratedTokens);
        Assert.Equal(0, result.Timings.AcceptedDraftTokens);
        // The draft guessed each plain token measured at the start, wrongly, and was never asked again.
        Assert.Equal(SpeculativeSession.PlainTokensMeasured, result.Timings.DraftedTokens);
    }

    [Fact]
    public async Task When_sampling_a_draft_that_is_never_right_is_switched_off_by_its_guesses_as_well()
    {
        var path = SyntheticModels.GetFile(ScriptKind.NeverCloses);
        using var drafted = await Load(path, DraftChoice.Parse(SyntheticModels.GetDraftFile(ScriptKind.NeverCloses, 1)), speculation: new SpeculationOptions());

        // R1's recommended temperature: each guess's chance of being kept is near 0, not a coin that came up wrong.
        var result = await drafted.RunAsync(Greedy(ScriptKind.NeverCloses) with { Temperature = 0.6f });

        Assert.Equal(SyntheticModels.NeverClosesTokenCount, result.Timings.GeneratedTokens);
        Assert.Equal(SpeculativeSession.PlainTokensMeasured, result.Timings.DraftedTokens);
        Assert.Equal(0, result.Timings.AcceptedDraftTokens);
    }

    [Fact]
    public async Task The_ngram_draft_keeps_the_greedy_output_of_a_repeating_chain()
    {
        var path = SyntheticModels.GetFile(ScriptKind.Loop);
        using var plain = await Load(path, DraftChoice.None);
        using var ngram = await Load(path, DraftChoice.NGram);
        var request = Greedy(ScriptKind.Loop) with { MaxTokens = 120, DetectLoops = false };

        var expected = await plain.RunAsync(request);
        var result = await ngram.RunAsync(request);

        Assert.Equal(expected.Thinking, result.Thinking);
        Assert.Equal("ngram", result.Timings.DraftModel);
        // Once the cycle has been seen, its continuation is proposed and kept.
        Assert.True(result.Timings.AcceptedDraftTokens > 60, $"accepted {result.Timings.AcceptedDraftTokens} of {result.Timings.DraftedTokens}");
    }

    [Fact]
    public async Task A_draft_with_another_vocabulary_is_refused_with_the_first_differing_token()
    {
        var error = await Assert.ThrowsAsync<DraftVocabularyException>(() =>
            Load(SyntheticModels.GetFile(ScriptKind.ClosedChain), DraftChoice.Parse(SyntheticModels.GetFile(ScriptKind.ChickensRight))));

        Assert.Contains("cannot draft for ReasonTools Synthetic R1 ClosedChain", error.Message);
        Assert.Contains("token 262 is", error.Message);
        Assert.Contains("sizes of one family", error.Message);
    }

    [Fact]
    public async Task Sampling_with_a_draft_keeps_the_models_distribution()
    {
        float[] target = [2f, 1f, 0.5f, 0f], draft = [0f, 0.5f, 1f, 2f];
        using var engine = await Load(DistributionModels.GetFile(target), DraftChoice.Parse(DistributionModels.GetFile(draft)), context: 2048);
        const int N = 1800;
        var request = new ReasonRequest { Prompt = "Draw.", MaxTokens = N, Temperature = 1f, TopK = 0, TopP = 1f, Seed = 20260101, DetectLoops = false };

        var result = await engine.RunAsync(request);

        var text = result.Thinking + result.Answer;
        Assert.Equal(N, text.Length);
        var expected = Softmax(target);
        var chiSquare = 0.0;
        for (var i = 0; i < 4; i++)
        {
            var observed = text.Count(c => c == DistributionModels.Tokens[i]);
            chiSquare += Math.Pow(observed - N * expected[i], 2) / (N * expected[i]);
        }
        // 3 degrees of freedom: 16.27 is the 0.1 % tail. The draft's own distribution would give a chi-square in the thousands.
        Assert.True(chiSquare < 16.27, $"chi-square {chiSquare:0.0} for {text.Length} tokens");
        // The draft was used, and often overruled: a proposal is kept with probability sum(min(p, q)) = 0.41, so of 4
        // proposals a round keeps 0.41 + 0.41² + 0.41³ + 0.41⁴ = 0.69 on average, 17 %.
        Assert.True(result.Timings.DraftedTokens > N);
        Assert.InRange((double)result.Timings.AcceptedDraftTokens!.Value / result.Timings.DraftedTokens!.Value, 0.13, 0.21);
    }

    private static double[] Softmax(float[] logits)
    {
        var e = logits.Select(l => Math.Exp(l)).ToArray();
        return e.Select(x => x / e.Sum()).ToArray();
    }
}
