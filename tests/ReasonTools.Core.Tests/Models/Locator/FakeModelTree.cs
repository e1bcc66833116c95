using System.Security.Cryptography;
using ReasonTools.Core.Gguf;
using ReasonTools.Core.Models;
using ReasonTools.Testing;
using ModelShape = ReasonTools.Core.Models.ModelShape;

namespace ReasonTools.Core.Tests.Models.Locator;

/// <summary>A temporary home folder holding fake Ollama, Hugging Face, LM Studio and ReasonTools model trees.</summary>
internal sealed class FakeModelTree : IDisposable
{
    // llama_ftype values (include/llama.h).
    public const uint Q4_K_M = 15, Q8_0 = 7, F16 = 1;

    public FakeModelTree()
    {
        Home = Path.Combine(Path.GetTempPath(), $"reasontools-locator-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Home);
    }

    public string Home { get; }

    public Dictionary<string, string> Variables { get; } = new();

    public ModelEnvironment Environment => ModelEnvironment.Create(Home, Variables);

    public string DefaultFolder => Environment.DefaultModelFolder;

    public string Ollama => Path.Combine(Home, ".ollama", "models");

    public string HuggingFace => Path.Combine(Home, ".cache", "huggingface", "hub");

    public string LmStudio => Path.Combine(Home, ".lmstudio", "models");

    public string Dir(params string[] parts)
    {
        var path = Path.Combine([Home, .. parts]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>
    /// Writes a header-only GGUF of a catalog model's shape (or <paramref name="shape"/>) named <paramref name="generalName"/>,
    /// extended sparsely to <paramref name="sizeBytes"/>.
    /// </summary>
    public static string WriteModel(string path, string generalName, ModelShape shape, uint fileType, long sizeBytes = 0,
        (int Index, int Count)? split = null, string? tokenizerPre = null)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var arch = shape.Architecture;
        var w = new GgufWriter()
            .Add("general.architecture", arch)
            .Add("general.name", generalName)
            .Add("general.file_type", fileType)
            .Add($"{arch}.block_count", (uint)shape.Layers)
            .Add($"{arch}.context_length", 131072u)
            .Add($"{arch}.embedding_length", (uint)shape.EmbeddingLength)
            .Add($"{arch}.feed_forward_length", (uint)shape.FeedForwardLength)
            .Add($"{arch}.attention.head_count", (uint)shape.Heads)
            .Add($"{arch}.attention.head_count_kv", (uint)shape.KvHeads);
        if (tokenizerPre is not null) w.Add("tokenizer.ggml.pre", tokenizerPre);
        if (split is { } s) w.Add("split.no", (ushort)s.Index).Add("split.count", (ushort)s.Count);
        w.AddTensor("token_embd.weight", GgmlType.F16, [shape.EmbeddingLength, shape.VocabSize], TensorFills.Zeros);
        w.WriteHeaderOnly(path);
        if (sizeBytes > 0)
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Write)) file.SetLength(Math.Max(file.Length, sizeBytes));
        return path;
    }

    public static string WriteCatalogModel(string path, string size, uint fileType, string? generalName = null, long sizeBytes = 0, (int, int)? split = null)
    {
        var model = ModelCatalog.Get(size).Model;
        return WriteModel(path, generalName ?? model.Name.Replace('-', ' '), model.Shape, fileType, sizeBytes, split);
    }

    /// <summary>An Ollama manifest for <paramref name="tag"/> ("deepseek-r1:7b") whose model layer is <paramref name="gguf"/>, moved into blobs/.</summary>
    public string AddOllama(string tag, string gguf, string host = "registry.ollama.ai", string space = "library", bool withModelLayer = true)
    {
        var (model, version) = (tag[..tag.IndexOf(':')], tag[(tag.IndexOf(':') + 1)..]);
        var digest = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(tag + gguf))).ToLowerInvariant(); // any digest: only the name links manifest and blob
        var blobs = Path.Combine(Ollama, "blobs");
        Directory.CreateDirectory(blobs);
        var blob = Path.Combine(blobs, "sha256-" + digest);
        File.Move(gguf, blob, overwrite: true);
        var manifest = Path.Combine(Ollama, "manifests", host, space, model, version);
        Directory.CreateDirectory(Path.GetDirectoryName(manifest)!);
        var layers = withModelLayer
            ? $$"""{ "mediaType": "application/vnd.ollama.image.model", "digest": "sha256:{{digest}}", "size": {{new FileInfo(blob).Length}} },"""
            : "";
        File.WriteAllText(manifest, $$"""
            { "schemaVersion": 2, "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
              "config": { "mediaType": "application/vnd.docker.container.image.v1+json", "digest": "sha256:{{new string('c', 64)}}", "size": 10 },
              "layers": [ {{layers}}
                { "mediaType": "application/vnd.ollama.image.template", "digest": "sha256:{{new string('d', 64)}}", "size": 10 } ] }
            """);
        return blob;
    }

    /// <summary>A Hugging Face cache entry: the file in blobs/, a symlink to it in snapshots/&lt;commit&gt;/, and refs/main when <paramref name="isMain"/>.</summary>
    public string AddHuggingFace(string repository, string commit, string fileName, string gguf, bool isMain = true)
    {
        var root = Path.Combine(HuggingFace, "models--" + repository.Replace("/", "--", StringComparison.Ordinal));
        var blobs = Path.Combine(root, "blobs");
        Directory.CreateDirectory(blobs);
        var blob = Path.Combine(blobs, Guid.NewGuid().ToString("N"));
        File.Move(gguf, blob);
        var link = Path.Combine(root, "snapshots", commit, fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(link)!);
        File.CreateSymbolicLink(link, Path.GetRelativePath(Path.GetDirectoryName(link)!, blob));
        if (isMain)
        {
            Directory.CreateDirectory(Path.Combine(root, "refs"));
            File.WriteAllText(Path.Combine(root, "refs", "main"), commit);
        }
        return link;
    }

    public string Temp(string name) => Path.Combine(Dir("scratch"), name);

    public void Dispose()
    {
        try { Directory.Delete(Home, recursive: true); }
        catch (IOException) { }
    }
}
