using ReasonTools.Core.Models;

namespace ReasonTools.Core.Tests.Models;

public class ModelCatalogTests
{
    [Theory]
    [InlineData("1.5b", "DeepSeek-R1-Distill-Qwen-1.5B", null)]
    [InlineData("7B", "DeepSeek-R1-Distill-Qwen-7B", null)]
    [InlineData("32b", "DeepSeek-R1-Distill-Qwen-32B", null)]
    [InlineData("deepseek-r1-distill-llama-70b", "DeepSeek-R1-Distill-Llama-70B", null)]
    [InlineData("Qwen-14B", "DeepSeek-R1-Distill-Qwen-14B", null)]
    [InlineData("R1-Distill-Llama-8B", "DeepSeek-R1-Distill-Llama-8B", null)]
    [InlineData("deepseek-r1:7b", "DeepSeek-R1-Distill-Qwen-7B", "Q4_K_M")]
    [InlineData("deepseek-r1:7b-qwen-distill-q8_0", "DeepSeek-R1-Distill-Qwen-7B", "Q8_0")]
    [InlineData("deepseek-r1:70b-llama-distill-fp16", "DeepSeek-R1-Distill-Llama-70B", "F16")]
    [InlineData("DeepSeek-R1-Distill-Qwen-7B-Q5_K_M.gguf", "DeepSeek-R1-Distill-Qwen-7B", "Q5_K_M")]
    [InlineData("bartowski/DeepSeek-R1-Distill-Qwen-14B-GGUF", "DeepSeek-R1-Distill-Qwen-14B", null)]
    public void Finds_models_by_size_name_and_ollama_tag(string query, string name, string? quantization)
    {
        var selection = ModelCatalog.Find(query);
        Assert.NotNull(selection);
        Assert.Equal(name, selection.Model.Name);
        Assert.Equal(quantization, selection.Quantization);
    }

    [Theory]
    [InlineData("13b")]
    [InlineData("")]
    [InlineData("deepseek-r1:7b-llama-distill")]
    [InlineData("deepseek-r1:latest")]
    [InlineData("DeepSeek-R1-Distill-Qwen-7B-Q9_X")]
    public void Unknown_queries_find_nothing(string query) => Assert.Null(ModelCatalog.Find(query));

    [Fact]
    public void Get_names_the_accepted_forms_when_the_query_is_unknown()
    {
        var error = Assert.Throws<UnknownModelException>(() => ModelCatalog.Get("13b"));
        Assert.Contains("1.5b, 7b, 8b, 14b, 32b, 70b", error.Message);
        Assert.Contains("deepseek-r1:7b", error.Message);
    }

    [Fact]
    public void Shapes_give_the_published_parameter_counts_within_one_percent()
    {
        foreach (var model in ModelCatalog.All)
        {
            double ratio = (double)model.Shape.EstimateParameters() / model.Parameters;
            Assert.True(Math.Abs(ratio - 1) < 0.01, $"{model.Name}: {model.Shape.EstimateParameters()} vs {model.Parameters}");
        }
    }

    [Theory]
    [InlineData("1.5b", 28)]
    [InlineData("7b", 56)]
    [InlineData("14b", 192)]
    [InlineData("32b", 256)]
    public void Kv_cache_per_token_matches_the_reference(string size, long kib) =>
        Assert.Equal(kib * 1024, FitEstimator.KvCacheBytes(ModelCatalog.Get(size).Model.Shape, contextSize: 1));

    [Fact]
    public void Files_carry_repository_names_and_shards()
    {
        var f16 = ModelCatalog.Get("32b").Model.File("F16")!;
        Assert.Equal("unsloth/DeepSeek-R1-Distill-Qwen-32B-GGUF", f16.Repository);
        Assert.Equal(["DeepSeek-R1-Distill-Qwen-32B-F16-00001-of-00002.gguf", "DeepSeek-R1-Distill-Qwen-32B-F16-00002-of-00002.gguf"], f16.FileNames);
        Assert.Equal(65_500_000_000, f16.SizeBytes);
        Assert.Equal("DeepSeek-R1-Distill-Qwen-14B-f16.gguf", ModelCatalog.Get("14b").Model.File("F16")!.FileNames.Single());
        Assert.Null(ModelCatalog.Get("70b").Model.File("F16"));
        Assert.Equal(new Uri("https://huggingface.co/unsloth/DeepSeek-R1-Distill-Qwen-7B-GGUF/resolve/main/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf"),
            ModelCatalog.Get("7b").Model.File("q4_k_m")!.DownloadUris.Single());
        Assert.Equal(1_120_000_000, ModelCatalog.Get("1.5b").Model.File("Q4_K_M")!.SizeBytes);
    }

    [Fact]
    public void Quality_rank_orders_quantizations()
    {
        string[] ordered = ["Q2_K", "Q3_K_M", "Q4_K_M", "Q5_K_M", "Q6_K", "Q8_0", "F16"];
        Assert.Equal(ordered, ordered.OrderBy(ModelCatalog.QualityRank));
        Assert.Equal(ModelCatalog.QualityRank("F16"), ModelCatalog.QualityRank("BF16"));
    }

    [Fact]
    public void Published_scores_are_attached()
    {
        Assert.Equal(72.6, ModelCatalog.Get("32b").Model.Scores.Aime2024Pass1);
        Assert.Equal(954, ModelCatalog.Get("1.5b").Model.Scores.CodeforcesRating);
    }
}
