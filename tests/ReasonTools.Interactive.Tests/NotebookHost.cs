using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace ReasonTools.Interactive.Tests;

/// <summary>A notebook's kernel in process: a CompositeKernel with a C# kernel and the ReasonTools extension loaded.</summary>
internal sealed class NotebookHost : IDisposable
{
    private NotebookHost(CompositeKernel kernel) => Kernel = kernel;

    public CompositeKernel Kernel { get; }

    public static async Task<NotebookHost> StartAsync()
    {
        // Every update is redrawn, so a short synthetic generation still shows its stream.
        LiveOutput.MinInterval = TimeSpan.Zero;
        var kernel = new CompositeKernel { new CSharpKernel().UseKernelHelpers() };
        kernel.DefaultKernelName = "csharp";
        await new ReasonKernelExtension().OnLoadAsync(kernel);
        return new NotebookHost(kernel);
    }

    /// <summary>Runs one cell and returns every event it produced.</summary>
    public async Task<IReadOnlyList<KernelEvent>> RunAsync(string cell)
    {
        var result = await Kernel.SendAsync(new SubmitCode(cell));
        return result.Events;
    }

    /// <summary>Runs a C# expression cell and returns its value as invariant text.</summary>
    public async Task<string> EvaluateAsync(string expression)
    {
        var events = await RunAsync(expression);
        if (events.OfType<CommandFailed>().FirstOrDefault() is { } failed) throw new InvalidOperationException(failed.Message);
        return Convert.ToString(events.OfType<ReturnValueProduced>().Single().Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
    }

    public static string Html(DisplayEvent e) => Value(e, HtmlFormatter.MimeType);

    /// <summary>The value of <paramref name="e"/> as <paramref name="mimeType"/>.</summary>
    public static string Value(DisplayEvent e, string mimeType) =>
        e.FormattedValues.SingleOrDefault(v => v.MimeType == mimeType)?.Value
        ?? throw new InvalidOperationException($"{e.GetType().Name} has no {mimeType} value, only {string.Join(", ", e.FormattedValues.Select(v => v.MimeType))}: {e.Value}");

    public void Dispose() => Kernel.Dispose();
}
