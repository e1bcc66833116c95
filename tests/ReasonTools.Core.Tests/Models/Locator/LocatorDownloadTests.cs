using System.Security.Cryptography;
using ReasonTools.Core.Models;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Models.Locator;

public sealed class LocatorDownloadTests : IDisposable
{
    private const string Repository = "unsloth/DeepSeek-R1-Distill-Qwen-1.5B-GGUF";
    private const string FileName = "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf";
    private const string TreePath = "/api/models/" + Repository + "/tree/main?recursive=true";
    private const string FilePath = "/" + Repository + "/resolve/main/" + FileName;

    private static readonly byte[] Model = File.ReadAllBytes(SyntheticModels.GetFile(ScriptKind.ClosedChain));
    private static readonly string ModelSha = Sha(Model);

    private readonly string _folder = Path.Combine(Path.GetTempPath(), $"reasontools-pull-{Guid.NewGuid():N}", "models");

    public void Dispose()
    {
        try { Directory.Delete(Path.GetDirectoryName(_folder)!, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    private static string Sha(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    private static string Tree(params (string Path, long Size, string Sha)[] files) => "[" + string.Join(",", files.Select(f =>
        "{\"type\":\"file\",\"oid\":\"" + new string('a', 40) + "\",\"size\":" + f.Size + ",\"path\":\"" + f.Path +
        "\",\"lfs\":{\"oid\":\"" + f.Sha + "\",\"size\":" + f.Size + ",\"pointerSize\":135}}")
        .Append("""{"type":"file","oid":"b","size":12,"path":"README.md"}""")) + "]";

    private static LoopbackHttpServer Server(Func<LoopbackHttpServer.Request, int, LoopbackHttpServer.Reply?>? file = null, string? tree = null)
    {
        var fileRequests = 0;
        return new LoopbackHttpServer(request => request.Path switch
        {
            TreePath => LoopbackHttpServer.Reply.Json(tree ?? Tree((FileName, Model.Length, ModelSha))),
            FilePath => file?.Invoke(request, ++fileRequests) ?? LoopbackHttpServer.Reply.File(Model, request),
            _ => LoopbackHttpServer.Reply.Text(404, "Entry not found"),
        });
    }

    private static ModelDownloader Downloader(LoopbackHttpServer server, Func<string, long?>? freeSpace = null, string? token = null) => new(new DownloadOptions
    {
        Endpoint = server.BaseUri,
        FreeSpace = freeSpace ?? (_ => long.MaxValue),
        RetryDelay = TimeSpan.Zero,
        MaxAttempts = 3,
        ProgressInterval = TimeSpan.Zero,
        AccessToken = token,
    });

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_folder_that_cannot_be_written_fails_at_once_with_what_is_wrong_and_fetches_nothing()
    {
        // Root writes through permission bits, but not into sysfs; anyone else gets a folder made read-only.
        var folder = Environment.UserName == "root" ? "/sys" : _folder;
        if (folder == _folder)
        {
            Directory.CreateDirectory(_folder);
            File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }
        using var server = Server();
        using var downloader = Downloader(server);

        var e = await Assert.ThrowsAsync<DownloadFolderException>(() => downloader.PullAsync("1.5b", "Q8_0", folder));

        Assert.Contains($"Cannot save into {folder}: it is read-only or this user may not write there", e.Message);
        Assert.DoesNotContain(server.Requests, r => r.Path == FilePath);
        if (folder == _folder) File.SetUnixFileMode(_folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private sealed class Recorder : IProgress<DownloadProgress>
    {
        public List<DownloadProgress> Reports { get; } = [];
        public void Report(DownloadProgress value) => Reports.Add(value);
    }

    private string[] FolderContents => Directory.Exists(_folder) ? Directory.GetFiles(_folder).Select(f => Path.GetFileName(f)).ToArray() : [];

    [Fact]
    public async Task A_full_download_lands_verified_under_its_name_with_progress()
    {
        using var server = Server();
        using var downloader = Downloader(server);
        var progress = new Recorder();

        var pulled = await downloader.PullAsync("1.5b", null, _folder, progress);

        Assert.False(pulled.AlreadyPresent);
        Assert.Equal(Path.Combine(_folder, FileName), pulled.Path);
        Assert.Equal(Model, await File.ReadAllBytesAsync(pulled.Path));
        Assert.Equal([FileName], FolderContents);
        Assert.Equal(Model.Length, progress.Reports[^1].BytesDone);
        Assert.All(progress.Reports, r => Assert.Equal(Model.Length, r.TotalBytes));
        Assert.Contains("100%", progress.Reports[^1].ToString());
        Assert.Null(server.Requests.Single(r => r.Path == FilePath).Header("Range"));
    }

    [Fact]
    public async Task A_connection_dropped_mid_file_is_resumed_with_a_range_request()
    {
        var half = Model.Length / 2;
        using var server = Server((request, attempt) => attempt == 1 ? LoopbackHttpServer.Reply.File(Model, request, dropAfter: half) : null);
        using var downloader = Downloader(server);

        var pulled = await downloader.PullAsync("1.5b", "Q4_K_M", _folder);

        Assert.Equal(Model, await File.ReadAllBytesAsync(pulled.Path));
        var ranges = server.Requests.Where(r => r.Path == FilePath).Select(r => r.Header("Range")).ToList();
        Assert.Equal([null, $"bytes={half}-"], ranges);
        Assert.Equal([FileName], FolderContents);
    }

    [Fact]
    public async Task A_part_file_left_by_an_earlier_run_is_continued_not_restarted()
    {
        Directory.CreateDirectory(_folder);
        await File.WriteAllBytesAsync(Path.Combine(_folder, FileName + ".part"), Model[..1000]);
        using var server = Server();
        using var downloader = Downloader(server);

        var pulled = await downloader.PullAsync("1.5b", null, _folder);

        Assert.Equal(Model, await File.ReadAllBytesAsync(pulled.Path));
        Assert.Equal("bytes=1000-", server.Requests.Single(r => r.Path == FilePath).Header("Range"));
    }

    [Fact]
    public async Task A_server_that_ignores_the_range_restarts_the_file_cleanly()
    {
        Directory.CreateDirectory(_folder);
        await File.WriteAllBytesAsync(Path.Combine(_folder, FileName + ".part"), Model[..1000]);
        using var server = Server((_, _) => new LoopbackHttpServer.Reply(200, Model));
        using var downloader = Downloader(server);

        var pulled = await downloader.PullAsync("1.5b", null, _folder);

        Assert.Equal(Model, await File.ReadAllBytesAsync(pulled.Path));
    }

    [Fact]
    public async Task A_checksum_mismatch_rejects_the_file_and_leaves_nothing_in_the_models_folder()
    {
        var tampered = (byte[])Model.Clone();
        tampered[^1] ^= 0xFF;
        using var server = Server((request, _) => LoopbackHttpServer.Reply.File(tampered, request));
        using var downloader = Downloader(server);

        var error = await Assert.ThrowsAsync<ChecksumMismatchException>(() => downloader.PullAsync("1.5b", null, _folder));

        Assert.Equal(ModelSha, error.Expected);
        Assert.Equal(Sha(tampered), error.Actual);
        Assert.Contains("discarded", error.Message);
        Assert.Empty(FolderContents);
    }

    [Fact]
    public async Task Too_little_free_space_stops_the_pull_before_any_byte_is_fetched()
    {
        using var server = Server();
        using var downloader = Downloader(server, freeSpace: _ => 1000);

        var error = await Assert.ThrowsAsync<InsufficientDiskSpaceException>(() => downloader.PullAsync("1.5b", null, _folder));

        Assert.Equal(1000, error.FreeBytes);
        Assert.True(error.NeededBytes > Model.Length);
        Assert.Equal(ReasonTools.Core.FailureKind.DoesNotFit, error.Kind);
        Assert.Contains(error.NextSteps, s => s is { Kind: ReasonTools.Core.NextStepKind.ChangeSetting, Setting: ReasonTools.Core.SettingNames.Folder });
        Assert.DoesNotContain(server.Requests, r => r.Path == FilePath);
        Assert.Empty(FolderContents);
    }

    [Fact]
    public async Task A_missing_file_or_repository_is_a_404_error_naming_the_address()
    {
        using var missingFile = Server((_, _) => LoopbackHttpServer.Reply.Text(404, "Entry not found"));
        using var downloader = Downloader(missingFile);
        var file = await Assert.ThrowsAsync<RemoteFileNotFoundException>(() => downloader.PullAsync("1.5b", null, _folder));
        Assert.EndsWith(FilePath, file.Address.AbsolutePath);
        Assert.Contains("404", file.Message);
        Assert.Empty(FolderContents);

        using var missingRepository = new LoopbackHttpServer(_ => LoopbackHttpServer.Reply.Text(404, "Repository not found"));
        using var downloader2 = Downloader(missingRepository);
        var repository = await Assert.ThrowsAsync<RemoteFileNotFoundException>(() => downloader2.PullAsync("1.5b", null, _folder));
        Assert.Contains(Repository, repository.Message);

        using var unlisted = Server(tree: Tree(("other.gguf", 1, ModelSha)));
        using var downloader3 = Downloader(unlisted);
        var notListed = await Assert.ThrowsAsync<RemoteFileNotFoundException>(() => downloader3.PullAsync("1.5b", null, _folder));
        Assert.Contains("no longer lists", notListed.Message);
    }

    [Fact]
    public async Task A_server_that_keeps_failing_gives_up_after_the_attempts_and_says_how_to_resume()
    {
        using var server = Server((request, _) => LoopbackHttpServer.Reply.File(Model, request, dropAfter: 0));
        using var downloader = Downloader(server);

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.PullAsync("1.5b", null, _folder));

        Assert.Contains("Run the pull again", error.Message);
        Assert.Equal(3, server.Requests.Count(r => r.Path == FilePath));
    }

    [Fact]
    public async Task Gated_repositories_ask_for_a_token_and_the_token_is_sent_when_set()
    {
        using var server = new LoopbackHttpServer(_ => LoopbackHttpServer.Reply.Text(401, "Unauthorized"));
        using var downloader = Downloader(server, token: "hf_secret");

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.PullAsync("1.5b", null, _folder));

        Assert.Contains("refused the token in HF_TOKEN", error.Message);
        Assert.DoesNotContain("set HF_TOKEN", error.Message);
        Assert.Equal("Bearer hf_secret", Assert.Single(server.Requests).Header("Authorization"));
    }

    [Fact]
    public async Task Without_a_token_a_gated_repository_asks_for_one()
    {
        using var server = new LoopbackHttpServer(_ => LoopbackHttpServer.Reply.Text(401, "Unauthorized"));
        using var downloader = Downloader(server);

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.PullAsync("1.5b", null, _folder));

        Assert.Contains("set HF_TOKEN", error.Message);
    }

    [Fact]
    public async Task Files_already_present_are_not_fetched_again()
    {
        Directory.CreateDirectory(_folder);
        await File.WriteAllBytesAsync(Path.Combine(_folder, FileName), Model);
        using var server = Server();
        using var downloader = Downloader(server);

        var pulled = await downloader.PullAsync("deepseek-r1:1.5b", null, _folder);

        Assert.True(pulled.AlreadyPresent);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Every_shard_of_a_split_file_is_downloaded()
    {
        var file = ModelCatalog.Get("70b").Model.File("Q6_K")!;
        var shards = new[] { Model[..(Model.Length / 2)], Model[(Model.Length / 2)..] };
        var tree = Tree(file.FileNames.Select((n, i) => (n, (long)shards[i].Length, Sha(shards[i]))).ToArray());
        using var server = new LoopbackHttpServer(request =>
        {
            if (request.Path.Contains("/tree/main", StringComparison.Ordinal)) return LoopbackHttpServer.Reply.Json(tree);
            var index = file.FileNames.ToList().FindIndex(n => request.Path.EndsWith("/resolve/main/" + n, StringComparison.Ordinal));
            return index < 0 ? LoopbackHttpServer.Reply.Text(404, "no") : LoopbackHttpServer.Reply.File(shards[index], request);
        });
        using var downloader = Downloader(server);
        var progress = new Recorder();

        var pulled = await downloader.PullAsync("70b", "q6_k", _folder, progress);

        Assert.Equal(2, pulled.Files.Count);
        Assert.EndsWith("-00001-of-00002.gguf", pulled.Path);
        Assert.Equal(Model, pulled.Files.SelectMany(File.ReadAllBytes).ToArray());
        Assert.Equal(Model.Length, progress.Reports[^1].BytesDone);
    }

    [Fact]
    public async Task A_quantization_the_catalog_does_not_publish_is_refused_with_the_choices()
    {
        using var server = Server();
        using var downloader = Downloader(server);

        var error = await Assert.ThrowsAsync<ReasonTools.Core.ReasonFailure>(() => downloader.PullAsync("7b", "Q3_K_M", _folder));
        Assert.Equal(ReasonTools.Core.SettingNames.Quantization, error.Setting);

        Assert.Contains("Q4_K_M, Q5_K_M, Q6_K, Q8_0, F16", error.Message);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task A_server_sending_more_than_the_listed_size_is_an_error_and_leaves_nothing()
    {
        using var server = Server(tree: Tree((FileName, Model.Length - 10, ModelSha)));
        using var downloader = Downloader(server);

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.PullAsync("1.5b", null, _folder));

        Assert.Contains("sent more than", error.Message);
        Assert.Empty(FolderContents);
    }

    [Fact]
    public async Task Empty_partial_replies_count_as_failed_attempts_instead_of_looping()
    {
        Directory.CreateDirectory(_folder);
        await File.WriteAllBytesAsync(Path.Combine(_folder, FileName + ".part"), Model[..1000]);
        using var server = Server((_, _) => new LoopbackHttpServer.Reply(206, [], $"bytes 1000-999/{Model.Length}"));
        using var downloader = Downloader(server);

        var error = await Assert.ThrowsAsync<ModelDownloadException>(() => downloader.PullAsync("1.5b", null, _folder));

        Assert.Contains("no data received", error.Message);
        Assert.Equal(3, server.Requests.Count(r => r.Path == FilePath));
        Assert.Equal(1000, new FileInfo(Path.Combine(_folder, FileName + ".part")).Length); // kept for the next run to resume
    }
}
