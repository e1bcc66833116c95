using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;
using ReasonTools.PowerShell.Internal;

namespace ReasonTools.PowerShell;

/// <summary>Downloads a DeepSeek-R1-Distill model of the catalog from Hugging Face, so that it can be run by name.</summary>
/// <remarks>
/// <para>Save-ReasonModel downloads every file of the model in the asked quantization into ReasonTools' models folder
/// (or -Path), checks each file's SHA-256 against the repository, and writes a DownloadedModel whose Path is the file to
/// give to -Model. A model that is already there is not downloaded again. Invoke-Reason and Compare-ReasonModel then
/// find it by size (-Model 7b), and Get-ReasonModel lists it.</para>
/// <para>Progress shows the bytes done, the speed and the time left. Ctrl+C stops the download; the partial file is
/// kept, and the next Save-ReasonModel of the same model resumes it. Before downloading, the free disk space is
/// checked.</para>
/// <para>Downloads come from $env:HF_ENDPOINT when it is set (a mirror), else https://huggingface.co; $env:HF_TOKEN is
/// sent for gated repositories.</para>
/// </remarks>
/// <example>
/// <para>Download the 7B model (Q4_K_M)</para>
/// <code>Save-ReasonModel -Model 7B</code>
/// </example>
/// <example>
/// <para>Download the 1.5B model at 8 bits into a folder of your own, then ask it</para>
/// <code>$m = Save-ReasonModel 1.5B -Quantization Q8_0 -Path ./models; Invoke-Reason 'Is 1001 prime?' -Model $m.Path</code>
/// </example>
/// <example>
/// <para>See what would be downloaded, and how large it is</para>
/// <code>Save-ReasonModel -Model deepseek-r1:14b -WhatIf</code>
/// </example>
[Cmdlet(VerbsData.Save, "ReasonModel", SupportsShouldProcess = true)]
[OutputType(typeof(DownloadedModel))]
public sealed class SaveReasonModelCommand : PSCmdlet, IDisposable
{
    private const string Activity = "Save-ReasonModel";
    private const int ProgressId = 1;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The catalog model to download: a size (1.5B, 7B, 8B, 14B, 32B, 70B), a full name or an Ollama tag such as deepseek-r1:7b.</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(CatalogSizeCompleter))]
    [ValidateNotNullOrEmpty]
    public string Model { get; set; } = "";

    /// <summary>The quantization to download; smaller ones (Q4_K_M) need less memory, larger ones (Q8_0, F16) lose less quality.</summary>
    /// <value>Q4_K_M, or the quantization the model name includes.</value>
    [Parameter]
    [ValidateSet("Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0", "F16")]
    public string? Quantization { get; set; }

    /// <summary>The folder to download into. Add it to $env:REASONTOOLS_MODELS so that its models are found by name.</summary>
    /// <value>ReasonTools' models folder: ~/.local/share/reasontools/models on Linux, %LOCALAPPDATA%\ReasonTools\models on Windows.</value>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>Downloads the model, with progress, and writes where it is.</summary>
    protected override void EndProcessing()
    {
        CatalogModel model;
        CatalogFile file;
        string folder;
        try
        {
            (model, file) = ModelDownloader.SelectFile(Model, Quantization);
            folder = Path is null ? ModelEnvironment.Current.DefaultModelFolder : SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
        }
        catch (Exception e) when (e is not PipelineStoppedException)
        {
            ThrowTerminatingError(ReasonErrors.ToErrorRecord(e, Model));
            return;
        }

        var what = $"{model.Name} {file.Quantization} ({ReasonTools.Reports.ReportFormat.Bytes(file.SizeBytes)}, {file.FileNames.Count} file{(file.FileNames.Count > 1 ? "s" : "")} from {file.Repository})";
        if (!ShouldProcess($"Download {what} into {folder}.", $"Download {what} into {folder}?", Activity))
            return;

        DownloadedModel? result = null;
        using (var pump = UpdatePump<PullUpdate>.Start(token => PullAsync(model, file, folder, token), _stopping.Token))
        {
            try
            {
                foreach (var update in pump.Drain())
                {
                    if (update.Result is not null) result = update.Result;
                    else if (update.Progress is { } progress) WriteProgress(DownloadProgressRecord.Create(ProgressId, Activity, progress));
                }
            }
            catch (Exception e) when (e is not PipelineStoppedException)
            {
                WriteProgress(new ProgressRecord(ProgressId, Activity, "Stopped") { RecordType = ProgressRecordType.Completed });
                ThrowTerminatingError(ReasonErrors.ToErrorRecord(e, model.Name));
            }
        }
        WriteProgress(new ProgressRecord(ProgressId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
        if (result is null) return;
        if (result.AlreadyPresent) WriteVerbose($"{model.Name} {file.Quantization} is already in {folder}; nothing was downloaded.");
        WriteObject(result);
    }

    /// <summary>Ctrl+C: stops the download; the partial file is kept so that the next run resumes it.</summary>
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Releases the stop token.</summary>
    public void Dispose() => _stopping.Dispose();

    // The download's progress reports and its result as one stream, so that UpdatePump carries them to the pipeline thread.
    private static async IAsyncEnumerable<PullUpdate> PullAsync(CatalogModel model, CatalogFile file, string folder,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var updates = Channel.CreateUnbounded<PullUpdate>(new UnboundedChannelOptions { SingleReader = true });
        using var downloader = new ModelDownloader(DownloadOptions.FromEnvironment(ModelEnvironment.Current));
        var progress = new ImmediateProgress(p => updates.Writer.TryWrite(new PullUpdate(p, null)));
        var pull = Task.Run(async () =>
        {
            try
            {
                var result = await downloader.PullAsync(model, file, folder, progress, cancellationToken).ConfigureAwait(false);
                updates.Writer.TryWrite(new PullUpdate(null, result));
                updates.Writer.TryComplete();
            }
            catch (Exception e)
            {
                updates.Writer.TryComplete(e);
            }
        }, CancellationToken.None);
        // Read without the token: the download observes it and ends the channel, so the downloader is never disposed mid-write.
        await foreach (var update in updates.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false)) yield return update;
        await pull.ConfigureAwait(false);
    }

    private sealed record PullUpdate(DownloadProgress? Progress, DownloadedModel? Result);

    // Progress<T> would post to a synchronization context; this reports on the downloader's own thread.
    private sealed class ImmediateProgress(Action<DownloadProgress> report) : IProgress<DownloadProgress>
    {
        public void Report(DownloadProgress value) => report(value);
    }
}
