using ReasonTools.Core.Models;
using ReasonTools.Testing;
using ModelShape = ReasonTools.Core.Models.ModelShape;

namespace ReasonTools.Core.Tests.Models.Locator;

public sealed class LocatorResolverTests : IDisposable
{
    private readonly FakeModelTree _tree = new();

    public void Dispose() => _tree.Dispose();

    private IReadOnlyList<LocalModel> Found => ModelLocator.Locate(_tree.Environment).Models;

    private string Ollama7B() =>
        _tree.AddOllama("deepseek-r1:7b", FakeModelTree.WriteCatalogModel(_tree.Temp("7b"), "7b", FakeModelTree.Q4_K_M, sizeBytes: 4_680_000_000));

    [Theory]
    [InlineData("7b")]
    [InlineData("7B")]
    [InlineData("deepseek-r1:7b")]
    [InlineData("deepseek-r1:7b-qwen-distill-q4_K_M")]
    [InlineData("DeepSeek-R1-Distill-Qwen-7B")]
    [InlineData("DeepSeek-R1-Distill-Qwen-7B-Q4_K_M")]
    [InlineData("deepseek-r1-distill-qwen-7b-q4_k_m.gguf")]
    [InlineData("7b-q4_k_m")]
    [InlineData("Qwen-7B:Q4_K_M")]
    [InlineData("unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF")]
    public void Sizes_names_and_Ollama_tags_resolve_to_the_one_local_file(string reference)
    {
        var blob = Ollama7B();

        Assert.Equal(blob, ModelResolver.Resolve(reference, Found).Path);
        Assert.Equal(blob, ModelResolver.ResolveLocal(reference, _tree.Environment));
    }

    [Fact]
    public void A_catalog_model_that_is_not_here_says_which_pull_command_gets_it()
    {
        Ollama7B();

        var missing = Assert.Throws<ModelNotDownloadedException>(() => ModelResolver.Resolve("14b", Found));
        Assert.Equal(ReasonTools.Core.FailureKind.ModelNotFound, missing.Kind);
        Assert.Contains(missing.NextSteps, s => s is { Kind: ReasonTools.Core.NextStepKind.Download, Model: "14b", Quantization: null });

        var otherQuant = Assert.Throws<ModelNotDownloadedException>(() => ModelResolver.Resolve("DeepSeek-R1-Distill-Qwen-7B-Q8_0", Found));
        Assert.Contains(otherQuant.NextSteps, s => s is { Kind: ReasonTools.Core.NextStepKind.Download, Model: "7b", Quantization: "Q8_0" });
        Assert.Contains("found locally: Q4_K_M", otherQuant.Message);
        Assert.Equal("Q8_0", otherQuant.Quantization);
    }

    [Fact]
    public void Two_quantizations_of_one_size_are_ambiguous_until_the_quantization_is_named()
    {
        var blob = Ollama7B();
        var q8 = FakeModelTree.WriteCatalogModel(Path.Combine(_tree.DefaultFolder, "DeepSeek-R1-Distill-Qwen-7B-Q8_0.gguf"), "7b", FakeModelTree.Q8_0);

        var ambiguous = Assert.Throws<AmbiguousModelException>(() => ModelResolver.Resolve("7b", Found));
        Assert.Equal(2, ambiguous.Candidates.Count);
        Assert.Contains(blob, ambiguous.Message);
        Assert.Contains(q8, ambiguous.Message);
        Assert.Contains("Q4_K_M", ambiguous.Message);
        Assert.Equal(q8, ModelResolver.Resolve("7b-Q8_0", Found).Path);
        Assert.Equal(blob, ModelResolver.Resolve("deepseek-r1:7b", Found).Path);
    }

    [Fact]
    public void Copies_of_the_same_model_and_quantization_resolve_to_the_first_source()
    {
        Ollama7B();
        var own = FakeModelTree.WriteCatalogModel(Path.Combine(_tree.DefaultFolder, "DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf"), "7b", FakeModelTree.Q4_K_M);

        Assert.Equal(own, ModelResolver.Resolve("7b", Found).Path);
    }

    [Fact]
    public void Files_outside_the_catalog_resolve_by_file_name_general_name_or_Ollama_tag()
    {
        var folder = _tree.Dir("gguf");
        _tree.Variables["REASONTOOLS_MODELS"] = folder;
        var tiny = Path.Combine(folder, "tiny-r1.gguf");
        File.Copy(SyntheticModels.GetFile(ScriptKind.ClosedChain), tiny);
        var qwen3 = _tree.AddOllama("deepseek-r1:8b", FakeModelTree.WriteModel(_tree.Temp("q3"), "DeepSeek R1 0528 Qwen3 8B",
            new ModelShape("qwen3", 36, 4096, 32, 8, 128, 12288, 151936), FakeModelTree.Q4_K_M));

        Assert.Equal(tiny, ModelResolver.Resolve("tiny-r1", Found).Path);
        Assert.Equal(tiny, ModelResolver.Resolve("ReasonTools Synthetic R1 ClosedChain", Found).Path);
        Assert.Equal(qwen3, ModelResolver.Resolve("deepseek-r1:8b", Found).Path);
        // The catalog's 8b is the Llama distill, which is not here: the Qwen3 model under the same tag does not stand in for it.
        Assert.Throws<ModelNotDownloadedException>(() => ModelResolver.Resolve("8b", Found));
    }

    [Fact]
    public void Unknown_names_and_missing_paths_are_typed_errors()
    {
        Ollama7B();

        var unknown = Assert.Throws<UnknownModelException>(() => ModelResolver.Resolve("gpt-5", Found));
        Assert.Contains("1.5b", unknown.Message);
        Assert.Throws<ModelFileNotFoundException>(() => ModelResolver.ResolveLocal("./nothing/here.gguf", _tree.Environment));
        Assert.Throws<ModelFileNotFoundException>(() => ModelResolver.ResolveLocal("no-such-model.gguf", _tree.Environment));
        Assert.Equal(ReasonTools.Core.FailureKind.BadInput, Assert.Throws<ReasonTools.Core.ReasonFailure>(() => ModelResolver.ResolveLocal("  ", _tree.Environment)).Kind);
    }

    [Fact]
    public void An_existing_path_is_returned_as_given_without_searching()
    {
        var file = SyntheticModels.GetFile(ScriptKind.ClosedChain);

        Assert.Equal(file, ModelResolver.ResolveLocal(file, _tree.Environment));
    }

    [Fact]
    public void The_best_local_model_is_the_largest_R1_distill_that_fits_and_is_fast_enough()
    {
        Ollama7B();
        FakeModelTree.WriteCatalogModel(Path.Combine(_tree.LmStudio, "lmstudio-community", "DeepSeek-R1-Distill-Llama-8B-GGUF", "DeepSeek-R1-Distill-Llama-8B-Q4_K_M.gguf"),
            "8b", FakeModelTree.Q4_K_M, sizeBytes: 4_920_000_000);
        FakeModelTree.WriteCatalogModel(Path.Combine(_tree.DefaultFolder, "DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf"), "32b", FakeModelTree.Q4_K_M, sizeBytes: 19_900_000_000);
        var laptop = MachineProfile.CpuOnly(16_000_000_000, 60);
        var workstation = MachineProfile.CpuOnly(64_000_000_000, 400);

        Assert.Equal("DeepSeek-R1-Distill-Llama-8B", ModelResolver.ChooseBestLocal(laptop, _tree.Environment).Candidate.Spec.Name);
        var big = ModelResolver.ChooseBestLocal(workstation, _tree.Environment);
        Assert.Equal("DeepSeek-R1-Distill-Qwen-32B", big.Candidate.Spec.Name);
        Assert.False(big.NeedsDownload);
        Assert.EndsWith("DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf", big.Candidate.Path);
    }

    [Fact]
    public void With_no_local_R1_distill_the_error_names_a_download_that_fits()
    {
        var folder = _tree.Dir("gguf");
        _tree.Variables["REASONTOOLS_MODELS"] = folder;
        FakeModelTree.WriteModel(Path.Combine(folder, "qwen2.5-0.5b.gguf"), "Qwen2.5 0.5B Instruct", new ModelShape("qwen2", 24, 896, 14, 2, 64, 4864, 1000), FakeModelTree.Q8_0);

        var none = Assert.Throws<NoRunnableModelException>(() => ModelResolver.ChooseBestLocal(MachineProfile.CpuOnly(16_000_000_000, 60), _tree.Environment));

        Assert.Contains("No DeepSeek-R1-Distill model was found", none.Message);
        Assert.Contains(none.NextSteps, s => s.Kind == ReasonTools.Core.NextStepKind.Download && s.Model is not null);
    }

    [Fact]
    public void Assess_gives_each_model_its_fit_on_the_machine()
    {
        Ollama7B();
        FakeModelTree.WriteCatalogModel(Path.Combine(_tree.DefaultFolder, "DeepSeek-R1-Distill-Qwen-32B-Q4_K_M.gguf"), "32b", FakeModelTree.Q4_K_M, sizeBytes: 19_900_000_000);

        var fits = ModelResolver.Assess(Found, MachineProfile.CpuOnly(16_000_000_000, 60));

        Assert.True(fits.Single(f => f.Model.Name.EndsWith("7B", StringComparison.Ordinal)).Estimate!.Fits);
        Assert.False(fits.Single(f => f.Model.Name.EndsWith("32B", StringComparison.Ordinal)).Estimate!.Fits);
    }
}
