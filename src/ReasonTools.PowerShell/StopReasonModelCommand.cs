using System.Management.Automation;
using ReasonTools.Core.Hosting;
using ReasonTools.PowerShell.Internal;

namespace ReasonTools.PowerShell;

/// <summary>Unloads models kept loaded in this session, freeing their memory.</summary>
/// <remarks>
/// <para>Invoke-Reason and Compare-ReasonModel keep a model loaded for its keep-alive (5 minutes unless -KeepAlive or
/// the settings file's keepAlive says otherwise), so the next command on it starts at once. Stop-ReasonModel unloads
/// them now: an idle model at once, a model still answering when its request ends.</para>
/// </remarks>
/// <example>
/// <para>Unload every loaded model</para>
/// <code>Stop-ReasonModel</code>
/// </example>
/// <example>
/// <para>Unload the 7B models and see what was unloaded</para>
/// <code>Get-ReasonModel -Loaded | Where-Object Name -like '*7B*' | Stop-ReasonModel -PassThru</code>
/// </example>
[Cmdlet(VerbsLifecycle.Stop, "ReasonModel", SupportsShouldProcess = true)]
[OutputType(typeof(ResidentModel))]
public sealed class StopReasonModelCommand : PSCmdlet
{
    private readonly List<WildcardPattern> _patterns = [];
    private bool _named;

    /// <summary>The loaded models to unload, by name or file name; wildcards allowed. Models from Get-ReasonModel -Loaded bind by Name.</summary>
    /// <value>Every loaded model.</value>
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = [];

    /// <summary>Writes the models that were unloaded (or will be, when their request ends).</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Gathers the names (piped models one by one).</summary>
    protected override void ProcessRecord()
    {
        _named |= Name.Length > 0;
        _patterns.AddRange(Name.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)));
    }

    /// <summary>Unloads what the names select.</summary>
    protected override void EndProcessing()
    {
        var host = ModelHost.Shared;
        var selected = host.Resident().Where(r => ModelNameFilter.Matches(r, _patterns)).ToList();
        if (_named && selected.Count == 0)
        {
            WriteError(ReasonErrors.Create(new ErrorSpec("ModelNotLoaded", ErrorCategory.ObjectNotFound,
                $"No loaded model matches {string.Join(", ", Name)}.", "Get-ReasonModel -Loaded lists the loaded models."), null, Name));
            return;
        }
        var paths = selected.Where(r => ShouldProcess(r.Path, "Unload")).Select(r => r.Path).ToHashSet(StringComparer.Ordinal);
        var unloaded = host.Unload(r => paths.Contains(r.Path));
        foreach (var model in unloaded.Where(m => m.InUse > 0))
            WriteVerbose($"{model.Name} is answering a request; it unloads when the request ends.");
        if (PassThru.IsPresent) WriteObject(unloaded, enumerateCollection: true);
    }
}
