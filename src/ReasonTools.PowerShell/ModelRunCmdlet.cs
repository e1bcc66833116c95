using System.Management.Automation;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Inference.Speculative;
using ReasonTools.PowerShell.Internal;

namespace ReasonTools.PowerShell;

/// <summary>
/// The settings every cmdlet that runs a model shares, and the plumbing they share: a stop token for
/// StopProcessing and the pump that carries the core's updates to the pipeline thread.
/// </summary>
public abstract class ModelRunCmdlet : PSCmdlet, IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>
    /// <para>The most tokens to generate, reasoning chain and answer together. When the limit is reached the result's
    /// FinishReason is Length.</para>
    /// </summary>
    /// <value>What the context leaves after the prompt.</value>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int? MaxTokens { get; set; }

    /// <summary>The context window in tokens: the prompt and everything generated must fit in it.</summary>
    /// <value>4096</value>
    [Parameter]
    [ValidateRange(256, 1 << 20)]
    public int ContextSize { get; set; } = ReasonDefaults.ContextSize;

    /// <summary>Sampling temperature; 0 always picks the most likely token. DeepSeek advises 0.6 for R1 models.</summary>
    /// <value>0.6</value>
    [Parameter]
    [ValidateRange(0.0f, ReasonDefaults.MaxTemperature)]
    public float Temperature { get; set; } = ReasonDefaults.Temperature;

    /// <summary>Nucleus sampling: only the most likely tokens that together hold this share of the probability are sampled. DeepSeek advises 0.95 for R1 models.</summary>
    /// <value>0.95</value>
    [Parameter]
    [ValidateRange(0.0f, 1.0f)]
    public float TopP { get; set; } = ReasonDefaults.TopP;

    /// <summary>Seed for the sampler, so that a run can be repeated exactly. The seed used is in the result's Settings.</summary>
    /// <value>A random seed.</value>
    [Parameter]
    public uint? Seed { get; set; }

    /// <summary>CPU threads for prompt processing and generation.</summary>
    /// <value>The logical cores, shared with other generations running on this machine (a share each).</value>
    [Parameter]
    [ValidateRange(1, 4096)]
    public int? Threads { get; set; }

    /// <summary>
    /// Model layers to offload to a GPU: auto offloads as many as fit (from the fit estimate, as reason run does), 0 keeps
    /// the model on the CPU, -1 offloads every layer. The count used is in the result's Settings.
    /// </summary>
    /// <value>auto</value>
    [Parameter]
    [GpuLayersTransformation]
    [ArgumentCompleter(typeof(GpuLayersCompleter))]
    public GpuLayerSetting GpuLayers { get; set; } = ReasonDefaults.GpuLayers;

    /// <summary>
    /// How long the model stays loaded in this session after the command, so that the next command on it starts at once:
    /// a duration such as 5m, 30s or 1h30m, a number of seconds, or a TimeSpan. 0 unloads it when the command ends; a
    /// negative value keeps it until Stop-ReasonModel. Get-ReasonModel -Loaded lists what is loaded.
    /// </summary>
    /// <value>5 minutes, or the settings file's keepAlive.</value>
    [Parameter]
    [KeepAliveTransformation]
    public TimeSpan? KeepAlive { get; set; }

    /// <summary>
    /// Speculative decoding: Auto uses the smallest local model with the same vocabulary that is at least 4 times smaller,
    /// when both fit; None decodes plainly; NGram drafts from earlier text of the prompt and the chain (no second model);
    /// anything else is a draft model's path or name. The result's Timings carry DraftModel, DraftedTokens and
    /// AcceptedDraftTokens.
    /// </summary>
    /// <value>Auto</value>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string Draft { get; set; } = "Auto";

    /// <summary>Cancelled by StopProcessing (Ctrl+C).</summary>
    private protected CancellationToken StopToken => _stopping.Token;

    private protected EngineOptions EngineOptions() => new() { ContextSize = ContextSize, Threads = Threads, GpuLayers = GpuLayers.Count, Draft = DraftChoice.Parse(Draft) };

    private protected ReasonRequest SamplingRequest() => new() { MaxTokens = MaxTokens, Temperature = Temperature, TopP = TopP, Seed = Seed };

    /// <summary>A path as PowerShell sees it (relative to the current location, PSDrives allowed) as a file-system path.</summary>
    private protected string ProviderPath(string path) => SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    /// <summary>Writes a progress record for <paramref name="state"/> under <paramref name="activityId"/>.</summary>
    private protected void WriteProgressState(int activityId, string activity, ProgressState state, int parentId = -1) =>
        WriteProgress(new ProgressRecord(activityId, activity, state.Status)
        {
            PercentComplete = state.PercentComplete,
            ParentActivityId = parentId,
        });

    /// <summary>Closes a progress bar.</summary>
    private protected void CompleteProgress(int activityId, string activity) =>
        WriteProgress(new ProgressRecord(activityId, activity, "Done") { RecordType = ProgressRecordType.Completed });

    /// <summary>A session's runspaces may run these cmdlets at once: their calls share a resident model's batch.</summary>
    protected override void BeginProcessing()
    {
        Core.Hosting.ModelHost.Shared.ServesConcurrentCallers = true;
        base.BeginProcessing();
    }

    /// <summary>Ctrl+C: cancels the running core operation; generation stops within one token.</summary>
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Releases the stop token.</summary>
    public void Dispose()
    {
        _stopping.Dispose();
        GC.SuppressFinalize(this);
    }
}
