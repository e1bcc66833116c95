using System.Text.Json;
using System.Text.RegularExpressions;
using ReasonTools.Core.Gguf;

namespace ReasonTools.Core.Models;

/// <summary>Where a local model file was found.</summary>
public enum ModelSource
{
    /// <summary>Given as a path.</summary>
    Path,
    /// <summary>A folder the user configured ($REASONTOOLS_MODELS or the settings file).</summary>
    Configured,
    /// <summary>ReasonTools' own models folder, where <c>reason pull</c> stores files.</summary>
    Default,
    /// <summary>The Hugging Face hub cache.</summary>
    HuggingFace,
    /// <summary>LM Studio's models folder.</summary>
    LmStudio,
    /// <summary>Ollama's store (a manifest naming a blob).</summary>
    Ollama,
}

/// <summary>
/// A GGUF model on this machine, described from its metadata. <paramref name="Path"/> is what llama.cpp opens (the
/// first shard of a split model; <paramref name="Files"/> lists every shard). <paramref name="SourceName"/> is how
/// the source names it: the Ollama tag, the Hugging Face repository, LM Studio's publisher/model.
/// <paramref name="Catalog"/> is set when the file is a catalog model (its name says so and its shape agrees);
/// <paramref name="Spec"/> is null when the metadata lacks a figure the fit estimate needs.
/// </summary>
public sealed record LocalModel(
    string Name,
    string Path,
    ModelSource Source,
    string? SourceName,
    string? Architecture,
    long Parameters,
    string Quantization,
    long? ContextLength,
    long SizeBytes,
    IReadOnlyList<string> Files,
    bool IsR1Distill,
    CatalogModel? Catalog,
    ModelSpec? Spec)
{
    /// <summary>The fit estimator's and chooser's view of this file, or null when it cannot be estimated.</summary>
    public ModelCandidate? ToCandidate() => Spec is null ? null : new ModelCandidate(Spec, Path, Catalog);

    /// <summary>True when <paramref name="quantization"/> names this file's quantization ("q4_k_m", "fp16" too).</summary>
    public bool HasQuantization(string quantization) =>
        string.Equals(ModelCatalog.NormalizeQuantization(quantization) ?? quantization, ModelCatalog.NormalizeQuantization(Quantization) ?? Quantization,
            StringComparison.OrdinalIgnoreCase);
}

/// <summary>What a search found, the warnings for entries it skipped, and the folders it looked in.</summary>
public sealed record LocatedModels(IReadOnlyList<LocalModel> Models, IReadOnlyList<string> Warnings, IReadOnlyList<string> SearchedFolders)
{
    /// <summary>The R1-distill models whose fit can be estimated, as candidates for <see cref="ModelChooser"/> and the hardware probe.</summary>
    public IReadOnlyList<ModelCandidate> Candidates =>
        Models.Where(m => m.IsR1Distill).Select(m => m.ToCandidate()).OfType<ModelCandidate>().ToList();
}

/// <summary>
/// Finds GGUF models on this machine without running any other tool: configured folders, ReasonTools' models folder,
/// the Hugging Face cache, LM Studio and Ollama's store. Each file's metadata is read with the safe GGUF reader; an
/// entry that cannot be read is skipped with a warning. The same file reached twice (a cache symlink, a folder listed
/// twice) is reported once, from the first source in the order above.
/// </summary>
public static partial class ModelLocator
{
    private const string OllamaModelMediaType = "application/vnd.ollama.image.model";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, LocalModel> Described = new(StringComparer.Ordinal);

    /// <summary>Searches every source of <paramref name="environment"/> (this machine when null).</summary>
    public static LocatedModels Locate(ModelEnvironment? environment = null, CancellationToken cancellationToken = default)
    {
        environment ??= ModelEnvironment.Current;
        var warnings = new List<string>();
        var searched = new List<string>();
        var models = new List<LocalModel>();
        var seen = new HashSet<string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);

        void Add(LocalModel? model)
        {
            if (model is not null && seen.Add(RealPath(model.Path))) models.Add(model);
        }

        foreach (var folder in environment.ConfiguredFolders(warnings).Distinct())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!Directory.Exists(folder))
            {
                warnings.Add($"{folder}: the configured model folder does not exist.");
                continue;
            }
            searched.Add(folder);
            foreach (var model in ScanFolder(folder, ModelSource.Configured, _ => folder, warnings)) Add(model);
        }
        var defaultFolder = environment.DefaultModelFolder;
        if (Directory.Exists(defaultFolder))
        {
            searched.Add(defaultFolder);
            foreach (var model in ScanFolder(defaultFolder, ModelSource.Default, _ => null, warnings)) Add(model);
        }
        cancellationToken.ThrowIfCancellationRequested();
        if (Directory.Exists(environment.HuggingFaceCache))
        {
            searched.Add(environment.HuggingFaceCache);
            foreach (var model in ScanHuggingFace(environment.HuggingFaceCache, warnings)) Add(model);
        }
        foreach (var folder in environment.LmStudioFolders.Where(Directory.Exists))
        {
            cancellationToken.ThrowIfCancellationRequested();
            searched.Add(folder);
            foreach (var model in ScanFolder(folder, ModelSource.LmStudio, file => PublisherAndModel(folder, file), warnings)) Add(model);
        }
        foreach (var store in environment.OllamaStores.Where(Directory.Exists))
        {
            cancellationToken.ThrowIfCancellationRequested();
            searched.Add(store);
            foreach (var model in ScanOllama(store, warnings)) Add(model);
        }
        return new LocatedModels(models, warnings, searched);
    }

    /// <summary>
    /// Describes the model whose (first) file is <paramref name="path"/>; a split model's other shards are found next
    /// to it. Throws <see cref="GgufFormatException"/>, <see cref="IOException"/> or <see cref="FileNotFoundException"/>.
    /// </summary>
    public static LocalModel Inspect(string path, ModelSource source = ModelSource.Path, string? sourceName = null)
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full)) throw new ModelFileNotFoundException(full, $"Model file not found: {full}");
        var shards = SplitName().Match(System.IO.Path.GetFileName(full)) is { Success: true } m
            ? Enumerable.Range(1, int.Parse(m.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture))
                .Select(i => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(full)!, $"{m.Groups["stem"].Value}-{i:00000}-of-{m.Groups["count"].Value}.gguf"))
                .ToList()
            : [full];
        return Describe(shards, source, sourceName);
    }

    // A split model: stem-00001-of-00003.gguf (llama.cpp's gguf-split naming).
    [GeneratedRegex(@"^(?<stem>.+)-(?<index>\d{5})-of-(?<count>\d{5})\.gguf$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SplitName();

    private static IEnumerable<LocalModel> ScanFolder(string folder, ModelSource source, Func<string, string?> sourceName, List<string> warnings)
    {
        var files = BoundedFileWalk.Find(folder, "*.gguf", WalkLimits.Default, warnings);
        foreach (var shards in GroupShards(files, warnings))
            if (TryDescribe(shards, source, sourceName(shards[0]), warnings) is { } model) yield return model;
    }

    // Single files as one-element lists; split files as one list per model, complete or skipped with a warning.
    private static IEnumerable<IReadOnlyList<string>> GroupShards(IEnumerable<string> files, List<string> warnings)
    {
        var splits = new Dictionary<string, List<(int Index, string File)>>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var match = SplitName().Match(System.IO.Path.GetFileName(file));
            if (!match.Success)
            {
                yield return [file];
                continue;
            }
            var key = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(file)!, match.Groups["stem"].Value) + "|" + match.Groups["count"].Value;
            if (!splits.TryGetValue(key, out var list)) splits[key] = list = [];
            list.Add((int.Parse(match.Groups["index"].Value, System.Globalization.CultureInfo.InvariantCulture), file));
        }
        foreach (var (key, shards) in splits)
        {
            var count = int.Parse(key[(key.LastIndexOf('|') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
            var ordered = shards.OrderBy(s => s.Index).ToList();
            if (ordered.Count != count || ordered.Select(s => s.Index).Where((index, i) => index != i + 1).Any())
            {
                warnings.Add($"{key[..key.LastIndexOf('|')]}: split model is incomplete ({ordered.Count} of {count} shards found); skipped.");
                continue;
            }
            yield return ordered.Select(s => s.File).ToList();
        }
    }

    private static IEnumerable<LocalModel> ScanHuggingFace(string cache, List<string> warnings)
    {
        IEnumerable<string> repositories;
        try { repositories = Directory.EnumerateDirectories(cache, "models--*").Order(StringComparer.Ordinal).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings.Add($"{cache}: could not be listed ({e.Message}).");
            yield break;
        }
        foreach (var repository in repositories)
        {
            var repositoryName = System.IO.Path.GetFileName(repository)["models--".Length..].Replace("--", "/", StringComparison.Ordinal);
            var snapshots = System.IO.Path.Combine(repository, "snapshots");
            if (!Directory.Exists(snapshots)) continue;
            // refs/main holds the commit the cache calls current; older snapshots are only used when there is none.
            var main = System.IO.Path.Combine(repository, "refs", "main");
            string? mainCommit = null;
            try { mainCommit = File.Exists(main) ? File.ReadAllText(main).Trim() : null; }
            catch (IOException e) { warnings.Add($"{main}: could not be read ({e.Message})."); }
            var chosen = mainCommit is { Length: > 0 } && Directory.Exists(System.IO.Path.Combine(snapshots, mainCommit))
                ? [System.IO.Path.Combine(snapshots, mainCommit)]
                : Directory.EnumerateDirectories(snapshots).Order(StringComparer.Ordinal).ToList();
            foreach (var snapshot in chosen)
                foreach (var model in ScanFolder(snapshot, ModelSource.HuggingFace, _ => repositoryName, warnings))
                    yield return model;
        }
    }

    private static string? PublisherAndModel(string root, string file)
    {
        var relative = System.IO.Path.GetRelativePath(root, System.IO.Path.GetDirectoryName(file)!);
        return relative == "." ? null : relative.Replace('\\', '/');
    }

    private static IEnumerable<LocalModel> ScanOllama(string store, List<string> warnings)
    {
        var manifests = System.IO.Path.Combine(store, "manifests");
        if (!Directory.Exists(manifests)) yield break;
        List<string> files;
        try
        {
            files = Directory.EnumerateFiles(manifests, "*", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 4, IgnoreInaccessible = true })
                .Order(StringComparer.Ordinal).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warnings.Add($"{manifests}: could not be listed ({e.Message}).");
            yield break;
        }
        foreach (var manifest in files)
        {
            // manifests/<host>/<namespace>/<model>/<tag>
            var parts = System.IO.Path.GetRelativePath(manifests, manifest).Split(System.IO.Path.DirectorySeparatorChar, System.IO.Path.AltDirectorySeparatorChar);
            if (parts.Length != 4) continue;
            var tag = OllamaTag(parts[0], parts[1], parts[2], parts[3]);
            var blob = OllamaBlob(store, manifest, tag, warnings);
            if (blob is null) continue;
            if (TryDescribe([blob], ModelSource.Ollama, tag, warnings) is { } model) yield return model;
        }
    }

    // How Ollama prints a name: "deepseek-r1:7b" for the library, "user/model:tag" for others, the host when not the default registry.
    private static string OllamaTag(string host, string space, string model, string tag) =>
        host == "registry.ollama.ai"
            ? (space == "library" ? $"{model}:{tag}" : $"{space}/{model}:{tag}")
            : $"{host}/{space}/{model}:{tag}";

    private static string? OllamaBlob(string store, string manifest, string tag, List<string> warnings)
    {
        string? digest;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(manifest));
            digest = document.RootElement.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array
                ? layers.EnumerateArray()
                    .Where(l => l.ValueKind == JsonValueKind.Object && l.TryGetProperty("mediaType", out var type) && type.ValueKind == JsonValueKind.String
                                && type.GetString() == OllamaModelMediaType)
                    .Select(l => l.TryGetProperty("digest", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null)
                    .FirstOrDefault()
                : null;
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            warnings.Add($"Ollama model {tag}: manifest {manifest} could not be read ({e.Message}); skipped.");
            return null;
        }
        if (digest is null || !digest.StartsWith("sha256:", StringComparison.Ordinal) || digest.Length != 71 || !digest[7..].All(char.IsAsciiHexDigit))
        {
            // Manifests without a model layer (embeddings-only pulls, adapters) are not models to run: skipped silently.
            if (digest is not null) warnings.Add($"Ollama model {tag}: manifest names an invalid blob digest '{digest}'; skipped.");
            return null;
        }
        var blobs = System.IO.Path.Combine(store, "blobs");
        var blob = System.IO.Path.Combine(blobs, "sha256-" + digest[7..]);
        if (File.Exists(blob)) return blob;
        // Ollama before 0.1.33 named blobs "sha256:<hex>".
        var legacy = System.IO.Path.Combine(blobs, digest);
        if (!OperatingSystem.IsWindows() && File.Exists(legacy)) return legacy;
        warnings.Add($"Ollama model {tag}: blob {blob} is missing; skipped (run 'ollama pull {tag}' to repair it).");
        return null;
    }

    private static LocalModel? TryDescribe(IReadOnlyList<string> shards, ModelSource source, string? sourceName, List<string> warnings)
    {
        try
        {
            // Reading a header with a 150k-token vocabulary takes tens of milliseconds; a name lookup locates every
            // model, and one run looks a name up more than once, so unchanged files are described once per process.
            var key = string.Join('|', shards.Select(f => new FileInfo(f) is var info && info.Exists
                ? $"{f}:{info.Length}:{info.LastWriteTimeUtc.Ticks}:{(info.LinkTarget is null ? "" : new FileInfo(f).ResolveLinkTarget(true)?.LastWriteTimeUtc.Ticks)}"
                : f)) + $"|{source}|{sourceName}";
            if (Described.TryGetValue(key, out var known)) return known;
            var model = Describe(shards, source, sourceName);
            Described[key] = model;
            return model;
        }
        catch (Exception e) when (e is GgufFormatException or IOException or UnauthorizedAccessException)
        {
            warnings.Add($"{shards[0]}: not a readable GGUF model ({e.Message}); skipped.");
            return null;
        }
    }

    private static LocalModel Describe(IReadOnlyList<string> shards, ModelSource source, string? sourceName)
    {
        foreach (var shard in shards)
            if (!File.Exists(shard)) throw new FileNotFoundException($"Shard {shard} of the split model is missing.", shard);
        var files = shards.Select(GgufReader.Read).ToList();
        var first = files[0];
        if (first.SplitCount != shards.Count && shards.Count > 1)
            throw new GgufFormatException(0, $"split.count is {first.SplitCount} but {shards.Count} shard files are named.");
        var size = files.Sum(f => f.FileLength);
        var parameters = files.Sum(f => f.ParameterCount);
        var fileStem = ModelNaming.FileStem(shards[0]);
        var catalog = ModelNaming.CatalogMatch(first, [first.Name, ModelNaming.BaseAndSize(first), fileStem, sourceName]);
        var name = catalog?.Name ?? first.Name ?? (source == ModelSource.Ollama && sourceName is not null ? sourceName : fileStem);
        var isDistill = catalog is not null || ModelNaming.LooksLikeR1Distill(first, [first.Name, first.Metadata.TryGetString("general.basename"), fileStem, sourceName]);
        ModelSpec? spec;
        try { spec = GgufModelSpec.From(first, name) with { FileSizeBytes = size }; }
        catch (Exception e) when (e is ArgumentException or GgufFormatException) { spec = null; }
        return new LocalModel(name, shards[0], source, sourceName, first.Architecture, parameters, first.FileType ?? "unknown", first.ContextLength,
            size, shards, isDistill, catalog, spec);
    }

    private static string RealPath(string path)
    {
        try
        {
            var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
            return target?.FullName ?? System.IO.Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return System.IO.Path.GetFullPath(path);
        }
    }
}

/// <summary>Recognises catalog models and R1 distills from metadata and names (pure).</summary>
internal static class ModelNaming
{
    // "DeepSeek R1 Distill Qwen 7B", "deepseek_r1_distill_qwen_7b" and "DeepSeek-R1-Distill-Qwen-7B" all read the same.
    public static string Normalize(string text) => string.Join('-',
        text.ToLowerInvariant().Split([' ', '_', '-', '/', ':'], StringSplitOptions.RemoveEmptyEntries));

    public static string? BaseAndSize(GgufFile file) =>
        file.Metadata.TryGetString("general.basename") is { } basename && file.Metadata.TryGetString("general.size_label") is { } size
            ? $"{basename}-{size}"
            : null;

    /// <summary>The file name without ".gguf" and without a split suffix.</summary>
    public static string FileStem(string path)
    {
        var name = Path.GetFileName(path);
        if (name.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase)) name = name[..^5];
        var split = name.LastIndexOf("-of-", StringComparison.OrdinalIgnoreCase);
        return split > 6 && name.Length - split == 9 && name[(split - 6)] == '-' ? name[..(split - 6)] : name;
    }

    /// <summary>The catalog model one of <paramref name="names"/> names, when the file's shape agrees with it.</summary>
    public static CatalogModel? CatalogMatch(GgufFile file, IEnumerable<string?> names)
    {
        foreach (var text in names.OfType<string>().Select(Normalize))
        {
            var model = ModelCatalog.All.FirstOrDefault(m => ContainsWord(text, Normalize(m.Name)))
                        ?? (text.StartsWith(ModelCatalog.OllamaLibrary + "-", StringComparison.Ordinal)
                            ? ModelCatalog.Find(ModelCatalog.OllamaLibrary + ":" + text[(ModelCatalog.OllamaLibrary.Length + 1)..])?.Model
                            : null);
            // A name is a claim; the layer count and width confirm it (Ollama's bare deepseek-r1:8b is now a Qwen3 model).
            if (model is not null && file.BlockCount == model.Shape.Layers && file.EmbeddingLength == model.Shape.EmbeddingLength) return model;
        }
        return null;
    }

    public static bool LooksLikeR1Distill(GgufFile file, IEnumerable<string?> names) =>
        file.Metadata.TryGetString("tokenizer.ggml.pre") == "deepseek-r1-qwen"
        || names.OfType<string>().Any(n => Normalize(n).Contains("r1-distill", StringComparison.Ordinal));

    private static bool ContainsWord(string text, string word)
    {
        for (var at = text.IndexOf(word, StringComparison.Ordinal); at >= 0; at = text.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            var end = at + word.Length;
            if ((at == 0 || text[at - 1] == '-') && (end == text.Length || text[end] == '-')) return true;
        }
        return false;
    }
}
