using System.Globalization;
using System.Text;

namespace ReasonTools.Core.Logs;

/// <summary>What to ask about a log and how many tokens the model's context holds.</summary>
public sealed record LogPromptOptions
{
    /// <summary>The user's question; null asks for the root cause of the failure the log shows.</summary>
    public string? Question { get; init; }

    /// <summary>Tokens of the model's context for prompt and answer together.</summary>
    public int TokenBudget { get; init; } = 8192;

    /// <summary>Tokens kept free for the answer (R1 models think at length before answering).</summary>
    public int ReserveForAnswer { get; init; } = 3072;

    /// <summary>Tokens the prompt may use: <see cref="TokenBudget"/> less <see cref="ReserveForAnswer"/>.</summary>
    public int PromptLimit => TokenBudget - ReserveForAnswer;

    internal const string DefaultQuestion = "What went wrong in this log, and why?";

    internal string EffectiveQuestion => string.IsNullOrWhiteSpace(Question) ? DefaultQuestion : Question.Trim();

    internal void Validate()
    {
        if (TokenBudget <= 0)
            throw new ArgumentOutOfRangeException(nameof(TokenBudget), TokenBudget, "The token budget must be positive (the model's context size).");
        if (ReserveForAnswer < 0 || ReserveForAnswer >= TokenBudget)
            throw new ArgumentOutOfRangeException(nameof(ReserveForAnswer), ReserveForAnswer,
                $"The answer reserve must be at least 0 and below the token budget ({TokenBudget}); raise the context size or lower the reserve.");
    }
}

/// <summary>A prompt built from a log reduction, and what it left out.</summary>
/// <param name="Text">The exact text to send as the user message.</param>
/// <param name="Tokens">Its length by the caller's token counter.</param>
/// <param name="TokenLimit">Tokens it was allowed (budget less the answer reserve).</param>
/// <param name="IncludedRecords">Records shown (first occurrences of templates, the first error and its context).</param>
/// <param name="DroppedTemplates">Distinct messages left out for length (plus those evicted while reading).</param>
/// <param name="ShortenedRecords">Records shown shortened (stack frames thinned, or first line only) to fit.</param>
/// <param name="DroppedSummary">One sentence naming what was left out; empty when nothing was.</param>
/// <param name="FitsBudget">False only when even the bare instructions and summary exceed the limit.</param>
public sealed record LogPrompt(
    string Text, int Tokens, int TokenLimit, IReadOnlyList<LogRecordSample> IncludedRecords, long DroppedTemplates,
    int ShortenedRecords, string DroppedSummary, bool FitsBudget);

/// <summary>Raised when a log prompt cannot fit the token budget at all (the question and instructions alone exceed it).</summary>
public sealed class LogBudgetException(string message) : ReasonFailure(FailureKind.BadInput, message)
{
    // Settings cannot be set from a primary constructor's base call: the context (the budget) is what to raise.
    public LogBudgetException(int promptTokens, int tokenLimit)
        : this($"The question, instructions and log summary alone take {promptTokens} tokens, more than the {tokenLimit} the budget leaves for the prompt; raise the context size or lower the answer reserve.")
    {
        Setting = SettingNames.ContextSize;
        NextSteps = [new NextStep(NextStepKind.ChangeSetting) { Setting = SettingNames.ContextSize }, new NextStep(NextStepKind.ChangeSetting) { Setting = SettingNames.MaxTokens }];
    }
}

/// <summary>
/// Builds the LogAnalysis prompt: asks for the root cause, the evidence (cited as source:line) and the next step,
/// over the most telling records of a <see cref="LogReduction"/> that fit the token budget, measured with the
/// model's own tokenizer (<c>countTokens</c>). Pure: fronts call it for a preview without loading a model.
/// </summary>
public static class LogPromptBuilder
{
    /// <summary>Builds one prompt that fits <see cref="LogPromptOptions.PromptLimit"/> tokens by
    /// <paramref name="countTokens"/>, keeping records in rank order and saying what it dropped.</summary>
    public static LogPrompt Build(LogReduction reduction, LogPromptOptions options, Func<string, int> countTokens)
    {
        ArgumentNullException.ThrowIfNull(reduction);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(countTokens);
        options.Validate();
        var items = LogPromptItem.Create(reduction);
        var layout = new SingleLayout(reduction, options.EffectiveQuestion);
        return Fit(items, layout, options.PromptLimit, countTokens, reduction, item => item.Variants());
    }

    /// <summary>A conservative token count for when no tokenizer is loaded (a preview): one token per three UTF-8
    /// bytes, more than BPE tokenizers such as Qwen's or Llama's produce for log text.</summary>
    public static int ApproximateTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return (Encoding.UTF8.GetByteCount(text) + 2) / 3;
    }

    internal static LogPrompt Fit(IReadOnlyList<LogPromptItem> items, IPromptLayout layout, int limit, Func<string, int> countTokens, LogReduction reduction,
        Func<LogPromptItem, IEnumerable<string>> variants)
    {
        // Measure the frame with a worst-case "omitted" sentence, then add items in rank order at the fullest form
        // that still fits; token counts are nearly additive, and the whole text is measured again at the end.
        string frame = layout.Render([], DroppedSummary(reduction, items, []));
        int frameTokens = countTokens(frame);
        if (frameTokens > limit)
            return new LogPrompt(frame, frameTokens, limit, [], items.Count + reduction.Totals.EvictedTemplates, 0, DroppedSummary(reduction, items, []), false);

        int remaining = limit - frameTokens;
        var chosen = new List<(LogPromptItem Item, string Text)>();
        foreach (var item in items)
        {
            if (remaining <= 2) break;
            foreach (var text in variants(item))
            {
                int cost = countTokens(text) + 1;
                if (cost > remaining) continue;
                chosen.Add((item, text));
                remaining -= cost;
                break;
            }
        }

        int drop = 1;
        while (true)
        {
            string summary = DroppedSummary(reduction, items, chosen);
            string text = layout.Render(chosen, summary);
            int tokens = countTokens(text);
            if (tokens <= limit)
                return new LogPrompt(text, tokens, limit, chosen.Select(c => c.Item.Sample).ToArray(),
                    items.Count - chosen.Count + reduction.Totals.EvictedTemplates, chosen.Count(c => !ReferenceEquals(c.Text, c.Item.Full)), summary, true);
            if (chosen.Count == 0)
                return new LogPrompt(frame, frameTokens, limit, [], items.Count + reduction.Totals.EvictedTemplates, 0, DroppedSummary(reduction, items, []), true);
            // The counter was not additive here: drop the lowest-ranked items, more each round.
            chosen.RemoveRange(Math.Max(0, chosen.Count - drop), Math.Min(drop, chosen.Count));
            drop *= 2;
        }
    }

    internal static string DroppedSummary(LogReduction reduction, IReadOnlyList<LogPromptItem> items, IReadOnlyList<(LogPromptItem Item, string Text)> chosen)
    {
        var included = new HashSet<LogPromptItem>(chosen.Select(c => c.Item));
        long templates = 0, records = 0, errors = 0, warnings = 0;
        int shortened = 0;
        foreach (var item in items)
        {
            if (included.Contains(item)) continue;
            if (item.Kind == LogPromptItemKind.Context && item.Template is null) continue; // not a message of its own
            long count = item.Template?.Count ?? 1;
            templates++;
            records += count;
            if (item.Sample.Severity >= LogSeverity.Error) errors += count;
            else if (item.Sample.Severity == LogSeverity.Warning) warnings += count;
        }
        foreach (var (item, text) in chosen) if (!ReferenceEquals(text, item.Full)) shortened++;

        var parts = new List<string>();
        if (templates > 0)
            parts.Add($"{N(templates)} distinct message{S(templates)} ({N(records)} record{S(records)}: {N(errors)} error{S(errors)}, {N(warnings)} warning{S(warnings)}, {N(records - errors - warnings)} other) left out for length");
        if (shortened > 0) parts.Add($"{N(shortened)} long record{S(shortened)} shortened");
        var t = reduction.Totals;
        if (t.EvictedTemplates > 0)
            parts.Add($"{N(t.EvictedTemplates)} rare message{S(t.EvictedTemplates)} ({N(t.EvictedRecords)} records, {N(t.EvictedWarningOrWorse)} of them warnings or errors) dropped while reading to bound memory");
        if (t.TruncatedRecords > 0) parts.Add($"{N(t.TruncatedRecords)} very long record{S(t.TruncatedRecords)} cut");
        return parts.Count == 0 ? "" : "Omitted: " + string.Join("; ", parts) + ".";
    }

    internal static string Overview(LogReduction r)
    {
        var t = r.Totals;
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"The log has {N(t.Lines)} line{S(t.Lines)} ({Size(t.Bytes)}) from {N(r.Sources.Count)} source{S(r.Sources.Count)}");
        if (r.Sources.Count > 0)
        {
            sb.Append(": ");
            sb.Append(string.Join(", ", r.Sources.Take(8).Select(s => $"{s.Name} ({N(s.Lines)} line{S(s.Lines)}, {N(s.Errors)} error{S(s.Errors)})")));
            if (r.Sources.Count > 8) sb.Append(CultureInfo.InvariantCulture, $" and {N(r.Sources.Count - 8)} more");
        }
        sb.Append(CultureInfo.InvariantCulture, $". It holds {N(t.Records)} record{S(t.Records)} (a multi-line stack trace is one record): {N(t.Errors)} error{S(t.Errors)}, {N(t.Warnings)} warning{S(t.Warnings)}, {N(t.DistinctTemplates)} distinct message{S(t.DistinctTemplates)}.");
        if (r.CutLines.Count > 0) sb.Append(' ').Append(CutLines(r));
        if (r.SkippedSources.Count > 0)
        {
            sb.Append(" Not readable: ");
            sb.Append(string.Join("; ", r.SkippedSources.Take(8).Select(s => $"{s.Name} ({s.Reason})")));
            if (r.SkippedSources.Count > 8) sb.Append(CultureInfo.InvariantCulture, $" and {N(r.SkippedSources.Count - 8)} more");
            sb.Append('.');
        }
        return sb.ToString();
    }

    /// <summary>"Line 1 of big.log was cut at 16.0 KiB of 500.0 MiB." — so the model knows it sees the head of that line only.</summary>
    private static string CutLines(LogReduction r)
    {
        string Cut(LogCutLine c) => $"{c.Source}:{N(c.LineNumber)} at {Size(c.KeptBytes)} of {Size(c.FullBytes)}";
        var count = r.Totals.CutLines;
        if (count == 1)
        {
            var c = r.CutLines[0];
            return $"Line {N(c.LineNumber)} of {c.Source} was cut at {Size(c.KeptBytes)} of {Size(c.FullBytes)}: only its start is shown.";
        }
        var more = count > r.CutLines.Count ? $" and {N(count - r.CutLines.Count)} more" : "";
        return $"{N(count)} very long lines were cut (only their start is shown): {string.Join(", ", r.CutLines.Select(Cut))}{more}.";
    }

    internal const string Conventions =
        "Each record starts with its source and line number (source:line). A repeated message is shown once, at its first occurrence, with ×N for how many times it occurred and the line of its last occurrence.";

    internal const string AnswerInstructions =
        "Answer in three parts:\n" +
        "1. Root cause: the most likely cause of the problem, in one or two sentences.\n" +
        "2. Evidence: the records that support it, each cited as source:line.\n" +
        "3. Next step: the one action to take first to confirm or fix it.\n" +
        "If the log does not show the cause, say so and name what to check next.";

    internal static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);
    internal static string S(long n) => n == 1 ? "" : "s";

    private static string Size(long bytes) => LogLineSplitter.FormatSize(bytes);
}

/// <summary>How a prompt is laid out around the chosen items.</summary>
internal interface IPromptLayout
{
    string Render(IReadOnlyList<(LogPromptItem Item, string Text)> chosen, string droppedSummary);
}

/// <summary>The one-prompt layout: question, overview, first error with its context, errors and warnings, the rest.</summary>
internal sealed class SingleLayout(LogReduction reduction, string question) : IPromptLayout
{
    public string Render(IReadOnlyList<(LogPromptItem Item, string Text)> chosen, string droppedSummary)
    {
        var sb = new StringBuilder();
        sb.Append("You are analysing a log to find the root cause of a problem. The log was reduced: repeats collapsed, the most telling records kept.\n\n");
        sb.Append("Question: ").Append(question).Append("\n\n");
        sb.Append(LogPromptBuilder.Overview(reduction)).Append('\n');
        sb.Append(LogPromptBuilder.Conventions).Append("\n\n");

        var first = chosen.Where(c => c.Item.Kind is LogPromptItemKind.FirstError or LogPromptItemKind.Context).OrderBy(c => c.Item.Sample.RecordNumber).ToList();
        if (reduction.FirstError is null) sb.Append("No record of level error or above was recognised.\n\n");
        else if (first.Count > 0)
        {
            var e = reduction.FirstError;
            sb.Append(CultureInfo.InvariantCulture, $"First error ({e.Source}:{e.LineNumber}) and the records just before it:\n");
            foreach (var c in first) sb.Append(c.Text).Append('\n');
            sb.Append('\n');
        }
        AppendSection(sb, "Errors and warnings (first occurrence of each distinct message, in order of appearance):",
            chosen.Where(c => c.Item.Kind == LogPromptItemKind.Template && LogReducer.RankClass(c.Item.Template!) <= 1));
        AppendSection(sb, "Other messages (in order of appearance):",
            chosen.Where(c => c.Item.Kind == LogPromptItemKind.Template && LogReducer.RankClass(c.Item.Template!) > 1));
        if (droppedSummary.Length > 0) sb.Append(droppedSummary).Append("\n\n");
        sb.Append(LogPromptBuilder.AnswerInstructions);
        return sb.ToString();
    }

    internal static void AppendSection(StringBuilder sb, string title, IEnumerable<(LogPromptItem Item, string Text)> items)
    {
        var list = items.OrderBy(c => c.Item.Sample.RecordNumber).ToList();
        if (list.Count == 0) return;
        sb.Append(title).Append('\n');
        foreach (var c in list) sb.Append(c.Text).Append('\n');
        sb.Append('\n');
    }
}
