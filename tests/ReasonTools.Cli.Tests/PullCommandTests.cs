using System.CommandLine;
using System.Security.Cryptography;
using ReasonTools.Core.Models;
using ReasonTools.Testing;

namespace ReasonTools.Cli.Tests;

public sealed class PullCommandTests : IDisposable
{
    private const string Repository = "unsloth/DeepSeek-R1-Distill-Qwen-1.5B-GGUF";
    private const string FileName = "DeepSeek-R1-Distill-Qwen-1.5B-Q8_0.gguf";

    private static readonly byte[] Model = File.ReadAllBytes(SyntheticModels.GetFile(ScriptKind.ClosedChain));

    private readonly string _home = Path.Combine(Path.GetTempPath(), $"reasontools-cli-pull-{Guid.NewGuid():N}");

    public void Dispose()
    {
        try { Directory.Delete(_home, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    private static LoopbackHttpServer HuggingFace(string? sha = null) => new(request =>
        request.Path.StartsWith($"/api/models/{Repository}/tree/main", StringComparison.Ordinal)
            ? LoopbackHttpServer.Reply.Json($$$"""[{"type":"file","path":"{{{FileName}}}","size":{{{Model.Length}}},"lfs":{"oid":"{{{sha ?? Sha(Model)}}}","size":{{{Model.Length}}}}}]""")
            : request.Path == $"/{Repository}/resolve/main/{FileName}"
                ? LoopbackHttpServer.Reply.File(Model, request)
                : LoopbackHttpServer.Reply.Text(404, "Entry not found"));

    private static string Sha(byte[] bytes) => Convert.ToHexString(SHA256.HashData(bytes)).ToLowerInvariant();

    private (int Code, string Stdout, string Stderr) Pull(string arguments, Uri endpoint)
    {
        var environment = ModelEnvironment.Create(_home, new Dictionary<string, string> { ["HF_ENDPOINT"] = endpoint.ToString() });
        var root = new RootCommand
        {
            PullCommand.Create(environment, o => o with { FreeSpace = _ => long.MaxValue, RetryDelay = TimeSpan.Zero }),
        };
        var run = InProcessReason.RunAsync(root, "pull " + arguments).GetAwaiter().GetResult();
        return (run.ExitCode, run.Stdout, run.Stderr);
    }

    [Fact]
    public void Pull_saves_the_file_into_the_default_models_folder_and_prints_its_path()
    {
        using var server = HuggingFace();

        var (code, stdout, stderr) = Pull("1.5b --quant q8_0", server.BaseUri);

        Assert.True(code == 0, stderr);
        var expected = Path.Combine(ModelEnvironment.Create(_home).DefaultModelFolder, FileName);
        Assert.Equal(expected, stdout.Trim());
        Assert.Equal(Model, File.ReadAllBytes(expected));
        Assert.Contains("SHA-256 verified", stderr);
        Assert.Contains("100%", stderr);

        var again = Pull("deepseek-r1:1.5b-qwen-distill-q8_0", server.BaseUri);
        Assert.Equal(0, again.Code);
        Assert.Contains("already downloaded", again.Stderr);
    }

    [Fact]
    public void A_bad_checksum_exits_2_and_leaves_no_file()
    {
        using var server = HuggingFace(sha: new string('0', 64));

        var (code, _, stderr) = Pull("1.5b --quant Q8_0", server.BaseUri);

        Assert.Equal(2, code);
        Assert.Contains("SHA-256", stderr);
        Assert.Empty(Directory.GetFiles(ModelEnvironment.Create(_home).DefaultModelFolder));
    }

    [Fact]
    public void An_unknown_model_or_quantization_is_a_clear_error()
    {
        using var server = HuggingFace();

        var unknown = Pull("3b", server.BaseUri);
        Assert.Equal(2, unknown.Code);
        Assert.Contains("'3b' is not a known model", unknown.Stderr);

        var quant = Pull("7b --quant Q2_K", server.BaseUri);
        Assert.Equal(1, quant.Code);
        Assert.Contains("no Q2_K file", quant.Stderr);
        Assert.Empty(server.Requests);
    }

    [Fact]
    public void Pulling_into_a_folder_no_command_searches_says_how_to_make_it_found()
    {
        using var server = HuggingFace();
        var folder = Path.Combine(_home, "elsewhere");

        var (code, stdout, stderr) = Pull($"1.5b -q Q8_0 --dir \"{folder}\"", server.BaseUri);

        Assert.Equal(0, code);
        Assert.Equal(Path.Combine(folder, FileName), stdout.Trim());
        Assert.Contains("is not searched for models", stderr);
        Assert.Contains("REASONTOOLS_MODELS", stderr);

        var intoDefault = Pull("1.5b -q Q8_0", server.BaseUri);
        Assert.DoesNotContain("is not searched", intoDefault.Stderr);
    }
}
