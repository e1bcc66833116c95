using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using ReasonTools.Core.Hardware;

namespace ReasonTools.Core.Models;

/// <summary>A download failed; the message says why and what to do.</summary>
public class ModelDownloadException : ReasonFailure
{
    public ModelDownloadException(string message, Exception? inner = null) : base(FailureKind.ModelNotFound, message, inner) { }

    private protected ModelDownloadException(FailureKind kind, Func<IFailureWording, string> describe) : base(kind, describe) { }
}

/// <summary>The server has no such repository or file (HTTP 404).</summary>
public sealed class RemoteFileNotFoundException(Uri address, string message) : ModelDownloadException(message)
{
    /// <summary>The address that answered 404.</summary>
    public Uri Address { get; } = address;
}

/// <summary>The downloaded bytes do not have the SHA-256 the repository lists; the partial file was deleted.</summary>
public sealed class ChecksumMismatchException(string fileName, string expected, string actual)
    : ModelDownloadException($"{fileName}: the downloaded file's SHA-256 is {actual}, but the repository lists {expected}. The file was discarded; run the pull again.")
{
    /// <summary>The SHA-256 the repository lists.</summary>
    public string Expected { get; } = expected;
    /// <summary>The SHA-256 of what arrived.</summary>
    public string Actual { get; } = actual;
}

/// <summary>The destination volume has less free space than the download needs; nothing was downloaded.</summary>
public sealed class InsufficientDiskSpaceException : ModelDownloadException
{
    public InsufficientDiskSpaceException(string folder, long neededBytes, long freeBytes)
        : base(FailureKind.DoesNotFit, w => $"Not enough free disk space in {folder}: the download needs {MessageUnits.Gb(neededBytes)} and {MessageUnits.Gb(freeBytes)} is free. " +
                                            $"Free some space, or download into another folder with {w.Setting(SettingNames.Folder)} (and add it to REASONTOOLS_MODELS).")
    {
        NeededBytes = neededBytes;
        FreeBytes = freeBytes;
        RequiredBytes = neededBytes;
        AvailableBytes = freeBytes;
        Setting = SettingNames.Folder;
        NextSteps = [new NextStep(NextStepKind.FreeSpace) { RequiredBytes = neededBytes }, new NextStep(NextStepKind.ChangeSetting) { Setting = SettingNames.Folder }];
    }

    /// <summary>Bytes still to download.</summary>
    public long NeededBytes { get; }
    /// <summary>Bytes free on the destination volume.</summary>
    public long FreeBytes { get; }
}

/// <summary>Progress of a pull: bytes of all its files, the average speed of this session, and the time left at that speed.</summary>
public sealed record DownloadProgress(string FileName, long BytesDone, long TotalBytes, double BytesPerSecond, TimeSpan? Remaining)
{
    /// <summary>"2.1 GB of 4.7 GB (45%), 38.2 MB/s, 1:08 left".</summary>
    public override string ToString()
    {
        var percent = TotalBytes > 0 ? (100.0 * BytesDone / TotalBytes).ToString("0", CultureInfo.InvariantCulture) + "%" : "?";
        var speed = (BytesPerSecond / 1e6).ToString("0.0", CultureInfo.InvariantCulture) + " MB/s";
        var left = Remaining is not { } r ? "time left unknown"
            : (r.TotalHours >= 1 ? r.ToString(@"h\:mm\:ss", CultureInfo.InvariantCulture) : r.ToString(@"m\:ss", CultureInfo.InvariantCulture)) + " left";
        return $"{MessageUnits.Gb(BytesDone)} of {MessageUnits.Gb(TotalBytes)} ({percent}), {speed}, {left}";
    }
}

/// <summary>A pulled model: where its (first) file is, every file, and whether it was already there.</summary>
public sealed record DownloadedModel(CatalogModel Model, CatalogFile File, string Path, IReadOnlyList<string> Files, bool AlreadyPresent);

/// <summary>Where and how <see cref="ModelDownloader"/> downloads.</summary>
public sealed record DownloadOptions
{
    /// <summary>The Hugging Face address (files under <c>&lt;repo&gt;/resolve/main/</c>, listings under <c>api/models/&lt;repo&gt;/tree/main</c>).</summary>
    public Uri Endpoint { get; init; } = new("https://huggingface.co/");
    /// <summary>Bearer token for gated or private repositories.</summary>
    public string? AccessToken { get; init; }
    /// <summary>Free bytes on the volume of a folder (null: unknown, the check is skipped).</summary>
    public Func<string, long?> FreeSpace { get; init; } = folder => DiskProbe.Probe(folder, new List<string>())?.FreeBytes;
    /// <summary>Space that must stay free beyond the download.</summary>
    public long SpaceMarginBytes { get; init; } = 100L << 20;
    /// <summary>Attempts in a row that may fail without receiving a byte before the pull gives up.</summary>
    public int MaxAttempts { get; init; } = 5;
    /// <summary>Wait between attempts (doubles each time).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>A connection that delivers nothing for this long is dropped and resumed.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Least time between progress reports.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Options for <paramref name="environment"/>: $HF_ENDPOINT and $HF_TOKEN.</summary>
    public static DownloadOptions FromEnvironment(ModelEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return new DownloadOptions { Endpoint = environment.HuggingFaceEndpoint, AccessToken = environment.HuggingFaceToken };
    }
}

/// <summary>
/// Downloads catalog GGUF files from Hugging Face: free space checked first, each file written to
/// <c>&lt;name&gt;.part</c> and resumed with an HTTP range after a dropped connection (also across runs), its SHA-256
/// checked against the repository listing, and moved to its name only when complete and verified. The default
/// <see cref="HttpClient"/> uses the system proxy: HTTP_PROXY, HTTPS_PROXY, ALL_PROXY and NO_PROXY (and on Windows the
/// system settings when those are unset).
/// </summary>
public sealed class ModelDownloader : IDisposable
{
    /// <summary>The quantization pulled when none is named.</summary>
    public const string DefaultQuantization = "Q4_K_M";

    /// <summary>Suffix of a file being downloaded.</summary>
    public const string PartialSuffix = ".part";

    private readonly HttpClient _http;
    private readonly bool _ownsClient;
    private readonly DownloadOptions _options;

    /// <summary>A downloader over <paramref name="http"/> (a client honouring the environment's proxy when null).</summary>
    public ModelDownloader(DownloadOptions? options = null, HttpClient? http = null)
    {
        _options = options ?? new DownloadOptions();
        _ownsClient = http is null;
        // Timeout is per read (StallTimeout), not per file: a 40 GB file takes hours.
        _http = http ?? new HttpClient(new SocketsHttpHandler { UseProxy = true, ConnectTimeout = TimeSpan.FromSeconds(30) }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>
    /// Downloads <paramref name="query"/> (a size, name or Ollama tag) in <paramref name="quantization"/> (else the
    /// query's, else <see cref="DefaultQuantization"/>) into <paramref name="folder"/>. Files already there are kept.
    /// </summary>
    public Task<DownloadedModel> PullAsync(string query, string? quantization, string folder, IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        var (model, file) = SelectFile(query, quantization);
        return PullAsync(model, file, folder, progress, cancellationToken);
    }

    /// <summary>
    /// The catalog model <paramref name="query"/> names and its file in <paramref name="quantization"/> (null: the one the
    /// query names, else <see cref="DefaultQuantization"/>); a failure of kind BadInput when that file is not published.
    /// </summary>
    public static (CatalogModel Model, CatalogFile File) SelectFile(string query, string? quantization)
    {
        var selection = ModelCatalog.Get(query);
        var wanted = quantization is null ? selection.Quantization ?? DefaultQuantization
            : ModelCatalog.NormalizeQuantization(quantization) ?? quantization;
        var file = selection.Model.File(wanted) ?? throw new ReasonFailure(FailureKind.BadInput,
            $"{selection.Model.Name} has no {wanted} file in the catalog; choose one of {string.Join(", ", selection.Model.Files.Select(f => f.Quantization))}.")
        { Setting = SettingNames.Quantization, Model = selection.Model.Name, Quantization = wanted };
        return (selection.Model, file);
    }

    /// <summary>Downloads every shard of <paramref name="file"/> into <paramref name="folder"/>.</summary>
    public async Task<DownloadedModel> PullAsync(CatalogModel model, CatalogFile file, string folder, IProgress<DownloadProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(file);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        var targets = file.FileNames.Select(n => Path.Combine(folder, Path.GetFileName(n))).ToList();
        if (targets.All(File.Exists)) return new DownloadedModel(model, file, targets[0], targets, AlreadyPresent: true);
        DownloadFolder.EnsureWritable(folder);

        var listing = await ListRepositoryAsync(file.Repository, cancellationToken).ConfigureAwait(false);
        var entries = file.FileNames.Select(name => listing.TryGetValue(name, out var entry)
            ? entry
            : throw new RemoteFileNotFoundException(FileUri(file.Repository, name),
                $"{file.Repository} no longer lists {name}; the catalog may be out of date. Download a GGUF by hand and pass its path.")).ToList();

        Directory.CreateDirectory(folder);
        long PartLength(string target) => File.Exists(target + PartialSuffix) ? new FileInfo(target + PartialSuffix).Length : 0;
        var needed = targets.Zip(entries).Where(p => !File.Exists(p.First)).Sum(p => Math.Max(0, p.Second.Size - PartLength(p.First)));
        if (_options.FreeSpace(folder) is { } free && free < needed + _options.SpaceMarginBytes)
            throw new InsufficientDiskSpaceException(folder, needed + _options.SpaceMarginBytes, free);

        var meter = new Meter(entries.Sum(e => e.Size), progress, _options.ProgressInterval);
        for (var i = 0; i < targets.Count; i++)
        {
            if (File.Exists(targets[i]))
            {
                meter.Skip(entries[i].Size);
                continue;
            }
            await DownloadFileAsync(FileUri(file.Repository, file.FileNames[i]), targets[i], entries[i], meter, cancellationToken).ConfigureAwait(false);
        }
        return new DownloadedModel(model, file, targets[0], targets, AlreadyPresent: false);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsClient) _http.Dispose();
    }

    private sealed record RemoteEntry(string Path, long Size, string Sha256);

    private Uri FileUri(string repository, string name) => new(_options.Endpoint, $"{repository}/resolve/main/{name}");

    private async Task<Dictionary<string, RemoteEntry>> ListRepositoryAsync(string repository, CancellationToken cancellationToken)
    {
        var address = new Uri(_options.Endpoint, $"api/models/{repository}/tree/main?recursive=true");
        try
        {
            using var request = Request(address);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            EnsureSuccess(response, address, $"the repository {repository}");
            var json = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            using var document = JsonDocument.Parse(json);
            var entries = new Dictionary<string, RemoteEntry>(StringComparer.Ordinal);
            foreach (var item in document.RootElement.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("path", out var path) || path.ValueKind != JsonValueKind.String) continue;
                // GGUF files are stored with Git LFS; lfs.oid is the file's SHA-256 and lfs.size its length.
                if (item.TryGetProperty("lfs", out var lfs) && lfs.ValueKind == JsonValueKind.Object
                    && lfs.TryGetProperty("oid", out var oid) && oid.ValueKind == JsonValueKind.String
                    && lfs.TryGetProperty("size", out var size) && size.TryGetInt64(out var length))
                    entries[path.GetString()!] = new RemoteEntry(path.GetString()!, length, oid.GetString()!.ToLowerInvariant());
            }
            return entries;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new ModelDownloadException($"The file listing of {repository} from {address} could not be read ({e.Message}).", e);
        }
        catch (HttpRequestException e)
        {
            throw new ModelDownloadException($"Could not reach {address.GetLeftPart(UriPartial.Authority)} ({e.Message}). Check the network connection " +
                                             "and, behind a proxy, HTTPS_PROXY.", e);
        }
    }

    private HttpRequestMessage Request(Uri address)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, address);
        if (_options.AccessToken is { } token) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("ReasonTools", typeof(ModelDownloader).Assembly.GetName().Version?.ToString() ?? "1"));
        return request;
    }

    private void EnsureSuccess(HttpResponseMessage response, Uri address, string what)
    {
        if (response.IsSuccessStatusCode) return;
        throw response.StatusCode switch
        {
            HttpStatusCode.NotFound => new RemoteFileNotFoundException(address, $"{what} was not found at {address} (HTTP 404). The catalog may be out of date; download a GGUF by hand and pass its path."),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                new ModelDownloadException(string.IsNullOrEmpty(_options.AccessToken)
                    ? $"{what} at {address} needs permission (HTTP {(int)response.StatusCode}): accept the model's terms on Hugging Face and set HF_TOKEN."
                    : $"{what} at {address} refused the token in HF_TOKEN (HTTP {(int)response.StatusCode}): check that it is valid and has read access, and that you accepted the model's terms on Hugging Face."),
            _ => new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase} from {address}", null, response.StatusCode),
        };
    }

    private async Task DownloadFileAsync(Uri address, string target, RemoteEntry entry, Meter meter, CancellationToken cancellationToken)
    {
        var part = target + PartialSuffix;
        using var hash = new HashState();
        var failures = 0;
        var fromEarlierRun = true;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var have = File.Exists(part) ? new FileInfo(part).Length : 0;
            if (have > entry.Size)
            {
                File.Delete(part);
                // A longer .part from an earlier run is stale; one this run wrote means the server sent more than it lists.
                if (!fromEarlierRun)
                    throw new ModelDownloadException($"{address} sent more than the {entry.Size} bytes {Path.GetFileName(target)} has in the repository listing; the file was discarded. Run the pull again.");
                have = 0;
            }
            fromEarlierRun = false;
            // A .part left by an earlier run is hashed from disk before appending to it.
            if (hash.Length != have) await hash.RestartFromAsync(part, have, cancellationToken).ConfigureAwait(false);
            meter.StartFile(Path.GetFileName(target), have);
            if (have == entry.Size) break;

            Exception? failure = null;
            try
            {
                await ReceiveAsync(address, part, have, hash, meter, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (IsTransient(e, cancellationToken))
            {
                failure = e;
            }
            // Attempts that bring bytes reset the count, so a long download over a flaky link keeps going.
            failures = hash.Length > have ? 0 : failures + 1;
            if (failures == 0) continue;
            if (failures >= _options.MaxAttempts)
                throw new ModelDownloadException($"Downloading {address} failed {failures} times in a row ({failure?.Message ?? "no data received"}). " +
                                                 $"Run the pull again to resume from {MessageUnits.Gb(hash.Length)}.", failure);
            await Task.Delay(_options.RetryDelay * Math.Pow(2, failures - 1), cancellationToken).ConfigureAwait(false);
        }

        var actual = hash.Finish();
        if (!string.Equals(actual, entry.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            File.Delete(part);
            throw new ChecksumMismatchException(Path.GetFileName(target), entry.Sha256, actual);
        }
        File.Move(part, target, overwrite: true);
    }

    private static bool IsTransient(Exception e, CancellationToken cancellationToken) =>
        e is IOException and not DownloadFolderException
        || e is HttpRequestException { StatusCode: null or >= HttpStatusCode.InternalServerError or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests }
        || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    // One GET from `have` on, appending to the .part. Throws IOException/HttpRequestException on a dropped connection.
    private async Task ReceiveAsync(Uri address, string part, long have, HashState hash, Meter meter, CancellationToken cancellationToken)
    {
        using var request = Request(address);
        if (have > 0) request.Headers.Range = new RangeHeaderValue(have, null);
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(_options.StallTimeout);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stall.Token).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            // The partial file does not match the remote one any more: start over.
            File.Delete(part);
            hash.Reset();
            return;
        }
        EnsureSuccess(response, address, Path.GetFileName(part[..^PartialSuffix.Length]));
        if (have > 0 && response.StatusCode != HttpStatusCode.PartialContent)
        {
            // The server ignored the range and sends the whole file.
            have = 0;
            hash.Reset();
            meter.StartFile(Path.GetFileName(part[..^PartialSuffix.Length]), 0);
        }
        await using var body = await response.Content.ReadAsStreamAsync(stall.Token).ConfigureAwait(false);
        var folder = Path.GetDirectoryName(part)!;
        FileStream? opened = null;
        await DownloadFolder.LocalAsync(folder, () =>
        {
            opened = new FileStream(part, have > 0 ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
            return Task.CompletedTask;
        }).ConfigureAwait(false);
        await using var output = opened!;
        var buffer = new byte[1 << 20];
        while (true)
        {
            stall.CancelAfter(_options.StallTimeout);
            var read = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
            if (read == 0) break;
            await DownloadFolder.LocalAsync(folder, () => output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).AsTask()).ConfigureAwait(false);
            hash.Append(buffer.AsSpan(0, read));
            meter.Advance(read);
        }
    }

    // SHA-256 of the bytes appended so far, so a resumed download is not read twice.
    private sealed class HashState : IDisposable
    {
        private IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        public long Length { get; private set; }

        public void Append(ReadOnlySpan<byte> data)
        {
            _hash.AppendData(data);
            Length += data.Length;
        }

        public void Reset()
        {
            _hash.Dispose();
            _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Length = 0;
        }

        public async Task RestartFromAsync(string path, long length, CancellationToken cancellationToken)
        {
            Reset();
            if (length == 0) return;
            await using var input = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            var buffer = new byte[1 << 20];
            while (Length < length)
            {
                var read = await input.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length - Length)), cancellationToken).ConfigureAwait(false);
                if (read == 0) break;
                Append(buffer.AsSpan(0, read));
            }
        }

        public string Finish() => Convert.ToHexString(_hash.GetHashAndReset()).ToLowerInvariant();

        public void Dispose() => _hash.Dispose();
    }

    // Bytes, speed and time left over every file of one pull, reported at most once per interval.
    private sealed class Meter(long total, IProgress<DownloadProgress>? progress, TimeSpan interval)
    {
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _doneBefore;   // bytes of earlier files and of parts found on disk
        private long _fileDone;
        private long _transferred;  // bytes received in this session, for the speed
        private string _file = "";
        private TimeSpan _lastReport;

        public void Skip(long bytes) => _doneBefore += bytes;

        public void StartFile(string name, long present)
        {
            if (name != _file)
            {
                _doneBefore += _fileDone;
                _file = name;
            }
            _fileDone = present;
            Report(force: true);
        }

        public void Advance(long bytes)
        {
            _fileDone += bytes;
            _transferred += bytes;
            Report(force: false);
        }

        private void Report(bool force)
        {
            if (progress is null) return;
            var now = _clock.Elapsed;
            if (!force && now - _lastReport < interval) return;
            _lastReport = now;
            var speed = now.TotalSeconds > 0 ? _transferred / now.TotalSeconds : 0;
            var done = _doneBefore + _fileDone;
            TimeSpan? remaining = speed > 0 ? TimeSpan.FromSeconds((total - done) / speed) : null;
            progress.Report(new DownloadProgress(_file, done, total, speed, remaining));
        }
    }
}
