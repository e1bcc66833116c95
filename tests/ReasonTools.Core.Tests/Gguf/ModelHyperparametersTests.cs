using ReasonTools.Core.Gguf;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Gguf;

/// <summary>Every hyperparameter llama.cpp asserts on is refused before it sees the file, naming the key and value.</summary>
public sealed class ModelHyperparametersTests
{
    public static TheoryData<string> HostileCases() => new(HostileModels.Hyperparameters().Select(m => m.Name));

    private static GgufFile Read(byte[] bytes) => GgufReader.Read(new MemoryStream(bytes), bytes.Length);

    [Theory]
    [MemberData(nameof(HostileCases))]
    public void A_hyperparameter_llama_cpp_cannot_run_is_refused_naming_its_key(string name)
    {
        var model = HostileModels.Hyperparameters().Single(m => m.Name == name);
        var file = Read(model.Bytes); // the GGUF reader accepts it: only the hyperparameter check stands in the way

        var refused = Assert.Throws<InvalidModelException>(() => ModelHyperparameters.Validate(file));

        Assert.Equal(model.MustMention, refused.Key);
        Assert.StartsWith($"Not a valid model: {refused.Key} = ", refused.Message);
        Assert.DoesNotContain('\u001b', refused.Message);
    }

    [Fact]
    public void The_unmodified_synthetic_model_passes_so_each_case_fails_for_its_own_key()
    {
        ModelHyperparameters.Validate(Read(HostileModels.Valid()));
    }

    [Fact]
    public void The_real_distill_shapes_pass()
    {
        foreach (var shape in new[] { ModelShape.Qwen1_5B, ModelShape.Qwen7B })
        {
            var path = Path.Combine(Path.GetTempPath(), $"rt-hparams-{Guid.NewGuid():N}.gguf");
            try
            {
                RealShapeModels.WriteSparse(path, shape);
                ModelHyperparameters.Validate(GgufReader.Read(path));
            }
            finally
            {
                File.Delete(path);
            }
        }
        // DeepSeek-R1-Distill-Llama-8B's metadata (Llama 3.1 layout with llama3 rope scaling).
        var llama = new GgufWriter()
            .Add("general.architecture", "llama").Add("llama.block_count", 32u).Add("llama.context_length", 131072u)
            .Add("llama.embedding_length", 4096u).Add("llama.feed_forward_length", 14336u).Add("llama.attention.head_count", 32u)
            .Add("llama.attention.head_count_kv", 8u).Add("llama.rope.freq_base", 500000f).Add("llama.attention.layer_norm_rms_epsilon", 1e-5f)
            .Add("llama.rope.dimension_count", 128u).Add("llama.vocab_size", 128256u)
            .Add("tokenizer.ggml.tokens", new[] { "a", "b", "<｜begin▁of▁sentence｜>" }).Add("tokenizer.ggml.bos_token_id", 2u).Add("tokenizer.ggml.add_bos_token", true);
        var ms = new MemoryStream();
        llama.WriteTo(ms);
        ModelHyperparameters.Validate(Read(ms.ToArray()));
    }

    [Fact]
    public void The_value_is_shown_as_the_file_holds_it()
    {
        var model = HostileModels.Hyperparameters().Single(m => m.Name == "rms-eps-negative");
        var refused = Assert.Throws<InvalidModelException>(() => ModelHyperparameters.Validate(Read(model.Bytes)));
        Assert.Equal("-1E-06", refused.Value);
        Assert.Contains("finite number of at least 0", refused.Problem);
    }
}
