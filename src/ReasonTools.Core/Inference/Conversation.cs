namespace ReasonTools.Core.Inference;

/// <summary>One earlier exchange of a conversation: the user's message and the model's answer (never its chain).</summary>
public sealed record ConversationTurn(string Prompt, string Answer)
{
    /// <summary>"Q: the prompt → A: the answer", each cut to one short line, for a nested view.</summary>
    public override string ToString() => $"Q: {Short(Prompt)} → A: {Short(Answer)}";

    private static string Short(string text)
    {
        var line = string.Join(' ', text.Split((char[])['\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return line.Length <= 60 ? line : line[..59] + "…";
    }
}

/// <summary>
/// Follow-up turns by DeepSeek's R1 convention: earlier reasoning chains are not sent back, only the answers, so a
/// follow-up's prompt starts with the earlier prompts and answers and the model reasons afresh.
/// </summary>
public static class Conversation
{
    /// <summary>The history a follow-up to <paramref name="previous"/> carries: its own history, then its prompt and answer.</summary>
    public static IReadOnlyList<ConversationTurn> After(ReasonResult previous) =>
        [.. previous.History, new ConversationTurn(previous.Prompt, AnswerOf(previous))];

    /// <summary>
    /// The answer a turn contributes. A turn cut before its answer (a chain that never closed) contributes nothing
    /// of its chain: an empty answer keeps the convention.
    /// </summary>
    public static string AnswerOf(ReasonResult result) => result.Answer.Trim();

    /// <summary>The chat messages of a request: system prompt, earlier turns, then the new prompt.</summary>
    public static IReadOnlyList<(string Role, string Content)> Messages(ReasonRequest request)
    {
        var messages = new List<(string, string)>();
        if (!string.IsNullOrEmpty(request.SystemPrompt)) messages.Add(("system", request.SystemPrompt));
        foreach (var turn in request.History)
        {
            messages.Add(("user", turn.Prompt));
            messages.Add(("assistant", turn.Answer));
        }
        messages.Add(("user", request.Prompt));
        return messages;
    }

    /// <summary>The R1 layout, for a model without a usable chat template.</summary>
    public static string R1Layout(ReasonRequest request) =>
        request.SystemPrompt + string.Concat(request.History.Select(t => $"<｜User｜>{t.Prompt}<｜Assistant｜>{t.Answer}<｜end▁of▁sentence｜>")) +
        $"<｜User｜>{request.Prompt}<｜Assistant｜>";

    /// <summary>How many leading tokens two token sequences share.</summary>
    public static int CommonPrefix(ReadOnlySpan<int> cached, ReadOnlySpan<int> prompt) => cached.CommonPrefixLength(prompt);
}
