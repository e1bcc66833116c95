using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using ReasonTools.Core.Backends;
using ReasonTools.Core.Native;
using ReasonTools.Core.Remote;
using ReasonTools.PowerShell.Internal;

namespace ReasonTools.PowerShell;

/// <summary>Installs a GPU build of llama.cpp (CUDA or Vulkan) from the npm registry, where ReasonTools finds it.</summary>
/// <remarks>
/// <para>The GPU builds are too large to ship in the module, so they are installed on demand: Install-ReasonBackend
/// downloads the build of the same llama.cpp release the module uses (@node-llama-cpp/&lt;platform&gt;-vulkan, or -cuda
/// with its -ext companion) over HTTPS, checks each download against the SHA-512 integrity the registry publishes, and
/// unpacks it into ReasonTools' cache (~/.cache/reasontools/llama/&lt;version&gt;/). Nothing is left half-unpacked
/// when it fails, and an earlier installation stays as it was. npm itself is not needed.</para>
/// <para>The registry is the one npm is configured with ($env:npm_config_registry, or registry= in ~/.npmrc), else
/// "npmRegistry" in the settings file (~/.config/reasontools/settings.json). GPU builds exist for linux-x64 and
/// win-x64. Get-ReasonBackend then shows it, and the next Invoke-Reason uses it when this machine can run it.</para>
/// </remarks>
/// <example>
/// <para>Install the Vulkan build and see which build will be used</para>
/// <code>Install-ReasonBackend -Variant Vulkan; Get-ReasonBackend</code>
/// </example>
/// <example>
/// <para>Install the CUDA build (CUDA 13, NVIDIA driver 580 or newer)</para>
/// <code>Install-ReasonBackend Cuda</code>
/// </example>
[Cmdlet(VerbsLifecycle.Install, "ReasonBackend", SupportsShouldProcess = true)]
[OutputType(typeof(InstalledBackend))]
public sealed class InstallReasonBackendCommand : PSCmdlet, IDisposable
{
    private const string Activity = "Install-ReasonBackend";
    private const int ProgressId = 1;
    private readonly CancellationTokenSource _stopping = new();

    /// <summary>The GPU build to install: Cuda (NVIDIA, CUDA 13) or Vulkan (any GPU with a Vulkan driver).</summary>
    [Parameter(Mandatory = true, Position = 0)]
    [ValidateSet("Cuda", "Vulkan")]
    public string Variant { get; set; } = "";

    /// <summary>Downloads and installs the build, with progress, and writes what was installed.</summary>
    protected override void EndProcessing()
    {
        var variant = Variant.Equals("Cuda", StringComparison.OrdinalIgnoreCase) ? BackendVariant.Cuda : BackendVariant.Vulkan;
        var settings = RemoteSettings.DefaultPath();
        Uri registry;
        try
        {
            registry = NpmRegistry.Locate(Environment.GetEnvironmentVariable, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), settings)?.Address
                ?? throw new BackendInstallException(BackendInstallFailure.NoRegistry, $"No npm registry is configured (npm_config_registry, ~/.npmrc, or \"{NpmRegistry.SettingName}\" in {settings}).");
        }
        catch (BackendInstallException e)
        {
            ThrowTerminatingError(ReasonErrors.ToErrorRecord(e, Variant));
            return;
        }
        var packages = string.Join(" and ", BackendInstaller.Packages(variant, LlamaNativeLibrary.RuntimeIdentifier).Select(p => $"@node-llama-cpp/{p}@{LlamaNativeLibrary.PinnedNpmVersion}"));
        if (!ShouldProcess($"Download {packages} from {registry} into {LlamaNativeLibrary.CacheRoot}.", $"Download {packages} from {registry}?", Activity))
            return;

        InstalledBackend? result = null;
        using (var pump = UpdatePump<InstallUpdate>.Start(token => InstallAsync(registry, variant, token), _stopping.Token))
        {
            try
            {
                foreach (var update in pump.Drain())
                {
                    if (update.Result is not null) result = update.Result;
                    else if (update.Progress is { } p)
                        WriteProgress(new ProgressRecord(ProgressId, Activity, $"Downloading @node-llama-cpp/{p.Package}")
                        {
                            PercentComplete = p.TotalBytes is > 0 ? (int)Math.Min(100, p.BytesDone * 100 / p.TotalBytes.Value) : -1,
                            StatusDescription = p.TotalBytes is { } total ? $"{p.BytesDone / 1e6:F1} of {total / 1e6:F1} MB" : $"{p.BytesDone / 1e6:F1} MB",
                        });
                }
            }
            catch (Exception e) when (e is not PipelineStoppedException)
            {
                WriteProgress(new ProgressRecord(ProgressId, Activity, "Stopped") { RecordType = ProgressRecordType.Completed });
                ThrowTerminatingError(ReasonErrors.ToErrorRecord(e, Variant));
            }
        }
        WriteProgress(new ProgressRecord(ProgressId, Activity, "Done") { RecordType = ProgressRecordType.Completed });
        if (result is not null) WriteObject(result);
    }

    /// <summary>Ctrl+C: stops the download; nothing is installed and an earlier installation stays.</summary>
    protected override void StopProcessing() => _stopping.Cancel();

    /// <summary>Releases the stop token.</summary>
    public void Dispose() => _stopping.Dispose();

    private static async IAsyncEnumerable<InstallUpdate> InstallAsync(Uri registry, BackendVariant variant, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var updates = Channel.CreateUnbounded<InstallUpdate>(new UnboundedChannelOptions { SingleReader = true });
        using var installer = new BackendInstaller(registry);
        var progress = new ImmediateProgress(p => updates.Writer.TryWrite(new InstallUpdate(p, null)));
        var install = Task.Run(async () =>
        {
            try
            {
                var result = await installer.InstallAsync(variant, progress, cancellationToken).ConfigureAwait(false);
                updates.Writer.TryWrite(new InstallUpdate(null, result));
                updates.Writer.TryComplete();
            }
            catch (Exception e)
            {
                updates.Writer.TryComplete(e);
            }
        }, CancellationToken.None);
        // Read without the token: the installer observes it and ends the channel, so it is never disposed mid-download.
        await foreach (var update in updates.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false)) yield return update;
        await install.ConfigureAwait(false);
    }

    private sealed record InstallUpdate(BackendInstallProgress? Progress, InstalledBackend? Result);

    private sealed class ImmediateProgress(Action<BackendInstallProgress> report) : IProgress<BackendInstallProgress>
    {
        public void Report(BackendInstallProgress value) => report(value);
    }
}
