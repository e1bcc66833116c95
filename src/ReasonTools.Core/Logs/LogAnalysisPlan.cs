using System.Globalization;
using System.Text;

namespace ReasonTools.Core.Logs;

/// <summary>
/// How to analyse a reduced log within a token budget: one prompt when everything fits, otherwise map then reduce —
/// one prompt per chunk of records (in order of appearance), and <see cref="BuildReducePrompt"/> to reason over
/// the chunk answers. Pure planning: the caller runs the prompts through the engine.
/// </summary>
public sealed class LogAnalysisPlan
{
    private readonly LogReduction _reduction;
    private readonly LogPromptOptions _options;
    private readonly Func<string, int> _countTokens;
    private readonly IReadOnlyList<string> _chunkRanges;

    private LogAnalysisPlan(LogReduction reduction, LogPromptOptions options, Func<string, int> countTokens, LogPrompt? single,
        IReadOnlyList<LogPrompt> chunks, IReadOnlyList<string> ranges, string droppedSummary)
    {
        _reduction = reduction;
        _options = options;
        _countTokens = countTokens;
        Single = single;
        Chunks = chunks;
        _chunkRanges = ranges;
        DroppedSummary = droppedSummary;
    }

    /// <summary>The one prompt, when the reduced log fits the budget; null when the plan is chunked.</summary>
    public LogPrompt? Single { get; }

    /// <summary>The chunk ("map") prompts, in order of appearance; empty when <see cref="Single"/> is set.</summary>
    public IReadOnlyList<LogPrompt> Chunks { get; }

    public bool IsChunked => Chunks.Count > 0;

    /// <summary>Tokens each answer may take (the options' answer reserve): the engine's max-tokens per prompt.</summary>
    public int AnswerTokens => _options.ReserveForAnswer;

    /// <summary>What no prompt of the plan shows; empty when nothing was left out.</summary>
    public string DroppedSummary { get; }

    /// <summary>Plans the analysis. Chunks only when the single prompt would leave records out, and at most
    /// <paramref name="maxChunks"/> of them (the lowest-ranked records go first when more would be needed).</summary>
    /// <exception cref="LogBudgetException">The budget cannot hold even the instructions and the log summary.</exception>
    public static LogAnalysisPlan Create(LogReduction reduction, LogPromptOptions options, Func<string, int> countTokens, int maxChunks = 8)
    {
        ArgumentNullException.ThrowIfNull(reduction);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(countTokens);
        if (maxChunks < 1) throw new ArgumentOutOfRangeException(nameof(maxChunks), maxChunks, "At least one chunk is needed.");
        options.Validate();

        var single = LogPromptBuilder.Build(reduction, options, countTokens);
        if (!single.FitsBudget)
            throw new LogBudgetException(single.Tokens, single.TokenLimit);
        var items = LogPromptItem.Create(reduction);
        bool everythingShown = single.IncludedRecords.Count == items.Count && single.ShortenedRecords == 0;
        if (everythingShown || maxChunks == 1)
            return new LogAnalysisPlan(reduction, options, countTokens, single, [], [], single.DroppedSummary);

        int limit = options.PromptLimit;
        string question = options.EffectiveQuestion;
        // Frame cost with placeholder part numbers as wide as any real ones.
        string frame = new MapLayout(reduction, question, maxChunks, maxChunks, "source:000000000-source:000000000").Render([], "");
        int capacity = limit - countTokens(frame) - 8;
        if (capacity < 16)
            return new LogAnalysisPlan(reduction, options, countTokens, single, [], [], single.DroppedSummary);

        // Each item at the fullest form that fits a chunk alone; keep the best-ranked items that fill maxChunks.
        var sized = new List<(LogPromptItem Item, string Text, int Cost)>();
        long budgetLeft = (long)capacity * maxChunks * 9 / 10; // packing in order of appearance wastes some room
        foreach (var item in items)
        {
            (string Text, int Cost)? pick = null;
            foreach (var text in item.Variants())
            {
                int cost = countTokens(text) + 1;
                if (cost <= capacity) { pick = (text, cost); break; }
            }
            if (pick is null)
            {
                var shortest = item.Shortest(capacity);
                int cost = countTokens(shortest) + 1;
                if (cost > capacity) continue;
                pick = (shortest, cost);
            }
            if (pick.Value.Cost > budgetLeft) continue;
            budgetLeft -= pick.Value.Cost;
            sized.Add((item, pick.Value.Text, pick.Value.Cost));
        }

        while (true)
        {
            var chunks = Pack(sized.OrderBy(s => s.Item.Sample.RecordNumber).ToList(), capacity);
            if (chunks.Count <= maxChunks || sized.Count <= 1)
                return Finish(reduction, options, countTokens, items, chunks, limit);
            sized.RemoveAt(sized.Count - 1); // lowest-ranked first
        }
    }

    private static List<List<(LogPromptItem Item, string Text, int Cost)>> Pack(List<(LogPromptItem Item, string Text, int Cost)> ordered, int capacity)
    {
        var chunks = new List<List<(LogPromptItem, string, int)>>();
        var current = new List<(LogPromptItem, string, int)>();
        int used = 0;
        for (int i = 0; i < ordered.Count; i++)
        {
            // The first error and the records before it stay in one chunk when they fit one.
            int unitEnd = i;
            if (ordered[i].Item.Kind == LogPromptItemKind.Context)
                while (unitEnd + 1 < ordered.Count && ordered[unitEnd].Item.Kind == LogPromptItemKind.Context
                       && ordered[unitEnd + 1].Item.Kind is LogPromptItemKind.Context or LogPromptItemKind.FirstError) unitEnd++;
            int unitCost = 0;
            for (int k = i; k <= unitEnd; k++) unitCost += ordered[k].Cost;
            if (unitCost > capacity) unitEnd = i;
            for (int k = i; k <= unitEnd; k++)
            {
                var s = ordered[k];
                int need = k == i ? unitCost : 0;
                if (unitEnd == i) need = s.Cost;
                if (need > 0 && used + need > capacity && current.Count > 0) { chunks.Add(current); current = []; used = 0; }
                current.Add(s);
                used += s.Cost;
            }
            i = unitEnd;
        }
        if (current.Count > 0) chunks.Add(current);
        return chunks;
    }

    private static LogAnalysisPlan Finish(LogReduction reduction, LogPromptOptions options, Func<string, int> countTokens,
        List<LogPromptItem> items, List<List<(LogPromptItem Item, string Text, int Cost)>> chunks, int limit)
    {
        var prompts = new List<LogPrompt>();
        var ranges = new List<string>();
        var allChosen = new List<(LogPromptItem Item, string Text)>();
        for (int k = 0; k < chunks.Count; k++)
        {
            var chunk = chunks[k];
            var first = chunk[0].Item.Sample;
            var last = chunk[^1].Item.Sample;
            string range = $"{first.Source}:{first.LineNumber}-{(last.Source == first.Source ? "" : last.Source + ":")}{last.EndLineNumber}";
            var layout = new MapLayout(reduction, options.EffectiveQuestion, k + 1, chunks.Count, range);
            var packed = chunk.ToDictionary(c => c.Item, c => c.Text);
            var prompt = LogPromptBuilder.Fit(chunk.Select(c => c.Item).ToList(), layout, limit, countTokens, reduction, item => [packed[item]]);
            prompts.Add(prompt);
            ranges.Add(range);
            foreach (var c in chunk) if (prompt.IncludedRecords.Contains(c.Item.Sample)) allChosen.Add((c.Item, c.Text));
        }
        string dropped = LogPromptBuilder.DroppedSummary(reduction, items, allChosen);
        return new LogAnalysisPlan(reduction, options, countTokens, null, prompts, ranges, dropped);
    }

    /// <summary>The final ("reduce") prompt over the chunk answers, in chunk order, fitted to the budget (answers
    /// are shortened evenly when they do not fit). Pass the answers without the model's thinking.</summary>
    public LogPrompt BuildReducePrompt(IReadOnlyList<string> chunkAnswers)
    {
        ArgumentNullException.ThrowIfNull(chunkAnswers);
        if (!IsChunked) throw new InvalidOperationException("This plan has a single prompt; there is nothing to reduce.");
        if (chunkAnswers.Count != Chunks.Count)
            throw new ArgumentException($"Expected {Chunks.Count} chunk answers, got {chunkAnswers.Count}.", nameof(chunkAnswers));

        int limit = _options.PromptLimit;
        var answers = chunkAnswers.Select(a => (a ?? "").Trim()).ToArray();
        for (int round = 0; ; round++)
        {
            string text = RenderReduce(answers);
            int tokens = _countTokens(text);
            if (tokens <= limit || round > 40)
                return new LogPrompt(text, tokens, limit, [], 0, 0, DroppedSummary, tokens <= limit);
            // Cut the longest answer first, by the share of characters the overflow suggests.
            int longest = Array.IndexOf(answers, answers.MaxBy(a => a.Length));
            var a = answers[longest];
            if (a.Length == 0) return new LogPrompt(text, tokens, limit, [], 0, 0, DroppedSummary, false);
            int cut = Math.Max(16, (int)((long)a.Length * (tokens - limit) / Math.Max(1, tokens)) + 16);
            answers[longest] = cut >= a.Length ? "" : a[..(a.Length - cut)] + " [...]";
        }
    }

    /// <summary>The reduce prompt with placeholders for the answers: what a preview shows.</summary>
    public string ReducePromptPreview() =>
        IsChunked ? RenderReduce(Enumerable.Range(1, Chunks.Count).Select(k => $"<answer to part {k}>").ToArray()) : "";

    private string RenderReduce(IReadOnlyList<string> answers)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"You are finding the root cause of a problem in a long log. It was too long to read at once, so it was analysed in {answers.Count} parts; below are the findings for each part, in order.\n\n");
        sb.Append("Question: ").Append(_options.EffectiveQuestion).Append("\n\n");
        sb.Append(LogPromptBuilder.Overview(_reduction)).Append('\n');
        if (_reduction.FirstError is { } e)
            sb.Append(CultureInfo.InvariantCulture, $"The first error is at {e.Source}:{e.LineNumber}.\n");
        sb.Append('\n');
        for (int k = 0; k < answers.Count; k++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Findings for part {k + 1} (lines {_chunkRanges[k]}):\n");
            sb.Append(answers[k].Length == 0 ? "(none)" : answers[k]).Append("\n\n");
        }
        if (DroppedSummary.Length > 0) sb.Append(DroppedSummary).Append("\n\n");
        sb.Append(LogPromptBuilder.AnswerInstructions);
        return sb.ToString();
    }

    /// <summary>A chunk prompt: the overall question, the whole log's summary, this part's records in order.</summary>
    private sealed class MapLayout(LogReduction reduction, string question, int part, int parts, string range) : IPromptLayout
    {
        public string Render(IReadOnlyList<(LogPromptItem Item, string Text)> chosen, string droppedSummary)
        {
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"You are reading part {part} of {parts} of a long log (reduced: repeats collapsed) to help find the root cause of a problem.\n\n");
            sb.Append("Overall question: ").Append(question).Append("\n\n");
            sb.Append(LogPromptBuilder.Overview(reduction)).Append('\n');
            sb.Append(LogPromptBuilder.Conventions).Append("\n\n");
            sb.Append(CultureInfo.InvariantCulture, $"Part {part} of {parts} (lines {range}, in order of appearance):\n");
            foreach (var c in chosen.OrderBy(c => c.Item.Sample.RecordNumber)) sb.Append(c.Text).Append('\n');
            sb.Append('\n');
            sb.Append("List briefly, at most 8 points: the errors and warnings in this part that bear on the question, each cited as source:line, ");
            sb.Append("what happened just before the first of them, and anything that looks like a cause. Say only what this part shows.");
            return sb.ToString();
        }
    }
}
