using ReasonTools.Core.Models;
using ReasonTools.Testing;
using ModelShape = ReasonTools.Core.Models.ModelShape;

namespace ReasonTools.Core.Tests.Models.Locator;

public sealed class LocatorTests : IDisposable
{
    private static readonly ModelShape Qwen3_8B = new("qwen3", 36, 4096, 32, 8, 128, 12288, 151936);
    private static readonly ModelShape Qwen25_05B = new("qwen2", 24, 896, 14, 2, 64, 4864, 1000);

    private readonly FakeModelTree _tree = new();

    public void Dispose() => _tree.Dispose();

    /// <summary>One model per source, the way each tool lays its files out.</summary>
    private void BuildStandardTree()
    {
        _tree.AddOllama("deepseek-r1:7b", FakeModelTree.WriteCatalogModel(_tree.Temp("a"), "7b", FakeModelTree.Q4_K_M, sizeBytes: 4_680_000_000));
        _tree.AddHuggingFace("unsloth/DeepSeek-R1-Distill-Qwen-1.5B-GGUF", "c0ffee", "DeepSeek-R1-Distill-Qwen-1.5B-Q8_0.gguf",
            FakeModelTree.WriteCatalogModel(_tree.Temp("b"), "1.5b", FakeModelTree.Q8_0, sizeBytes: 1_890_000_000));
        FakeModelTree.WriteCatalogModel(Path.Combine(_tree.LmStudio, "lmstudio-community", "DeepSeek-R1-Distill-Llama-8B-GGUF", "DeepSeek-R1-Distill-Llama-8B-Q4_K_M.gguf"),
            "8b", FakeModelTree.Q4_K_M, sizeBytes: 4_920_000_000);
        for (var i = 1; i <= 2; i++)
            FakeModelTree.WriteCatalogModel(Path.Combine(_tree.DefaultFolder, $"DeepSeek-R1-Distill-Qwen-32B-F16-0000{i}-of-00002.gguf"), "32b", FakeModelTree.F16,
                sizeBytes: 32_750_000_000, split: (i - 1, 2));
        var configured = _tree.Dir("gguf");
        _tree.Variables["REASONTOOLS_MODELS"] = configured;
        FakeModelTree.WriteModel(Path.Combine(configured, "qwen2.5-0.5b-instruct-q8_0.gguf"), "Qwen2.5 0.5B Instruct", Qwen25_05B, FakeModelTree.Q8_0);
    }

    [Fact]
    public void Finds_a_model_in_each_source_with_its_name_source_and_quantization()
    {
        BuildStandardTree();

        var found = ModelLocator.Locate(_tree.Environment);

        Assert.Empty(found.Warnings);
        Assert.Equal(5, found.Models.Count);
        var ollama = Assert.Single(found.Models, m => m.Source == ModelSource.Ollama);
        Assert.Equal(("deepseek-r1:7b", "DeepSeek-R1-Distill-Qwen-7B", "Q4_K_M"), (ollama.SourceName, ollama.Name, ollama.Quantization));
        Assert.StartsWith(Path.Combine(_tree.Ollama, "blobs", "sha256-"), ollama.Path);
        var hf = Assert.Single(found.Models, m => m.Source == ModelSource.HuggingFace);
        Assert.Equal(("unsloth/DeepSeek-R1-Distill-Qwen-1.5B-GGUF", "DeepSeek-R1-Distill-Qwen-1.5B", "Q8_0"), (hf.SourceName, hf.Name, hf.Quantization));
        Assert.Equal(1_890_000_000, hf.SizeBytes); // the blob's size, not the symlink's
        var lm = Assert.Single(found.Models, m => m.Source == ModelSource.LmStudio);
        Assert.Equal(("lmstudio-community/DeepSeek-R1-Distill-Llama-8B-GGUF", "DeepSeek-R1-Distill-Llama-8B", "llama"), (lm.SourceName, lm.Name, lm.Architecture));
        var split = Assert.Single(found.Models, m => m.Source == ModelSource.Default);
        Assert.Equal(2, split.Files.Count);
        Assert.EndsWith("-00001-of-00002.gguf", split.Path);
        Assert.Equal(2 * 32_750_000_000L, split.SizeBytes);
        Assert.Equal(2 * 32_750_000_000L, split.Spec!.FileSizeBytes);
        Assert.Equal(ModelCatalog.Get("32b").Model, split.Catalog);
        var other = Assert.Single(found.Models, m => m.Source == ModelSource.Configured);
        Assert.Equal(("Qwen2.5 0.5B Instruct", false, null), (other.Name, other.IsR1Distill, other.Catalog));
        Assert.Equal(4, found.Models.Count(m => m.IsR1Distill && m.Catalog is not null));
        Assert.Equal(131072, ollama.ContextLength);
    }

    [Fact]
    public void Candidates_for_the_chooser_are_the_R1_distills_only()
    {
        BuildStandardTree();

        var candidates = ModelLocator.Locate(_tree.Environment).Candidates;

        Assert.Equal(4, candidates.Count);
        Assert.All(candidates, c => Assert.NotNull(c.Path));
        Assert.DoesNotContain(candidates, c => c.Spec.Name.Contains("Qwen2.5", StringComparison.Ordinal));
    }

    [Fact]
    public void A_corrupt_file_an_incomplete_split_and_a_missing_Ollama_blob_are_skipped_with_warnings()
    {
        var folder = _tree.Dir("gguf");
        _tree.Variables["REASONTOOLS_MODELS"] = folder;
        File.WriteAllText(Path.Combine(folder, "corrupt.gguf"), "this is not a GGUF file at all");
        FakeModelTree.WriteCatalogModel(Path.Combine(folder, "DeepSeek-R1-Distill-Qwen-14B-Q8_0-00001-of-00003.gguf"), "14b", FakeModelTree.Q8_0, split: (0, 3));
        FakeModelTree.WriteCatalogModel(Path.Combine(folder, "DeepSeek-R1-Distill-Qwen-14B-Q8_0-00003-of-00003.gguf"), "14b", FakeModelTree.Q8_0, split: (2, 3));
        var blob = _tree.AddOllama("deepseek-r1:14b", FakeModelTree.WriteCatalogModel(_tree.Temp("c"), "14b", FakeModelTree.Q4_K_M));
        File.Delete(blob);
        File.Copy(SyntheticModels.GetFile(ScriptKind.ClosedChain), Path.Combine(folder, "good.gguf"));

        var found = ModelLocator.Locate(_tree.Environment);

        Assert.Equal("good.gguf", Path.GetFileName(Assert.Single(found.Models).Path));
        Assert.Equal(3, found.Warnings.Count);
        Assert.Contains(found.Warnings, w => w.Contains("corrupt.gguf", StringComparison.Ordinal) && w.Contains("skipped", StringComparison.Ordinal));
        Assert.Contains(found.Warnings, w => w.Contains("2 of 3 shards", StringComparison.Ordinal));
        Assert.Contains(found.Warnings, w => w.Contains("deepseek-r1:14b", StringComparison.Ordinal) && w.Contains("ollama pull", StringComparison.Ordinal));
    }

    [Fact]
    public void A_synthetic_model_is_recognised_as_an_R1_distill_by_its_tokenizer_but_matches_no_catalog_model()
    {
        var folder = _tree.Dir("gguf");
        _tree.Variables["REASONTOOLS_MODELS"] = folder;
        File.Copy(SyntheticModels.GetFile(ScriptKind.ClosedChain), Path.Combine(folder, "tiny.gguf"));

        var model = Assert.Single(ModelLocator.Locate(_tree.Environment).Models);

        Assert.True(model.IsR1Distill);
        Assert.Null(model.Catalog);
        Assert.Equal("ReasonTools Synthetic R1 ClosedChain", model.Name);
        Assert.Equal("F16", model.Quantization);
    }

    [Fact]
    public void The_Hugging_Face_snapshot_that_refs_main_names_wins_over_older_snapshots()
    {
        const string Repository = "bartowski/DeepSeek-R1-Distill-Qwen-14B-GGUF";
        _tree.AddHuggingFace(Repository, "0ld", "DeepSeek-R1-Distill-Qwen-14B-Q4_K_M.gguf",
            FakeModelTree.WriteCatalogModel(_tree.Temp("old"), "14b", FakeModelTree.Q4_K_M), isMain: false);
        _tree.AddHuggingFace(Repository, "new", "DeepSeek-R1-Distill-Qwen-14B-Q6_K.gguf",
            FakeModelTree.WriteCatalogModel(_tree.Temp("new"), "14b", 18));

        var model = Assert.Single(ModelLocator.Locate(_tree.Environment).Models);

        Assert.Equal("Q6_K", model.Quantization);
        Assert.Contains(Path.Combine("snapshots", "new"), model.Path);
    }

    [Fact]
    public void A_dangling_Hugging_Face_symlink_is_a_warning()
    {
        var link = _tree.AddHuggingFace("unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF", "abc", "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf",
            FakeModelTree.WriteCatalogModel(_tree.Temp("d"), "7b", FakeModelTree.Q4_K_M));
        File.Delete(new FileInfo(link).ResolveLinkTarget(true)!.FullName);

        var found = ModelLocator.Locate(_tree.Environment);

        Assert.Empty(found.Models);
        Assert.Contains(found.Warnings, w => w.Contains("DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf", StringComparison.Ordinal));
    }

    [Fact]
    public void Ollamas_bare_8b_tag_holding_a_Qwen3_model_is_not_taken_for_the_Llama_distill()
    {
        _tree.AddOllama("deepseek-r1:8b", FakeModelTree.WriteModel(_tree.Temp("q3"), "DeepSeek R1 0528 Qwen3 8B", Qwen3_8B, FakeModelTree.Q4_K_M));
        _tree.AddOllama("deepseek-r1:8b-llama-distill-q4_K_M", FakeModelTree.WriteModel(_tree.Temp("ll"), "DeepSeek R1 Distill Llama 8B",
            ModelCatalog.Get("8b").Model.Shape, FakeModelTree.Q4_K_M));

        var models = ModelLocator.Locate(_tree.Environment).Models;

        var qwen3 = Assert.Single(models, m => m.SourceName == "deepseek-r1:8b");
        Assert.Null(qwen3.Catalog);
        Assert.False(qwen3.IsR1Distill);
        Assert.Equal("DeepSeek R1 0528 Qwen3 8B", qwen3.Name);
        Assert.Equal("DeepSeek-R1-Distill-Llama-8B", Assert.Single(models, m => m.SourceName == "deepseek-r1:8b-llama-distill-q4_K_M").Name);
    }

    [Fact]
    public void Ollama_names_outside_the_library_keep_their_namespace_and_manifests_without_a_model_layer_are_ignored()
    {
        _tree.AddOllama("r1-7b:q4", FakeModelTree.WriteCatalogModel(_tree.Temp("u"), "7b", FakeModelTree.Q4_K_M), space: "someone");
        _tree.AddOllama("adapter:v1", FakeModelTree.WriteCatalogModel(_tree.Temp("v"), "7b", FakeModelTree.Q4_K_M), space: "someone", withModelLayer: false);

        var found = ModelLocator.Locate(_tree.Environment);

        Assert.Equal("someone/r1-7b:q4", Assert.Single(found.Models).SourceName);
        Assert.Empty(found.Warnings);
    }

    [Fact]
    public void The_same_file_reached_through_two_folders_is_listed_once_from_the_first()
    {
        FakeModelTree.WriteCatalogModel(Path.Combine(_tree.DefaultFolder, "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf"), "7b", FakeModelTree.Q4_K_M);
        _tree.Variables["REASONTOOLS_MODELS"] = _tree.DefaultFolder + ":" + _tree.DefaultFolder;

        var model = Assert.Single(ModelLocator.Locate(_tree.Environment).Models);

        Assert.Equal(ModelSource.Configured, model.Source);
    }

    [Fact]
    public void Settings_file_folders_are_searched_with_the_home_expanded_and_a_broken_file_is_a_warning()
    {
        var folder = _tree.Dir("more models");
        FakeModelTree.WriteCatalogModel(Path.Combine(folder, "sub", "DeepSeek-R1-Distill-Qwen-7B-Q8_0.gguf"), "7b", FakeModelTree.Q8_0);
        var settings = _tree.Environment.SettingsFile;
        Directory.CreateDirectory(Path.GetDirectoryName(settings)!);
        File.WriteAllText(settings, """{ "modelFolders": ["~/more models", "~/missing"], }""");

        var found = ModelLocator.Locate(_tree.Environment);

        Assert.Equal("Q8_0", Assert.Single(found.Models).Quantization);
        Assert.Contains(found.Warnings, w => w.Contains(Path.Combine(_tree.Home, "missing"), StringComparison.Ordinal));

        File.WriteAllText(settings, "{ modelFolders: ");
        var broken = ModelLocator.Locate(_tree.Environment);
        Assert.Empty(broken.Models);
        Assert.Contains(broken.Warnings, w => w.Contains("settings file could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public void Environment_variables_move_the_Ollama_and_Hugging_Face_stores()
    {
        var ollama = _tree.Dir("elsewhere", "ollama");
        var hf = _tree.Dir("elsewhere", "hf");
        _tree.Variables["OLLAMA_MODELS"] = ollama;
        _tree.Variables["HF_HOME"] = hf;

        Assert.Equal([ollama], _tree.Environment.OllamaStores);
        Assert.Equal(Path.Combine(hf, "hub"), _tree.Environment.HuggingFaceCache);
        _tree.Variables["HF_HUB_CACHE"] = "/cache/direct";
        Assert.Equal("/cache/direct", _tree.Environment.HuggingFaceCache);
    }

    [Fact]
    public void Default_folders_follow_each_platforms_conventions()
    {
        var linux = ModelEnvironment.Create("/home/ann");
        var windows = ModelEnvironment.Create(@"C:\Users\ann", new Dictionary<string, string> { ["LOCALAPPDATA"] = @"C:\Users\ann\AppData\Local" }, ModelPlatform.Windows);
        var mac = ModelEnvironment.Create("/Users/ann", platform: ModelPlatform.MacOS);

        Assert.Equal(Path.Combine("/home/ann", ".local", "share", "reasontools", "models"), linux.DefaultModelFolder);
        Assert.Equal(Path.Combine("/home/ann", ".config", "reasontools", "settings.json"), linux.SettingsFile);
        Assert.Equal(Path.Combine(@"C:\Users\ann\AppData\Local", "ReasonTools", "models"), windows.DefaultModelFolder);
        Assert.Equal(';', windows.PathListSeparator);
        Assert.Equal(Path.Combine(@"C:\Users\ann", ".config", "reasontools", "settings.json"), windows.SettingsFile);
        Assert.Equal("/etc/rt.json", ModelEnvironment.Create("/home/ann", new Dictionary<string, string> { ["REASONTOOLS_SETTINGS"] = "/etc/rt.json" }).SettingsFile);
        Assert.Equal(Path.Combine("/Users/ann", "Library", "Application Support", "ReasonTools", "models"), mac.DefaultModelFolder);
        Assert.Equal(Path.Combine("/home/ann", ".ollama", "models"), Assert.Single(linux.OllamaStores));
    }

    [Fact]
    public void Inspect_reads_a_split_model_from_its_first_shard()
    {
        var folder = _tree.Dir("split");
        for (var i = 1; i <= 2; i++)
            FakeModelTree.WriteCatalogModel(Path.Combine(folder, $"DeepSeek-R1-Distill-Llama-70B-Q8_0-0000{i}-of-00002.gguf"), "70b", FakeModelTree.Q8_0,
                sizeBytes: 5_000_000_000, split: (i - 1, 2));

        var model = ModelLocator.Inspect(Path.Combine(folder, "DeepSeek-R1-Distill-Llama-70B-Q8_0-00001-of-00002.gguf"));

        Assert.Equal(("DeepSeek-R1-Distill-Llama-70B", "Q8_0", 2, 10_000_000_000L), (model.Name, model.Quantization, model.Files.Count, model.SizeBytes));
        Assert.Throws<ModelFileNotFoundException>(() => ModelLocator.Inspect(Path.Combine(folder, "nothing.gguf")));
    }

    [Fact]
    public void A_file_replaced_in_place_is_read_again()
    {
        var path = Path.Combine(_tree.DefaultFolder, "DeepSeek-R1-Distill-Qwen-7B.gguf");
        FakeModelTree.WriteCatalogModel(path, "7b", FakeModelTree.Q4_K_M, sizeBytes: 4_680_000_000);
        Assert.Equal("Q4_K_M", Assert.Single(ModelLocator.Locate(_tree.Environment).Models).Quantization);

        FakeModelTree.WriteCatalogModel(path, "7b", FakeModelTree.Q8_0, sizeBytes: 8_100_000_000);

        var model = Assert.Single(ModelLocator.Locate(_tree.Environment).Models);
        Assert.Equal(("Q8_0", 8_100_000_000L), (model.Quantization, model.SizeBytes));
    }
}
