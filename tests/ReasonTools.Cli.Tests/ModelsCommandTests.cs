using System.CommandLine;
using System.Security.Cryptography;
using System.Text.Json;
using ReasonTools.Core.Models;
using ReasonTools.Testing;

namespace ReasonTools.Cli.Tests;

public sealed class ModelsCommandTests : IDisposable
{
    private readonly string _home = Path.Combine(Path.GetTempPath(), $"reasontools-cli-models-{Guid.NewGuid():N}");
    private readonly Dictionary<string, string> _variables = new();

    public void Dispose()
    {
        try { Directory.Delete(_home, recursive: true); }
        catch (DirectoryNotFoundException) { }
    }

    private ModelEnvironment Environment => ModelEnvironment.Create(_home, _variables);

    private static readonly MachineProfile Laptop = MachineProfile.CpuOnly(16_000_000_000, 60);

    private (int Code, string Stdout, string Stderr) Models(string arguments)
    {
        var root = new RootCommand { ModelsCommand.Create(Environment, (_, _) => Task.FromResult(Laptop)) };
        var run = InProcessReason.RunAsync(root, "models " + arguments).GetAwaiter().GetResult();
        return (run.ExitCode, run.Stdout, run.Stderr);
    }

    private string AddOllamaModel(string tag, string gguf)
    {
        var store = Path.Combine(_home, ".ollama", "models");
        var digest = Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(gguf))).ToLowerInvariant();
        var blob = Path.Combine(store, "blobs", "sha256-" + digest);
        Directory.CreateDirectory(Path.GetDirectoryName(blob)!);
        File.Copy(gguf, blob);
        var manifest = Path.Combine(store, "manifests", "registry.ollama.ai", "library", tag.Split(':')[0], tag.Split(':')[1]);
        Directory.CreateDirectory(Path.GetDirectoryName(manifest)!);
        File.WriteAllText(manifest, $$"""{"layers":[{"mediaType":"application/vnd.ollama.image.model","digest":"sha256:{{digest}}"}]}""");
        return blob;
    }

    [Fact]
    public void The_list_shows_each_model_its_source_and_whether_it_runs_here_and_warns_about_broken_files()
    {
        var blob = AddOllamaModel("r1-tiny:latest", SyntheticModels.GetFile(ScriptKind.ClosedChain));
        var folder = Path.Combine(_home, "gguf");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "broken.gguf"), "GGUF? no");
        _variables["REASONTOOLS_MODELS"] = folder;

        var (code, stdout, stderr) = Models("");

        Assert.Equal(0, code);
        Assert.Contains("ReasonTools Synthetic R1 ClosedChain", stdout);
        Assert.Contains("Ollama r1-tiny:latest", stdout);
        Assert.Contains(blob, stdout);
        Assert.Contains("yes, CPU", stdout);
        Assert.Contains("warning: ", stderr);
        Assert.Contains("broken.gguf", stderr);
    }

    [Fact]
    public void Json_lists_models_with_fit_warnings_and_searched_folders()
    {
        AddOllamaModel("r1-tiny:latest", SyntheticModels.GetFile(ScriptKind.ClosedChain));

        var (code, stdout, _) = Models("--json");

        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(stdout);
        var model = Assert.Single(json.RootElement.GetProperty("models").EnumerateArray());
        Assert.Equal("ollama", model.GetProperty("source").GetString());
        Assert.Equal("r1-tiny:latest", model.GetProperty("sourceName").GetString());
        Assert.Equal("F16", model.GetProperty("quantization").GetString());
        Assert.True(model.GetProperty("isR1Distill").GetBoolean());
        Assert.True(model.GetProperty("canRun").GetBoolean());
        Assert.Equal("cpu", model.GetProperty("placement").GetString());
        Assert.Equal(0, json.RootElement.GetProperty("warnings").GetArrayLength());
        Assert.Single(json.RootElement.GetProperty("searched").EnumerateArray());
    }

    [Fact]
    public void With_no_models_it_says_where_it_looked_and_what_to_pull()
    {
        var (code, stdout, _) = Models("");

        Assert.Equal(0, code);
        Assert.Contains("No GGUF models found.", stdout);
        Assert.Contains("reason pull ", stdout);
    }
}
