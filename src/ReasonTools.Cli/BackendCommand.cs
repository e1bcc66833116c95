using System.CommandLine;
using System.Globalization;
using ReasonTools.Core;
using ReasonTools.Core.Backends;
using ReasonTools.Core.Native;
using ReasonTools.Core.Remote;

namespace ReasonTools.Cli;

/// <summary>
/// <c>reason backend list</c> and <c>reason backend install cuda|vulkan</c>: llama.cpp's GPU builds, installed on
/// demand from the npm registry (they are too large to ship in the packages).
/// </summary>
internal static class BackendCommand
{
    public static Command Create() => Create(Environment.GetEnvironmentVariable);

    internal static Command Create(Func<string, string?> environment)
    {
        var listJson = new Option<bool>("--json") { Description = "Print the builds as JSON: version, runtimeIdentifier, backends (variant, available, installed, folder, selected), notice." };
        var list = new Command("list", "Show the llama.cpp builds installed on this machine and which one would be used.") { listJson };
        list.SetAction(async (parse, ct) =>
        {
            var stdout = CliConsole.Out(parse);
            var stderr = CliConsole.Error(parse);
            try
            {
                var inventory = BackendInventory.Collect();
                await stdout.WriteAsync(parse.GetValue(listJson) ? ReasonJson.Serialize(inventory) + Environment.NewLine : Text(inventory));
                return ExitCodes.Success;
            }
            catch (Exception e)
            {
                return CliErrors.Report(e, stderr);
            }
        });

        var variant = new Argument<string>("variant") { Description = "cuda (CUDA 13, NVIDIA) or vulkan (any Vulkan GPU)." };
        variant.AcceptOnlyFromAmong("cuda", "vulkan");
        var installJson = new Option<bool>("--json") { Description = "Print what was installed as JSON: variant, version, packages, folder, files, bytes." };
        var install = new Command("install", "Download a GPU build of llama.cpp (the pinned release) from the npm registry, check its published SHA-512, and install it where it is found.")
        {
            variant, installJson,
        };
        install.SetAction(async (parse, ct) =>
        {
            var stdout = CliConsole.Out(parse);
            var stderr = CliConsole.Error(parse);
            var chosen = parse.GetValue(variant) == "cuda" ? BackendVariant.Cuda : BackendVariant.Vulkan;
            var settings = RemoteSettings.DefaultPath(environment);
            try
            {
                var registry = NpmRegistry.Locate(environment, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), settings);
                if (registry is null)
                {
                    await stderr.WriteLineAsync($"reason: no npm registry is configured. Set one with `npm config set registry <address>` (it goes into ~/.npmrc), " +
                        $"the npm_config_registry variable, or \"{NpmRegistry.SettingName}\": \"<address>\" in {settings}.");
                    return ExitCodes.BadInput;
                }
                using var installer = new BackendInstaller(registry.Value.Address);
                var installed = await installer.InstallAsync(chosen, new DownloadLines(stderr), ct);
                if (parse.GetValue(installJson))
                {
                    await stdout.WriteLineAsync(ReasonJson.Serialize(installed));
                    return ExitCodes.Success;
                }
                await stdout.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"Installed the {Name(chosen)} build of llama.cpp (node-llama-cpp {installed.Version}, {installed.Files.Count} files, {installed.Bytes / 1e6:F1} MB) in {installed.Folder}"));
                await stdout.WriteAsync(Text(BackendInventory.Collect()));
                return ExitCodes.Success;
            }
            catch (BackendInstallException e)
            {
                var code = e.Failure is BackendInstallFailure.NoRegistry or BackendInstallFailure.InsecureAddress or BackendInstallFailure.NotAvailableHere
                    ? ExitCodes.BadInput : ExitCodes.RuntimeFailure;
                await stderr.WriteLineAsync($"reason: {e.Message}");
                if (e.Failure is BackendInstallFailure.DownloadFailed or BackendInstallFailure.IntegrityMismatch)
                    await stderr.WriteLineAsync($"Run `reason backend install {parse.GetValue(variant)}` again; the CPU build keeps working meanwhile.");
                return code;
            }
            catch (Exception e)
            {
                return CliErrors.Report(e, stderr);
            }
        });

        return new Command("backend", "llama.cpp builds: list what is installed, install a GPU build (CUDA or Vulkan) on demand.") { list, install };
    }

    internal static string Text(BackendInventory inventory)
    {
        var lines = new List<string> { $"llama.cpp builds (node-llama-cpp {inventory.Version}, {inventory.RuntimeIdentifier}):" };
        foreach (var b in inventory.Backends)
        {
            var state = b.Installed ? $"installed  {b.Folder}" : b.Available ? $"not installed (reason backend install {b.Variant.ToString().ToLowerInvariant()})" : "not published for this platform";
            lines.Add($"  {(b.Selected ? "*" : " ")} {Name(b.Variant),-7} {state}");
        }
        lines.Add("  * = the build that would be used now" + (inventory.Notice is null ? "." : $": {inventory.Notice}"));
        return string.Join(Environment.NewLine, lines) + Environment.NewLine;
    }

    private static string Name(BackendVariant variant) => variant switch
    {
        BackendVariant.Cuda => "CUDA",
        BackendVariant.Vulkan => "Vulkan",
        _ => "CPU",
    };

    // One line per package as its download starts; the installer reports every chunk.
    private sealed class DownloadLines(TextWriter stderr) : IProgress<BackendInstallProgress>
    {
        private string? _current;

        public void Report(BackendInstallProgress value)
        {
            if (value.Package == _current) return;
            _current = value.Package;
            var size = value.TotalBytes is { } total ? string.Create(CultureInfo.InvariantCulture, $" ({total / 1e6:F1} MB)") : "";
            stderr.WriteLine($"downloading @node-llama-cpp/{value.Package}{size}…");
        }
    }
}
