using System.Management.Automation;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Inference;
using ReasonTools.PowerShell.Internal;
using ReasonTools.Reports;

namespace ReasonTools.PowerShell;

/// <summary>Writes results to one self-contained HTML report that opens offline in any browser.</summary>
/// <remarks>
/// <para>Export-ReasonReport takes the output of Invoke-Reason (ReasonResult), Compare-ReasonModel (ComparisonRow and
/// ComparisonSummary, or a ComparisonResult) and Get-ReasonHardware (HardwareReport) from the pipeline and writes
/// them, in the order they arrived, into one HTML file: answers first with the reasoning chain folded away, comparison
/// tables with charts, and the hardware fit grid. Comparison rows are gathered into one comparison table with its
/// per-model summary; piped summaries are recomputed from the rows.</para>
/// <para>The file has no external fonts or scripts. An existing file is replaced unless -NoClobber is given.</para>
/// </remarks>
/// <example>
/// <para>Save a comparison as a report</para>
/// <code>Compare-ReasonModel -Model ./r1-1.5b.gguf, ./r1-7b.gguf -PromptSet ./prompts/math.json | Export-ReasonReport -Path ./compare.html</code>
/// </example>
/// <example>
/// <para>Put an answer and the machine's hardware in one report, and open it</para>
/// <code>$answer = Invoke-Reason 'Why is the sky blue?' -Model ./r1-7b.gguf
/// @($answer; Get-ReasonHardware) | Export-ReasonReport -Path ./report.html -PassThru | Invoke-Item</code>
/// </example>
[Cmdlet(VerbsData.Export, "ReasonReport", SupportsShouldProcess = true)]
[OutputType(typeof(FileInfo))]
public sealed class ExportReasonReportCommand : PSCmdlet
{
    private readonly ReportContents _contents = new();

    /// <summary>The results to put in the report: ReasonResult, ComparisonResult, ComparisonRow, ComparisonSummary or HardwareReport objects.</summary>
    [Parameter(Mandatory = true, ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>The HTML file to write.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = "";

    /// <summary>The report's title.</summary>
    /// <value>ReasonTools report</value>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Title { get; set; } = "ReasonTools report";

    /// <summary>Refuses to replace an existing file.</summary>
    [Parameter]
    public SwitchParameter NoClobber { get; set; }

    /// <summary>Writes the FileInfo of the report to the pipeline.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Collects each piped result; objects without a view are reported and skipped.</summary>
    protected override void ProcessRecord()
    {
        var value = InputObject?.BaseObject;
        if (value is null) return;
        if (!_contents.Add(value))
            WriteError(ReasonErrors.Create(ReasonErrors.UnsupportedReportObject(value), null, value));
    }

    /// <summary>Renders everything collected into one file.</summary>
    protected override void EndProcessing()
    {
        if (_contents.IsEmpty)
            ThrowTerminatingError(ReasonErrors.Create(ReasonErrors.NothingToReport(), null, null));
        var path = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        if (NoClobber && File.Exists(path))
            ThrowTerminatingError(ReasonErrors.Create(new ErrorSpec("ReportFileExists", ErrorCategory.ResourceExists,
                $"The file '{path}' already exists.", "Choose another -Path, or leave out -NoClobber to replace it."), null, path));
        if (!ShouldProcess(path, "Write HTML report")) return;
        try
        {
            File.WriteAllText(path, _contents.Render(Title));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            ThrowTerminatingError(ReasonErrors.Create(new ErrorSpec("ReportNotWritten", ErrorCategory.WriteError,
                $"Cannot write '{path}': {e.Message}", "Check that the folder exists and that you may write to it."), e, path));
        }
        if (PassThru) WriteObject(new FileInfo(path));
    }
}

/// <summary>The results a report is made of, in arrival order; comparison rows gathered into one table (pure).</summary>
internal sealed class ReportContents
{
    private readonly List<object> _parts = [];
    private List<ComparisonRow>? _rows;

    /// <summary>True when nothing with a view was added.</summary>
    public bool IsEmpty => _parts.Count == 0;

    /// <summary>Adds one result; false when there is no view for its type.</summary>
    public bool Add(object value)
    {
        switch (value)
        {
            case ReasonResult or ComparisonResult or HardwareReport:
                _parts.Add(value);
                return true;
            case ComparisonRow row:
                if (_rows is null)
                {
                    _rows = [];
                    _parts.Add(_rows);
                }
                _rows.Add(row);
                return true;
            case ComparisonSummary:
                return true; // recomputed from the rows
            default:
                return false;
        }
    }

    /// <summary>The HTML document.</summary>
    public string Render(string title) => HtmlReport.Document(title, _parts.Select(Fragment).ToArray());

    private static string Fragment(object part) => part switch
    {
        ReasonResult r => HtmlReport.Fragment(r),
        ComparisonResult c => HtmlReport.Fragment(c),
        HardwareReport h => HtmlReport.Fragment(h),
        List<ComparisonRow> rows => HtmlReport.Fragment(new ComparisonResult("comparison", rows, ComparisonRunner.Summarize(rows))),
        _ => throw new InvalidOperationException($"No view for {part.GetType().Name}."),
    };
}
