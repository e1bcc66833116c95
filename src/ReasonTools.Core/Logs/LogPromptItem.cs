using System.Globalization;
using System.Text;

namespace ReasonTools.Core.Logs;

internal enum LogPromptItemKind { FirstError, Context, Template }

/// <summary>One record as the prompt shows it, in three lengths: full, shortened (stack frames thinned), one line.</summary>
internal sealed class LogPromptItem
{
    private const int MaxOneLineChars = 300;
    private const int BulkTemplates = 5;
    private string? _compact, _oneLine;

    private LogPromptItem(LogPromptItemKind kind, LogRecordSample sample, LogTemplate? template)
    {
        Kind = kind;
        Sample = sample;
        Template = template;
        Prefix = BuildPrefix(sample, template);
        Full = Prefix + sample.Text;
    }

    public LogPromptItemKind Kind { get; }
    public LogRecordSample Sample { get; }
    public LogTemplate? Template { get; }
    public string Prefix { get; }
    public string Full { get; }

    /// <summary>Items in priority order: the first error, the records before it (nearest first), then templates by rank.</summary>
    public static List<LogPromptItem> Create(LogReduction reduction)
    {
        var items = new List<LogPromptItem>(reduction.Templates.Count + reduction.ContextBeforeFirstError.Count + 1);
        // A record shown as the first error or its context stands for its template when it is the template's first
        // occurrence (it then carries the count), so no record appears twice.
        var shown = new HashSet<LogTemplate>();
        if (reduction.FirstError is { } first)
        {
            var byRecord = reduction.Templates.ToDictionary(t => t.First.RecordNumber);
            items.Add(new LogPromptItem(LogPromptItemKind.FirstError, first, Claim(first)));
            for (int i = reduction.ContextBeforeFirstError.Count - 1; i >= 0; i--)
            {
                var context = reduction.ContextBeforeFirstError[i];
                items.Add(new LogPromptItem(LogPromptItemKind.Context, context, Claim(context)));
            }

            LogTemplate? Claim(LogRecordSample sample)
            {
                if (!byRecord.TryGetValue(sample.RecordNumber, out var t)) return null;
                shown.Add(t);
                return t;
            }
        }
        // Errors and warnings in rank order, then the few most frequent other messages (the log's bulk, so the model
        // sees what normal looks like), then the rest, rarest first.
        var rest = reduction.Templates.Where(t => !shown.Contains(t)).ToList();
        var bulk = rest.Where(t => LogReducer.RankClass(t) > 1 && t.Count > 1).OrderByDescending(t => t.Count).Take(BulkTemplates).ToHashSet();
        foreach (var t in rest.Where(t => LogReducer.RankClass(t) <= 1)) items.Add(new LogPromptItem(LogPromptItemKind.Template, t.First, t));
        foreach (var t in rest.Where(bulk.Contains)) items.Add(new LogPromptItem(LogPromptItemKind.Template, t.First, t));
        foreach (var t in rest.Where(t => LogReducer.RankClass(t) > 1 && !bulk.Contains(t))) items.Add(new LogPromptItem(LogPromptItemKind.Template, t.First, t));
        return items;
    }

    /// <summary>The forms to try, longest first.</summary>
    public IEnumerable<string> Variants()
    {
        yield return Full;
        _compact ??= Compact();
        if (!ReferenceEquals(_compact, Full)) yield return _compact;
        _oneLine ??= OneLine();
        if (_oneLine.Length < _compact.Length) yield return _oneLine;
    }

    /// <summary>The shortest form, cut to <paramref name="maxChars"/> when even that is longer.</summary>
    public string Shortest(int maxChars)
    {
        _oneLine ??= OneLine();
        return _oneLine.Length <= maxChars ? _oneLine : _oneLine[..Math.Max(0, maxChars - 3)] + "...";
    }

    private static string BuildPrefix(LogRecordSample s, LogTemplate? t)
    {
        var sb = new StringBuilder();
        sb.Append(s.Source).Append(':').Append(s.LineNumber.ToString(CultureInfo.InvariantCulture));
        if (s.EndLineNumber > s.LineNumber) sb.Append('-').Append(s.EndLineNumber.ToString(CultureInfo.InvariantCulture));
        if (t is { Count: > 1 })
        {
            sb.Append(" [×").Append(LogPromptBuilder.N(t.Count)).Append(", last ");
            if (t.LastSource != s.Source) sb.Append(t.LastSource).Append(':');
            else sb.Append("line ");
            sb.Append(t.LastLineNumber.ToString(CultureInfo.InvariantCulture)).Append(']');
        }
        sb.Append(' ');
        return sb.ToString();
    }

    /// <summary>Keeps the first line, every line that is not a stack frame (exception messages, "Caused by"),
    /// and the first frames after each; the rest becomes "... (k lines omitted)".</summary>
    private string Compact()
    {
        var lines = Sample.Text.Split('\n');
        if (lines.Length <= 12) return Full;
        var sb = new StringBuilder(Prefix);
        int framesSinceMessage = 0, omitted = 0, messages = 0;
        for (int i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            bool frame = LogLineClassifier.IsStackFrame(line) || (line.Length > 0 && line[0] is ' ' or '\t');
            bool keep = i == 0 || (!frame && messages < 8) || (frame && framesSinceMessage < 3);
            if (!frame) { framesSinceMessage = 0; if (i > 0) messages++; }
            else framesSinceMessage++;
            if (!keep) { omitted++; continue; }
            if (omitted > 0) { sb.Append("\n    ... (").Append(omitted).Append(" lines omitted)"); omitted = 0; }
            if (i > 0) sb.Append('\n');
            sb.Append(line);
        }
        if (omitted > 0) sb.Append("\n    ... (").Append(omitted).Append(" lines omitted)");
        var text = sb.ToString();
        return text.Length < Full.Length ? text : Full;
    }

    private string OneLine()
    {
        var text = Sample.Text;
        int newline = text.IndexOf('\n');
        var first = newline < 0 ? text : text[..newline];
        if (first.Length > MaxOneLineChars) first = first[..MaxOneLineChars] + "...";
        if (newline < 0) return Prefix + first;
        int more = text.AsSpan(newline).Count('\n');
        // Name the exception when the first line does not ("ERROR Request failed" / "java.io.IOException: ...").
        string? exception = null;
        foreach (var line in text[(newline + 1)..].Split('\n'))
        {
            if (!LogLineClassifier.IsStackFrame(line) && LogLineClassifier.MentionsException(line)) { exception = line.Trim(); break; }
        }
        if (exception is { Length: > MaxOneLineChars }) exception = exception[..MaxOneLineChars] + "...";
        return exception is null
            ? $"{Prefix}{first} [+{more} more lines]"
            : $"{Prefix}{first} | {exception} [+{more} more lines]";
    }
}
