using System.Management.Automation;
using ReasonTools.Core.Backends;
using ReasonTools.PowerShell.Internal;

namespace ReasonTools.PowerShell;

/// <summary>Shows the llama.cpp builds on this machine (CPU, CUDA, Vulkan) and which one would be used.</summary>
/// <remarks>
/// <para>One BackendStatus per build: Available (llama.cpp publishes it for this platform), Installed and its Folder,
/// and Selected (the build the next Invoke-Reason loads). Why a GPU build is not selected (no GPU, a driver too old)
/// is written as a verbose message. Install a GPU build with Install-ReasonBackend; $env:REASONTOOLS_LLAMA_VARIANT
/// (cpu, cuda, vulkan) asks for one.</para>
/// </remarks>
/// <example>
/// <para>Which build would be used, and why</para>
/// <code>Get-ReasonBackend -Verbose</code>
/// </example>
/// <example>
/// <para>The installed GPU builds</para>
/// <code>Get-ReasonBackend | Where-Object { $_.Installed -and $_.Variant -ne 'Default' }</code>
/// </example>
[Cmdlet(VerbsCommon.Get, "ReasonBackend")]
[OutputType(typeof(BackendStatus))]
public sealed class GetReasonBackendCommand : PSCmdlet
{
    /// <summary>Writes one BackendStatus per build.</summary>
    protected override void EndProcessing()
    {
        BackendInventory inventory;
        try
        {
            inventory = BackendInventory.Collect();
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            ThrowTerminatingError(ReasonErrors.ToErrorRecord(e, null));
            return;
        }
        WriteVerbose($"node-llama-cpp {inventory.Version} for {inventory.RuntimeIdentifier}." + (inventory.Notice is null ? "" : " " + inventory.Notice));
        foreach (var backend in inventory.Backends) WriteObject(backend);
    }
}
