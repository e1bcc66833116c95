using System.Diagnostics;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Formatting;

namespace ReasonTools.Interactive;

/// <summary>
/// One output of a cell that is replaced as work goes on. Updates closer together than <see cref="MinInterval"/> are
/// coalesced (a notebook front end redraws on each), except forced ones and the final result.
/// </summary>
internal sealed class LiveOutput(KernelInvocationContext context)
{
    /// <summary>The shortest time between two redraws of a streaming output.</summary>
    public static TimeSpan MinInterval { get; internal set; } = TimeSpan.FromMilliseconds(150);

    private readonly Stopwatch _sinceUpdate = new();
    private DisplayedValue? _displayed;

    /// <summary>Shows <paramref name="html"/>, unless the last redraw was too recent and <paramref name="force"/> is false.</summary>
    public void Show(string html, bool force = false)
    {
        if (_displayed is not null && !force && _sinceUpdate.Elapsed < MinInterval) return;
        var content = new LiveView(html);
        if (_displayed is null) _displayed = context.Display(content, HtmlFormatter.MimeType);
        else _displayed.Update(content);
        _sinceUpdate.Restart();
    }

    /// <summary>Replaces the output with <paramref name="result"/> as its formatters show it.</summary>
    public void Complete(object result)
    {
        if (_displayed is null) context.Display(result, HtmlFormatter.MimeType, PlainTextFormatter.MimeType);
        else _displayed.Update(result);
    }
}

/// <summary>
/// Markup of work in progress, shown as is (its formatter is registered by <see cref="ReasonFormatters"/>). Its own type
/// rather than an IHtmlContent: notebook hosts ship different versions of the assembly that defines that interface.
/// </summary>
public sealed record LiveView(string Html);
