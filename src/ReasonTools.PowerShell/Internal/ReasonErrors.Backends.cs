using System.Management.Automation;
using ReasonTools.Core.Backends;

namespace ReasonTools.PowerShell.Internal;

internal static partial class ReasonErrors
{
    private static ErrorSpec BackendInstallFailed(BackendInstallException e) => e.Failure switch
    {
        BackendInstallFailure.NoRegistry => new("NpmRegistryNotConfigured", ErrorCategory.NotSpecified, e.Message,
            $"Set the registry with 'npm config set registry <address>' (it goes into ~/.npmrc), $env:npm_config_registry, or \"{NpmRegistry.SettingName}\" in the settings file."),
        BackendInstallFailure.InsecureAddress => new("InsecureRegistry", ErrorCategory.SecurityError, e.Message,
            "Configure an https:// address for the npm registry."),
        BackendInstallFailure.NotAvailableHere => new("BackendNotAvailable", ErrorCategory.NotImplemented, e.Message,
            "Keep the default build (Get-ReasonBackend shows it); GPU builds are published for Linux x64 and Windows x64."),
        BackendInstallFailure.NotPublished => new("BackendNotPublished", ErrorCategory.ObjectNotFound, e.Message,
            "Check that the configured npm registry mirrors the @node-llama-cpp packages, then run Install-ReasonBackend again."),
        BackendInstallFailure.IntegrityMismatch => new("BackendIntegrityMismatch", ErrorCategory.InvalidResult, e.Message,
            "Nothing was installed: run Install-ReasonBackend again; if it keeps failing, the registry or a proxy alters the download."),
        BackendInstallFailure.InvalidPackage => new("BackendPackageInvalid", ErrorCategory.InvalidData, e.Message,
            "Nothing was installed: check that the registry serves the original @node-llama-cpp packages."),
        _ => new("BackendDownloadFailed", ErrorCategory.ConnectionError, e.Message,
            "Check the network connection and run Install-ReasonBackend again; the default build keeps working meanwhile."),
    };
}
