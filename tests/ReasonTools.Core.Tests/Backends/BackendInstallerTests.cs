using System.Security.Cryptography;
using ReasonTools.Core.Backends;
using ReasonTools.Core.Native;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Backends;

/// <summary>GPU builds installed from a loopback stand-in for the npm registry: the good case and each way it goes wrong.</summary>
public sealed class BackendInstallerTests : IDisposable
{
    private readonly DirectoryInfo _cache = Directory.CreateTempSubdirectory("reasontools-backend-");
    private static string Version => LlamaNativeLibrary.PinnedNpmVersion;

    public void Dispose() => _cache.Delete(recursive: true);

    private static readonly string[] VulkanLibraries = ["libllama.vulkan.v0.4.0.so", "libggml.vulkan.v0.4.0.so", "libggml-base.so", "libggml-vulkan.so", "libggml-cpu-haswell.so"];

    private string Base => Path.Combine(_cache.FullName, "llama", Version);

    private void AssertNothingHalfUnpacked()
    {
        Assert.Empty(Directory.Exists(Base) ? Directory.GetDirectories(Base, ".install.*") : []);
    }

    [Fact]
    public async Task A_published_build_is_checked_and_unpacked_where_the_resolver_looks()
    {
        var tarball = NpmRegistryStandIn.Package("linux-x64-vulkan", VulkanLibraries);
        using var server = NpmRegistryStandIn.Serve(new() { ["linux-x64-vulkan"] = (tarball, NpmRegistryStandIn.Integrity(tarball)) });
        using var installer = new BackendInstaller(server.BaseUri);
        var progress = new List<BackendInstallProgress>();

        var installed = await installer.InstallAsync(BackendVariant.Vulkan, new SynchronousProgress<BackendInstallProgress>(progress.Add), cacheRoot: _cache.FullName, runtimeIdentifier: "linux-x64");

        // The cache folder the resolver searches for the Vulkan build: <cache>/llama/<version>/<package>-vulkan.
        Assert.Equal(Path.Combine(Base, LlamaNativeLibrary.NpmPackage("linux-x64") + "-vulkan"), installed.Folder);
        Assert.Equal(VulkanLibraries.Order(StringComparer.Ordinal), installed.Files);
        Assert.Equal(Path.Combine(installed.Folder, "libllama.vulkan.v0.4.0.so"), LlamaNativeLibrary.FindFile(installed.Folder, "llama"));
        Assert.False(File.Exists(Path.Combine(installed.Folder, "_nlcBuildMetadata.json")));
        Assert.Equal([$"@node-llama-cpp/linux-x64-vulkan@{Version}"], installed.Packages);
        Assert.Equal(tarball.Length, progress[^1].BytesDone);
        AssertNothingHalfUnpacked();
    }

    [Fact]
    public async Task The_cuda_build_brings_its_ext_companion_into_the_same_folder()
    {
        var main = NpmRegistryStandIn.Package("linux-x64-cuda", "libllama.cuda.v0.4.0.so", "libggml.cuda.v0.4.0.so", "libggml-base.so");
        var ext = NpmRegistryStandIn.Package("linux-x64-cuda-ext", "libggml-cuda.so");
        using var server = NpmRegistryStandIn.Serve(new() { ["linux-x64-cuda"] = (main, NpmRegistryStandIn.Integrity(main)), ["linux-x64-cuda-ext"] = (ext, NpmRegistryStandIn.Integrity(ext)) });
        using var installer = new BackendInstaller(server.BaseUri);

        var installed = await installer.InstallAsync(BackendVariant.Cuda, cacheRoot: _cache.FullName, runtimeIdentifier: "linux-x64");

        Assert.Contains("libggml-cuda.so", installed.Files);
        Assert.Contains("libllama.cuda.v0.4.0.so", installed.Files);
        Assert.EndsWith("linux-x64-cuda", installed.Folder);
    }

    [Fact]
    public async Task A_download_that_does_not_match_the_published_hash_is_refused_and_leaves_nothing()
    {
        var tarball = NpmRegistryStandIn.Package("linux-x64-vulkan", VulkanLibraries);
        using var server = NpmRegistryStandIn.Serve(new() { ["linux-x64-vulkan"] = (tarball, NpmRegistryStandIn.Integrity(NpmRegistryStandIn.Package("linux-x64-vulkan", "other.so"))) });
        using var installer = new BackendInstaller(server.BaseUri);

        var e = await Assert.ThrowsAsync<BackendInstallException>(() => installer.InstallAsync(BackendVariant.Vulkan, cacheRoot: _cache.FullName, runtimeIdentifier: "linux-x64"));

        Assert.Equal(BackendInstallFailure.IntegrityMismatch, e.Failure);
        Assert.Contains("SHA-512", e.Message);
        Assert.False(Directory.Exists(Path.Combine(Base, "linux-x64-vulkan")));
        AssertNothingHalfUnpacked();
    }

    [Fact]
    public async Task A_failed_reinstall_keeps_the_earlier_installation()
    {
        var tarball = NpmRegistryStandIn.Package("linux-x64-vulkan", VulkanLibraries);
        using (var good = NpmRegistryStandIn.Serve(new() { ["linux-x64-vulkan"] = (tarball, NpmRegistryStandIn.Integrity(tarball)) }))
        using (var installer = new BackendInstaller(good.BaseUri))
            await installer.InstallAsync(BackendVariant.Vulkan, cacheRoot: _cache.FullName, runtimeIdentifier: "linux-x64");

        using var bad = NpmRegistryStandIn.Serve(new() { ["linux-x64-vulkan"] = (NpmRegistryStandIn.Package("linux-x64-vulkan", "libllama.so"), NpmRegistryStandIn.Integrity(tarball)) });
        using var again = new BackendInstaller(bad.BaseUri);
        await Assert.ThrowsAsync<BackendInstallException>(() => again.InstallAsync(BackendVariant.Vulkan, cacheRoot: _cache.FullName, runtimeIdentifier: "linux-x64"));

        Assert.Equal(VulkanLibraries.Order(StringComparer.Ordinal),
            Directory.GetFiles(Path.Combine(Base, "linux-x64-vulkan")).Select(Path.GetFileName).Where(f => f != ".complete").Order(StringComparer.Ordinal));
        AssertNothingHalfUnpacked();
    }

    [Fact]
    public async Task A_cut_download_is_a_download_failure_and_leaves_nothing()
    {
        var tarball = NpmRegistryStandIn.Package("linux-x64-vulkan", VulkanLibraries);
        using var server = NpmRegistryStandIn.Serve(new() { ["linux-x64-vulkan"] = (tarball, NpmRegistryStandIn.Integrity(tarball)) }, dropAfter: tarball.Length / 2);
        using var installer = new BackendInstaller(server.BaseUri);

        var e = await Assert.ThrowsAsync<BackendInstallException>(() => installer.InstallAsync(BackendVariant.Vulkan, cacheRoot: _cache.FullName, runtimeIdentifier: "linux-x64"));

        Assert.Equal(BackendInstallFailure.DownloadFailed, e.Failure);
        Assert.Contains("cut", e.Message);
        Assert.False(Directory.Exists(Path.Combine(Base, "linux-x64-vulkan")));
        AssertNothingHalfUnpacked();
    }

    [Fact]
    public async Task A_package_the_registry_does_not_have_is_not_published()
    {
        using var server = NpmRegistryStandIn.Serve([]);
        using var installer = new BackendInstaller(server.BaseUri);

        var e = await Assert.ThrowsAsync<BackendInstallException>(() => installer.InstallAsync(BackendVariant.Vulkan, cacheRoot: _cache.FullName, runtimeIdentifier: "linux-x64"));

        Assert.Equal(BackendInstallFailure.NotPublished, e.Failure);
        Assert.Contains($"@node-llama-cpp/linux-x64-vulkan at version {Version}", e.Message);
        AssertNothingHalfUnpacked();
    }

    [Fact]
    public async Task Platforms_without_gpu_builds_and_plain_http_registries_are_refused_before_any_download()
    {
        using var installer = new BackendInstaller(new Uri("http://registry.invalid/"));
        var mac = await Assert.ThrowsAsync<BackendInstallException>(() => installer.InstallAsync(BackendVariant.Cuda, cacheRoot: _cache.FullName, runtimeIdentifier: "osx-arm64"));
        Assert.Equal(BackendInstallFailure.NotAvailableHere, mac.Failure);
        var http = await Assert.ThrowsAsync<BackendInstallException>(() => installer.InstallAsync(BackendVariant.Vulkan, cacheRoot: _cache.FullName, runtimeIdentifier: "win-x64"));
        Assert.Equal(BackendInstallFailure.InsecureAddress, http.Failure);
        Assert.Equal(["win-x64-cuda", "win-x64-cuda-ext"], BackendInstaller.Packages(BackendVariant.Cuda, "win-x64"));
    }

    [Fact]
    public void Only_the_sha512_part_of_an_integrity_string_is_used()
    {
        var digest = SHA512.HashData("x"u8);
        Assert.Equal(digest, BackendInstaller.ParseSha512($"sha1-AAAA sha512-{Convert.ToBase64String(digest)}"));
        Assert.Null(BackendInstaller.ParseSha512("sha1-AAAA"));
        Assert.Null(BackendInstaller.ParseSha512(null));
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
