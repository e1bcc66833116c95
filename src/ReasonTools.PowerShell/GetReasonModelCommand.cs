using System.Management.Automation;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Hosting;
using ReasonTools.Core.Models;
using ReasonTools.PowerShell.Internal;

namespace ReasonTools.PowerShell;

/// <summary>Lists the GGUF models found on this machine, and whether each can run here.</summary>
/// <remarks>
/// <para>Get-ReasonModel searches the folders in $env:REASONTOOLS_MODELS and the settings file, ReasonTools' own models
/// folder (where Save-ReasonModel stores), the Hugging Face cache, LM Studio's folders and Ollama's store, and writes one
/// ModelListingEntry per model: its name, quantization, size on disk, where it is and where it came from, and whether
/// this machine can run it (CanRun, Placement, RequiredBytes and an estimated speed). Copies of the same file found
/// twice are listed once.</para>
/// <para>A file that cannot be read or a configured folder that does not exist is a warning; the other models are
/// still listed. -Verbose names every folder searched.</para>
/// <para>Any Name the list shows can be given to -Model of Invoke-Reason and Compare-ReasonModel, as can a catalog size
/// (7b) or an Ollama tag (deepseek-r1:7b).</para>
/// </remarks>
/// <example>
/// <para>Every model found</para>
/// <code>Get-ReasonModel</code>
/// </example>
/// <example>
/// <para>The 7B models that run on this machine, with their files</para>
/// <code>Get-ReasonModel -Name *7B* | Where-Object CanRun | Select-Object Name, Quantization, Path</code>
/// </example>
/// <example>
/// <para>Ask the first model that runs here</para>
/// <code>Get-ReasonModel | Where-Object { $_.IsR1Distill -and $_.CanRun } | Select-Object -First 1 | ForEach-Object { Invoke-Reason 'What is 2^10?' -Model $_.Path }</code>
/// </example>
/// <example>
/// <para>The models loaded in this session, with their memory and idle time</para>
/// <code>Get-ReasonModel -Loaded</code>
/// </example>
[Cmdlet(VerbsCommon.Get, "ReasonModel", DefaultParameterSetName = FoundSet)]
[OutputType(typeof(ModelListingEntry), ParameterSetName = [FoundSet])]
[OutputType(typeof(ResidentModel), ParameterSetName = [LoadedSet])]
public sealed class GetReasonModelCommand : PSCmdlet, IDisposable
{
    private const string FoundSet = "Found";
    private const string LoadedSet = "Loaded";
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// Lists the models loaded in this session instead (kept for their keep-alive after Invoke-Reason and
    /// Compare-ReasonModel): memory, requests in use, idle time and when each unloads. Stop-ReasonModel unloads them.
    /// </summary>
    [Parameter(Mandatory = true, ParameterSetName = LoadedSet)]
    public SwitchParameter Loaded { get; set; }

    /// <summary>
    /// Lists only the models whose name, file name or source name (an Ollama tag, a Hugging Face repository) matches one
    /// of these. Wildcards are allowed; case does not matter.
    /// </summary>
    /// <value>Every model.</value>
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>The context size in tokens that CanRun and RequiredBytes assume; a larger context needs more memory.</summary>
    /// <value>4096</value>
    [Parameter(ParameterSetName = FoundSet)]
    [ValidateRange(256, 1 << 20)]
    public int ContextSize { get; set; } = Core.Inference.ReasonDefaults.ContextSize;

    /// <summary>Searches the model folders, judges each model for this machine and writes the entries.</summary>
    protected override void EndProcessing()
    {
        var patterns = Name.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();
        if (Loaded.IsPresent)
        {
            foreach (var resident in ModelHost.Shared.Resident().Where(r => ModelNameFilter.Matches(r, patterns))) WriteObject(resident);
            return;
        }
        ModelListing listing;
        IReadOnlyList<string> probeNotes;
        try
        {
            var located = ModelLocator.Locate(cancellationToken: _stopping.Token);
            var probe = HardwareProbe.CollectDetailedAsync(new HardwareProbeOptions { ContextSize = ContextSize }, _stopping.Token)
                .GetAwaiter().GetResult();
            listing = ModelListing.Create(located, probe.Profile, new FitOptions { ContextSize = ContextSize });
            probeNotes = probe.Report.Notes;
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            ThrowTerminatingError(ReasonErrors.ToErrorRecord(e, null));
            return;
        }
        foreach (var folder in listing.Searched) WriteVerbose($"Searched {folder}");
        foreach (var note in probeNotes) WriteVerbose(note);
        foreach (var warning in listing.Warnings) WriteWarning(warning);
        foreach (var entry in listing.Models.Where(e => ModelNameFilter.Matches(e, patterns))) WriteObject(entry);
    }

    /// <summary>Ctrl+C: stops the search.</summary>
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Releases the stop token.</summary>
    public void Dispose() => _stopping.Dispose();
}
