using System.Management.Automation;
using ReasonTools.Core;
using ReasonTools.Core.Hardware;
using ReasonTools.PowerShell.Internal;

namespace ReasonTools.PowerShell;

/// <summary>Describes this machine for local reasoning models, and says whether it can run a given one.</summary>
/// <remarks>
/// <para>Get-ReasonHardware probes the CPU, memory (with container limits), GPUs and memory bandwidth, and judges every
/// DeepSeek-R1-Distill size and quantization of the catalog: where it would run (GPU, partly on the GPU, CPU, or not at
/// all), how much memory it needs and an estimated speed. The result is one HardwareReport; its Models property holds a
/// row per model, and Recommended the best choice for this machine. A probe that cannot run leaves a note; the rest of
/// the report still stands.</para>
/// <para>With -Model the answer is one ModelVerdict for that model: can it run, is it fast enough, the numbers, and what
/// to run instead when it is not.</para>
/// </remarks>
/// <example>
/// <para>What can this machine run?</para>
/// <code>Get-ReasonHardware</code>
/// </example>
/// <example>
/// <para>Can this machine run the 32B model?</para>
/// <code>Get-ReasonHardware -Model 32B</code>
/// <para>Returns a ModelVerdict with Fit (Fits, Slow or DoesNotFit), CanRun, Placement, RequiredGB, AllowedGB, the estimated tokens per second and a
/// one-line Verdict. DraftModel, DraftFits, DraftRequiredGB and DraftTokensPerSecond say whether the family's 1.5B fits beside it as a
/// draft for speculative decoding (both models' weights and KV caches counted) and the speed expected with it.</para>
/// </example>
/// <example>
/// <para>Every model that fits, fastest first</para>
/// <code>(Get-ReasonHardware).Models | Where-Object Fits | Sort-Object EstimatedTokensPerSecond -Descending</code>
/// </example>
[Cmdlet(VerbsCommon.Get, "ReasonHardware", DefaultParameterSetName = ReportSet)]
[OutputType(typeof(HardwareReport), ParameterSetName = [ReportSet])]
[OutputType(typeof(ModelVerdict), ParameterSetName = [ModelSet])]
public sealed class GetReasonHardwareCommand : PSCmdlet, IDisposable
{
    private const string ReportSet = "Report";
    private const string ModelSet = "Model";
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>A catalog model to judge: a size (1.5B, 7B, 8B, 14B, 32B, 70B), a full name or an Ollama tag such as deepseek-r1:32b.</summary>
    [Parameter(Mandatory = true, Position = 0, ParameterSetName = ModelSet)]
    [ArgumentCompleter(typeof(CatalogSizeCompleter))]
    [ValidateNotNullOrEmpty]
    public string Model { get; set; } = "";

    /// <summary>The quantization to judge -Model at, such as Q4_K_M or Q8_0 (a quantization in the model name wins).</summary>
    /// <value>Q4_K_M</value>
    [Parameter(ParameterSetName = ModelSet)]
    [ValidateSet("Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0", "F16")]
    public string? Quantization { get; set; }

    /// <summary>The context size in tokens the verdicts assume; a larger context needs more memory for the KV cache.</summary>
    /// <value>4096</value>
    [Parameter]
    [ValidateRange(256, 1 << 20)]
    public int ContextSize { get; set; } = Core.Inference.ReasonDefaults.ContextSize;

    /// <summary>Probes the machine and writes the report or the verdict.</summary>
    protected override void EndProcessing()
    {
        HardwareProbeResult probe;
        try
        {
            probe = HardwareProbe.CollectDetailedAsync(new HardwareProbeOptions { ContextSize = ContextSize }, _stopping.Token)
                .GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            ThrowTerminatingError(ReasonErrors.ToErrorRecord(e, null));
            return;
        }
        foreach (var note in probe.Report.Notes) WriteVerbose(note);
        if (ParameterSetName == ReportSet)
        {
            WriteObject(probe.Report);
            return;
        }
        try
        {
            WriteObject(ModelVerdict.From(probe.Assess(Model, Quantization)));
        }
        catch (ReasonFailure e)
        {
            ThrowTerminatingError(ReasonErrors.ToErrorRecord(e, Model));
        }
    }

    /// <summary>Ctrl+C: stops the probes.</summary>
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Releases the stop token.</summary>
    public void Dispose() => _stopping.Dispose();
}
