using System.Text;

namespace ReasonTools.Core.Inference;

/// <summary>A piece of text given along with the question: a file, piped input, pipeline strings.</summary>
public sealed record PromptDocument(string Name, string Text);

/// <summary>Builds the user message from a question and attached documents (pure).</summary>
public static class PromptComposer
{
    /// <summary>
    /// The question first, then each document in a fenced block with its name. With no question, a single
    /// document is the question itself. Throws when nothing is left to ask.
    /// </summary>
    /// <summary>The failure for a request whose prompt is empty.</summary>
    public static ReasonFailure EmptyPrompt() =>
        new(FailureKind.BadInput, "The prompt is empty: give a question or pipe some text in.") { Setting = SettingNames.Prompt };

    public static string Compose(string? question, IReadOnlyList<PromptDocument> documents)
    {
        CheckSize("The question", question);
        foreach (var document in documents) CheckSize(document.Name, document.Text);
        var nonEmpty = documents.Where(d => !string.IsNullOrWhiteSpace(d.Text)).ToList();
        if (string.IsNullOrWhiteSpace(question))
        {
            if (nonEmpty.Count == 0)
                throw new ReasonFailure(FailureKind.BadInput, w => $"The prompt is empty: give a question ({w.Setting(SettingNames.Prompt)}), a file, or pipe some text in.") { Setting = SettingNames.Prompt };
            if (nonEmpty.Count == 1) return nonEmpty[0].Text.Trim();
        }
        var builder = new StringBuilder(question?.Trim());
        foreach (var document in nonEmpty)
        {
            if (builder.Length > 0) builder.Append("\n\n");
            var fence = document.Text.Contains("```", StringComparison.Ordinal) ? "~~~~" : "```";
            builder.Append(document.Name).Append(":\n").Append(fence).Append('\n')
                .Append(document.Text.TrimEnd()).Append('\n').Append(fence);
        }
        return builder.ToString();
    }

    // The same cap as for a file read whole: tokenizing costs far more memory than the text itself.
    private static void CheckSize(string name, string? text)
    {
        if (text is null || text.Length <= ReasonService.MaxDocumentBytes / 4) return;
        var bytes = Encoding.UTF8.GetByteCount(text);
        if (bytes > ReasonService.MaxDocumentBytes)
            throw ReasonService.TooLarge(w => $"{name} is {bytes:N0} bytes, too large to put in a prompt (limit {ReasonService.MaxDocumentBytes:N0}). For a log, use the log analysis task ({w.LogAnalysisTask}), which reduces any size.");
    }
}
