using System.Security.Cryptography;
using ReasonTools.Testing;

namespace ReasonTools.Cli.Tests;

/// <summary>The real <c>reason pull</c> honours HTTP_PROXY from the environment (needs <c>pull</c> registered in Program.cs).</summary>
public sealed class PullProxyTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), $"reasontools-cli-proxy-{Guid.NewGuid():N}");

    public void Dispose()
    {
        try { Directory.Delete(_home, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    [Fact]
    public void Downloads_go_through_the_proxy_the_environment_names()
    {
        const string FileName = "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf";
        var model = File.ReadAllBytes(SyntheticModels.GetFile(ScriptKind.ClosedChain));
        var sha = Convert.ToHexString(SHA256.HashData(model)).ToLowerInvariant();
        // The "proxy" answers as the origin would; what matters is that requests for an unresolvable host reach it.
        using var proxy = new LoopbackHttpServer(request => request.Path.Contains("/tree/main", StringComparison.Ordinal)
            ? LoopbackHttpServer.Reply.Json($$$"""[{"type":"file","path":"{{{FileName}}}","size":{{{model.Length}}},"lfs":{"oid":"{{{sha}}}","size":{{{model.Length}}}}}]""")
            : LoopbackHttpServer.Reply.File(model, request));
        var folder = Path.Combine(_home, "models");

        var run = ReasonCli.Run($"pull 1.5b --dir \"{folder}\"", environment: new Dictionary<string, string?>
        {
            ["HOME"] = _home,
            ["HF_ENDPOINT"] = "http://huggingface.invalid/",
            ["HTTP_PROXY"] = proxy.BaseUri.ToString(),
            ["http_proxy"] = proxy.BaseUri.ToString(),
            ["NO_PROXY"] = null,
            ["no_proxy"] = null,
        });

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Equal(model, File.ReadAllBytes(Path.Combine(folder, FileName)));
        Assert.All(proxy.Requests, r => Assert.StartsWith("http://huggingface.invalid/", r.Target));
        Assert.Equal(2, proxy.Requests.Count);
    }
}
