namespace ReasonTools.Core.Inference;

/// <summary>Prompt and generation speed of one model, measured like llama-bench's pp/tg tests.</summary>
public sealed record SpeedTestResult(
    string Model,
    int Threads,
    int PromptTokens,
    double PromptTokensPerSecond,
    int GeneratedTokens,
    double TokensPerSecond,
    double WallClockTokensPerSecond,
    int Repetitions);

/// <summary>
/// <c>reason bench</c>: a prompt of exactly N tokens (pp) and N generated tokens (tg) through the real engine,
/// sampling and streaming included, after one warm-up run, averaged over repetitions like llama-bench.
/// The wall-clock rate also counts sampling and streaming, which llama-bench does not do.
/// </summary>
public static class SpeedTest
{
    public static async Task<SpeedTestResult> RunAsync(ReasonEngine engine, int promptTokens = 512, int generatedTokens = 128, int repetitions = 3,
        CancellationToken cancellationToken = default)
    {
        if (promptTokens < 8 || promptTokens + generatedTokens > engine.Options.ContextSize)
            throw new ArgumentOutOfRangeException(nameof(promptTokens), $"{promptTokens} prompt + {generatedTokens} generated tokens must fit the context of {engine.Options.ContextSize}.");
        // As llama-bench does: pp decodes a prompt of N tokens; tg generates N tokens from an (almost) empty
        // context, so both tools measure the same work.
        var pp = new ReasonRequest { Prompt = PromptOfTokens(engine, promptTokens), MaxTokens = 1, DetectLoops = false, ForceThinking = false, Seed = 1 };
        var tg = new ReasonRequest { Prompt = "Count.", MaxTokens = generatedTokens, DetectLoops = false, ForceThinking = false, Seed = 1 };
        await engine.RunAsync(pp, cancellationToken).ConfigureAwait(false);
        await engine.RunAsync(tg, cancellationToken).ConfigureAwait(false);
        var promptRates = new List<double>();
        var rates = new List<double>();
        var wallRates = new List<double>();
        // Generations elsewhere on the machine may take a share of the cores: the fewest threads used is reported.
        var threads = engine.Options.EffectiveThreads;
        for (var i = 0; i < repetitions; i++)
        {
            var p = await engine.RunAsync(pp, cancellationToken).ConfigureAwait(false);
            promptRates.Add(p.Timings.PromptTokensPerSecond ?? 0);
            var g = await engine.RunAsync(tg, cancellationToken).ConfigureAwait(false);
            threads = Math.Min(threads, Math.Min(p.Settings.Threads, g.Settings.Threads));
            var t = g.Timings;
            rates.Add(t.TokensPerSecond);
            // From the first token to the end: sampling, detokenizing and streaming included.
            wallRates.Add(t.GeneratedTokens > 1 ? (t.GeneratedTokens - 1) * 1000.0 / (t.TotalMs - t.TimeToFirstTokenMs!.Value) : 0);
        }
        return new SpeedTestResult(engine.Model.Name, threads, engine.CountPromptTokens(pp), promptRates.Average(),
            generatedTokens, rates.Average(), wallRates.Average(), repetitions);
    }

    /// <summary>A prompt the model reads as exactly <paramref name="count"/> tokens (chat template and BOS included).</summary>
    internal static string PromptOfTokens(ReasonEngine engine, int count)
    {
        var text = new System.Text.StringBuilder();
        var random = new Random(7);
        var words = new[] { " the", " model", " reads", " a", " long", " prompt", " about", " numbers", " and", " logs" };
        int Count(string user) => engine.CountPromptTokens(new ReasonRequest { Prompt = user, ForceThinking = false });
        for (var word = words[random.Next(words.Length)]; Count(text + word) <= count; word = words[random.Next(words.Length)])
            text.Append(word);
        // Fill the last few tokens one character at a time.
        while (Count(text + "x") <= count)
            text.Append('x');
        return text.ToString();
    }
}
