using ReasonTools.Core.Models;

namespace ReasonTools.Core.Tests.Models;

public sealed class ModelLabelTests
{
    private static LocalModel Local(string path, CatalogModel? catalog, string quantization) =>
        new(catalog?.Name ?? Path.GetFileNameWithoutExtension(path), path, ModelSource.Path, null, "qwen2", 1_777_088_000, quantization, 131072, 1_117_320_736,
            [path], catalog is not null, catalog, null);

    [Fact]
    public void A_catalog_model_is_labelled_by_its_short_name_and_quantization()
    {
        var qwen = ModelCatalog.Get("1.5b").Model;
        Assert.Equal("R1-Qwen-1.5B Q4_K_M", ModelLabel.Of(Local("/models/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf", qwen, "Q4_K_M")));
        Assert.Equal("R1-Llama-8B", ModelLabel.ShortName(ModelCatalog.Get("8b").Model));
    }

    [Fact]
    public void Another_file_is_labelled_by_its_file_name_without_the_gguf_extension()
    {
        Assert.Equal("my.model-v1.5", ModelLabel.Of(Local("/models/my.model-v1.5.gguf", null, "Q8_0")));
    }

    [Fact]
    public void A_size_is_labelled_by_the_catalog_model_it_resolves_to_not_cut_at_its_dot()
    {
        var qwen = ModelCatalog.Get("1.5b").Model;
        var notHere = ModelLabel.ForReference("1.5b", r => throw new ModelNotDownloadedException(r, qwen, null, []));
        Assert.Equal("R1-Qwen-1.5B", notHere);
        Assert.Equal("deleted-model", ModelLabel.ForReference("/tmp/gone/deleted-model.gguf",
            r => throw new ModelFileNotFoundException(r, "Model file not found")));
    }

    [Fact]
    public void Two_copies_of_one_model_get_labels_told_apart_by_file_name()
    {
        var labels = ModelLabel.Distinct(["/a/x.gguf", "/b/y.gguf", "/c/z.gguf"], ["R1-Qwen-7B Q4_K_M", "R1-Qwen-7B Q4_K_M", "other"]);
        Assert.Equal(["R1-Qwen-7B Q4_K_M (x)", "R1-Qwen-7B Q4_K_M (y)", "other"], labels);
        Assert.Equal(["m", "m #2"], ModelLabel.Distinct(["/a/m.gguf", "/a/m.gguf"], ["m", "m"]));
    }
}
