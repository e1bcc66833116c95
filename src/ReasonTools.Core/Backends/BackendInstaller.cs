using System.Formats.Tar;
using System.IO.Compression;
using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Serialization;
using ReasonTools.Core.Native;

namespace ReasonTools.Core.Backends;

/// <summary>Why a GPU build could not be installed; each front words it and says what to do.</summary>
public enum BackendInstallFailure
{
    /// <summary>No registry address in the npm configuration or the settings file.</summary>
    NoRegistry,
    /// <summary>The registry or the package's download address is neither HTTPS nor this machine.</summary>
    InsecureAddress,
    /// <summary>llama.cpp publishes no such build for this platform (GPU builds: linux-x64 and win-x64).</summary>
    NotAvailableHere,
    /// <summary>The registry does not have the package at the pinned version (HTTP 404).</summary>
    NotPublished,
    /// <summary>The registry could not be reached, answered with an error, or the download was cut.</summary>
    DownloadFailed,
    /// <summary>The download's SHA-512 differs from the integrity the registry publishes, or none is published.</summary>
    IntegrityMismatch,
    /// <summary>The package unpacked but holds no llama.cpp library, or is not a gzip'd tar.</summary>
    InvalidPackage,
}

/// <summary>A GPU build that could not be installed; nothing of it is left in the cache.</summary>
public sealed class BackendInstallException(BackendInstallFailure failure, string message, Exception? inner = null) : IOException(message, inner)
{
    public BackendInstallFailure Failure { get; } = failure;
}

/// <summary>Bytes of one package downloaded so far.</summary>
public sealed record BackendInstallProgress(string Package, long BytesDone, long? TotalBytes);

/// <summary>What an installation left: the build, its npm packages, the folder the resolver loads it from.</summary>
public sealed record InstalledBackend([property: JsonConverter(typeof(CamelCaseEnumConverter<BackendVariant>))] BackendVariant Variant, string Version, IReadOnlyList<string> Packages, string Folder, IReadOnlyList<string> Files, long Bytes);

/// <summary>
/// Installs a GPU build of the pinned llama.cpp release on demand: downloads @node-llama-cpp/&lt;platform&gt;-cuda
/// (with its -ext companion) or -vulkan from the npm registry over HTTPS without npm, checks each tarball against the
/// registry's published SHA-512 integrity, and unpacks the libraries into the download cache folder the resolver looks
/// in (&lt;cache&gt;/llama/&lt;version&gt;/&lt;package&gt;). Everything is staged in a private folder and renamed into
/// place in one step, so a failure leaves nothing half-unpacked and an earlier installation intact.
/// </summary>
public sealed class BackendInstaller(Uri registry, HttpClient? http = null) : IDisposable
{
    private readonly HttpClient _http = http ?? new HttpClient(new SocketsHttpHandler { UseProxy = true, ConnectTimeout = TimeSpan.FromSeconds(30) });
    private readonly bool _ownsHttp = http is null;

    /// <summary>The GPU builds llama.cpp publishes for a runtime identifier (none outside linux-x64 and win-x64).</summary>
    public static IReadOnlyList<BackendVariant> Available(string runtimeIdentifier) =>
        runtimeIdentifier is "linux-x64" or "win-x64" ? [BackendVariant.Cuda, BackendVariant.Vulkan] : [];

    /// <summary>The npm packages of a GPU build for a runtime identifier: linux-x64-vulkan; linux-x64-cuda and linux-x64-cuda-ext.</summary>
    public static IReadOnlyList<string> Packages(BackendVariant variant, string runtimeIdentifier)
    {
        var package = LlamaNativeLibrary.NpmPackage(runtimeIdentifier) + "-" + variant.ToString().ToLowerInvariant();
        return variant == BackendVariant.Cuda ? [package, package + "-ext"] : [package];
    }

    /// <summary>Installs <paramref name="variant"/> for this machine into <paramref name="cacheRoot"/> (the resolver's by default).</summary>
    /// <exception cref="BackendInstallException">Nothing was installed; <see cref="BackendInstallException.Failure"/> says why.</exception>
    public async Task<InstalledBackend> InstallAsync(BackendVariant variant, IProgress<BackendInstallProgress>? progress = null,
        CancellationToken cancellationToken = default, string? cacheRoot = null, string? runtimeIdentifier = null)
    {
        var rid = runtimeIdentifier ?? LlamaNativeLibrary.RuntimeIdentifier;
        var version = LlamaNativeLibrary.PinnedNpmVersion;
        if (!Available(rid).Contains(variant))
            throw new BackendInstallException(BackendInstallFailure.NotAvailableHere,
                $"llama.cpp publishes no {Name(variant)} build for {rid}; its GPU builds are for linux-x64 and win-x64.");
        if (!NpmRegistry.IsAcceptable(registry))
            throw new BackendInstallException(BackendInstallFailure.InsecureAddress, $"The npm registry {registry} is not an HTTPS address; GPU builds are downloaded over HTTPS only.");

        var packages = Packages(variant, rid);
        var baseFolder = Path.Combine(cacheRoot ?? LlamaNativeLibrary.CacheRoot, "llama", version);
        Directory.CreateDirectory(baseFolder);
        var staging = Directory.CreateDirectory(Path.Combine(baseFolder, ".install." + Path.GetRandomFileName())).FullName;
        try
        {
            var output = Directory.CreateDirectory(Path.Combine(staging, "out")).FullName;
            foreach (var package in packages)
            {
                var (tarball, integrity) = await ResolveAsync(package, version, cancellationToken).ConfigureAwait(false);
                var archive = Path.Combine(staging, package + ".tgz");
                await DownloadAsync(package, tarball, integrity, archive, progress, cancellationToken).ConfigureAwait(false);
                Unpack(package, archive, output);
                File.Delete(archive);
            }
            var files = Directory.GetFiles(output).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToList();
            if (NativeLibraryNames.Pick(files, LlamaNativeLibrary.LlamaName, PlatformOf(rid)) is null)
                throw new BackendInstallException(BackendInstallFailure.InvalidPackage, $"@node-llama-cpp/{packages[0]}@{version} holds no libllama.");
            File.WriteAllText(Path.Combine(output, ".complete"), "");
            var destination = Path.Combine(baseFolder, packages[0]);
            Replace(output, destination, staging);
            var bytes = files.Sum(f => new FileInfo(Path.Combine(destination, f)).Length);
            return new InstalledBackend(variant, version, packages.Select(p => $"@node-llama-cpp/{p}@{version}").ToList(), destination, files, bytes);
        }
        finally
        {
            TryDelete(staging);
        }
    }

    private async Task<(Uri Tarball, byte[] Sha512)> ResolveAsync(string package, string version, CancellationToken cancellationToken)
    {
        // The version document: <registry>/@scope%2fname/<version> (the scope's slash is escaped as npm does).
        var address = new Uri(registry, $"@node-llama-cpp%2f{package}/{version}");
        using var response = await SendAsync(address, package, cancellationToken).ConfigureAwait(false);
        JsonElement dist;
        try
        {
            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
            dist = document.RootElement.GetProperty("dist").Clone();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new BackendInstallException(BackendInstallFailure.DownloadFailed, $"The npm registry's answer for @node-llama-cpp/{package}@{version} is not a package version document ({e.Message}).", e);
        }
        var tarballText = dist.TryGetProperty("tarball", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
        if (tarballText is null || !Uri.TryCreate(tarballText, UriKind.Absolute, out var tarball))
            throw new BackendInstallException(BackendInstallFailure.DownloadFailed, $"The npm registry lists no download address for @node-llama-cpp/{package}@{version}.");
        if (!NpmRegistry.IsAcceptable(tarball))
            throw new BackendInstallException(BackendInstallFailure.InsecureAddress, $"The npm registry offers @node-llama-cpp/{package}@{version} at {tarball}, which is not an HTTPS address; not downloaded.");
        var integrity = dist.TryGetProperty("integrity", out var i) && i.ValueKind == JsonValueKind.String ? i.GetString() : null;
        return (tarball, ParseSha512(integrity) ?? throw new BackendInstallException(BackendInstallFailure.IntegrityMismatch,
            $"The npm registry publishes no SHA-512 integrity for @node-llama-cpp/{package}@{version}, so the download could not be checked; nothing was installed."));
    }

    /// <summary>The SHA-512 digest of a Subresource Integrity string ("sha512-&lt;base64&gt;", maybe among others), or null.</summary>
    internal static byte[]? ParseSha512(string? integrity)
    {
        foreach (var part in (integrity ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!part.StartsWith("sha512-", StringComparison.Ordinal)) continue;
            var digest = part["sha512-".Length..];
            var options = digest.IndexOf('?');
            try { return Convert.FromBase64String(options < 0 ? digest : digest[..options]); }
            catch (FormatException) { return null; }
        }
        return null;
    }

    private async Task DownloadAsync(string package, Uri tarball, byte[] expected, string archive, IProgress<BackendInstallProgress>? progress, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(tarball, package, cancellationToken).ConfigureAwait(false);
        var total = response.Content.Headers.ContentLength;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);
        long done = 0;
        try
        {
            await using var source = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using var target = File.Create(archive);
            var buffer = new byte[1 << 16];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                done += read;
                progress?.Report(new BackendInstallProgress(package, done, total));
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new BackendInstallException(BackendInstallFailure.DownloadFailed, $"The download of @node-llama-cpp/{package} was cut after {done} of {total?.ToString() ?? "?"} bytes ({e.Message}); nothing was installed.", e);
        }
        if (total is { } length && done != length)
            throw new BackendInstallException(BackendInstallFailure.DownloadFailed, $"The download of @node-llama-cpp/{package} was cut after {done} of {length} bytes; nothing was installed.");
        var actual = hash.GetHashAndReset();
        if (!CryptographicOperations.FixedTimeEquals(actual, expected))
            throw new BackendInstallException(BackendInstallFailure.IntegrityMismatch,
                $"@node-llama-cpp/{package}: the download's SHA-512 is {Convert.ToBase64String(actual)}, but the registry publishes {Convert.ToBase64String(expected)}. It was discarded; nothing was installed.");
    }

    private async Task<HttpResponseMessage> SendAsync(Uri address, string package, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.GetAsync(address, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new BackendInstallException(BackendInstallFailure.DownloadFailed, $"The npm registry could not be reached for @node-llama-cpp/{package} ({e.Message}).", e);
        }
        if (response.IsSuccessStatusCode) return response;
        response.Dispose();
        if (response.StatusCode == HttpStatusCode.NotFound)
            throw new BackendInstallException(BackendInstallFailure.NotPublished,
                $"The npm registry has no @node-llama-cpp/{package} at version {LlamaNativeLibrary.PinnedNpmVersion} ({address} answered 404).");
        throw new BackendInstallException(BackendInstallFailure.DownloadFailed, $"The npm registry answered {(int)response.StatusCode} {response.ReasonPhrase} for {address}.");
    }

    // The libraries of a node-llama-cpp package sit in package/bins/<platform>/; they are flattened into one folder,
    // as ggml loads its backends from a single folder. Only plain files with a library's extension are taken.
    private static void Unpack(string package, string archive, string output)
    {
        var found = 0;
        try
        {
            using var file = File.OpenRead(archive);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var reader = new TarReader(gzip);
            while (reader.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
                var parts = entry.Name.Split('/');
                if (parts.Length is < 3 or > 4 || parts[0] != "package" || parts[1] != "bins") continue;
                var name = parts[^1];
                if (Path.GetExtension(name) is not (".so" or ".dll" or ".dylib" or ".metal")) continue;
                entry.ExtractToFile(Path.Combine(output, name), overwrite: true);
                found++;
            }
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw new BackendInstallException(BackendInstallFailure.InvalidPackage, $"@node-llama-cpp/{package} is not a readable package ({e.Message}); nothing was installed.", e);
        }
        if (found == 0) throw new BackendInstallException(BackendInstallFailure.InvalidPackage, $"@node-llama-cpp/{package} holds no libraries; nothing was installed.");
    }

    // One rename puts the new build in place; an earlier installation is moved aside first and removed after.
    private static void Replace(string output, string destination, string staging)
    {
        var previous = Path.Combine(staging, "previous");
        if (Directory.Exists(destination)) Directory.Move(destination, previous);
        try
        {
            Directory.Move(output, destination);
        }
        catch (IOException)
        {
            if (Directory.Exists(previous) && !Directory.Exists(destination)) Directory.Move(previous, destination);
            throw;
        }
    }

    private static NativePlatform PlatformOf(string rid) =>
        rid.StartsWith("win", StringComparison.Ordinal) ? NativePlatform.Windows : rid.StartsWith("osx", StringComparison.Ordinal) ? NativePlatform.MacOS : NativePlatform.Linux;

    private static string Name(BackendVariant variant) => variant == BackendVariant.Cuda ? "CUDA" : variant == BackendVariant.Vulkan ? "Vulkan" : "default";

    private static void TryDelete(string folder)
    {
        try { if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }
}
