using System.Text.Json;
using ReasonTools.Core.Native;
using ReasonTools.Testing;

namespace ReasonTools.Cli.Tests;

/// <summary><c>reason backend install|list</c> against a loopback stand-in for the npm registry.</summary>
public sealed class BackendCommandTests : IDisposable
{
    private static readonly string[] VulkanLibraries = ["libllama.vulkan.v0.4.0.so", "libggml.vulkan.v0.4.0.so", "libggml-base.so", "libggml-vulkan.so"];
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("reasontools-backend-cli-");

    public void Dispose() => _home.Delete(recursive: true);

    private string Cache => Path.Combine(_home.FullName, "cache");

    private Dictionary<string, string?> Environment(Uri? registry) => new()
    {
        ["REASONTOOLS_NATIVE_CACHE"] = Cache,
        ["REASONTOOLS_SETTINGS"] = Path.Combine(_home.FullName, "settings.json"),
        ["HOME"] = _home.FullName,
        ["npm_config_registry"] = registry?.ToString(),
        ["NPM_CONFIG_REGISTRY"] = null,
        ["NPM_CONFIG_USERCONFIG"] = null,
        ["REASONTOOLS_LLAMA_VARIANT"] = null,
    };

    [Fact]
    public void Install_vulkan_puts_the_build_where_the_resolver_reports_it()
    {
        var tarball = NpmRegistryStandIn.Package("linux-x64-vulkan", VulkanLibraries);
        using var server = NpmRegistryStandIn.Serve(new() { ["linux-x64-vulkan"] = (tarball, NpmRegistryStandIn.Integrity(tarball)) });

        var install = ReasonCli.Run("backend install vulkan", environment: Environment(server.BaseUri));
        Assert.True(install.ExitCode == 0, install.Stderr);
        var folder = Path.Combine(Cache, "llama", LlamaNativeLibrary.PinnedNpmVersion, "linux-x64-vulkan");
        Assert.Contains($"Installed the Vulkan build of llama.cpp (node-llama-cpp {LlamaNativeLibrary.PinnedNpmVersion}, 4 files", install.Stdout);
        Assert.Contains("downloading @node-llama-cpp/linux-x64-vulkan", install.Stderr);

        var list = ReasonCli.Run("backend list --json", environment: Environment(null));
        Assert.Equal(0, list.ExitCode);
        var vulkan = JsonDocument.Parse(list.Stdout).RootElement.GetProperty("backends").EnumerateArray()
            .Single(b => b.GetProperty("variant").GetString() == "vulkan");
        Assert.True(vulkan.GetProperty("installed").GetBoolean());
        Assert.Equal(folder, vulkan.GetProperty("folder").GetString());
    }

    [Fact]
    public void A_bad_hash_is_refused_with_a_clear_error_and_nothing_installed()
    {
        var tarball = NpmRegistryStandIn.Package("linux-x64-vulkan", VulkanLibraries);
        using var server = NpmRegistryStandIn.Serve(new() { ["linux-x64-vulkan"] = (tarball, NpmRegistryStandIn.Integrity([1, 2, 3])) });

        var install = ReasonCli.Run("backend install vulkan", environment: Environment(server.BaseUri));

        Assert.Equal(3, install.ExitCode);
        Assert.Contains("SHA-512", install.Stderr);
        Assert.Contains("nothing was installed", install.Stderr);
        var version = Path.Combine(Cache, "llama", LlamaNativeLibrary.PinnedNpmVersion);
        Assert.Empty(Directory.Exists(version) ? Directory.GetDirectories(version) : []);
        var list = ReasonCli.Run("backend list", environment: Environment(null));
        Assert.Matches(@"Vulkan\s+not installed", list.Stdout);
    }

    [Fact]
    public void Without_a_configured_registry_it_says_where_to_set_one()
    {
        var install = ReasonCli.Run("backend install cuda", environment: Environment(null));
        Assert.Equal(1, install.ExitCode);
        Assert.Contains("no npm registry is configured", install.Stderr);
        Assert.Contains("npmRegistry", install.Stderr);
    }
}
