using ReasonTools.Core.Hardware;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Models;

namespace ReasonTools.Core.Tests.Inference;

public class GpuLayerChooserTests
{
    private const long GiB = 1L << 30;

    private static ModelSpec Spec(string size)
    {
        var model = ModelCatalog.Get(size).Model;
        return model.Spec(model.File("Q4_K_M")!);
    }

    /// <summary>64 GiB of system memory and one idle card of <paramref name="vramGiB"/>.</summary>
    private static MachineProfile WithCard(double vramGiB, double? freeGiB = null) =>
        new(64 * GiB, 64 * GiB, 40, [new GpuBudget("card", (long)((freeGiB ?? vramGiB) * GiB), (long)(vramGiB * GiB), 900)]);

    // Counts as llama.cpp's n_gpu_layers: an n-layer model wholly on the GPU is n + 1 (the output layer too).
    [Theory]
    [InlineData("1.5b", 8, 29)]
    [InlineData("1.5b", 80, 29)]
    [InlineData("7b", 8, 29)]
    [InlineData("7b", 12, 29)]
    [InlineData("14b", 12, 49)]
    [InlineData("14b", 24, 49)]
    [InlineData("32b", 24, 65)]
    [InlineData("32b", 80, 65)]
    public void Auto_offloads_every_layer_when_weights_kv_cache_and_buffers_fit(string size, int vramGiB, int layers)
    {
        var choice = GpuLayerChooser.Choose(null, Spec(size), WithCard(vramGiB));
        Assert.True(choice.Automatic);
        Assert.Equal(layers, choice.Layers);
        Assert.Equal(Placement.Gpu, choice.Estimate!.Placement);
        Assert.StartsWith($"auto: all {layers - 1} layers and the output fit on the GPU", choice.Reason);
    }

    [Theory]
    // 14B: 8 GiB × 0.95 − 332 MB compute buffer − 384 MiB CUDA context leaves room for 40 layers of 184 MB (weights + KV).
    [InlineData("14b", 8, 40)]
    [InlineData("32b", 8, 23)]
    [InlineData("32b", 12, 36)]
    public void Auto_offloads_as_many_layers_as_fit_when_the_model_does_not(string size, int vramGiB, int layers)
    {
        var spec = Spec(size);
        var choice = GpuLayerChooser.Choose(null, spec, WithCard(vramGiB));
        Assert.Equal(layers, choice.Layers);
        Assert.Equal(Placement.Partial, choice.Estimate!.Placement);
        Assert.StartsWith($"auto: {layers} of {spec.Shape.Layers} layers fit on the GPU", choice.Reason);
        Assert.True(choice.Estimate.GpuBytes <= vramGiB * GiB * 0.95, "the offloaded part must respect the 5 % margin");
    }

    [Fact]
    public void More_video_memory_never_means_fewer_layers()
    {
        foreach (var size in new[] { "1.5b", "7b", "14b", "32b" })
        {
            var counts = new[] { 4, 6, 8, 10, 12, 16, 20, 24, 48, 80 }.Select(v => GpuLayerChooser.Choose(null, Spec(size), WithCard(v)).Layers).ToList();
            Assert.Equal(counts.Order(), counts);
        }
    }

    [Fact]
    public void Auto_counts_free_video_memory_not_the_card_size()
    {
        // A 24 GiB card with another program holding all but 6 GiB: the 7B no longer fits whole.
        var choice = GpuLayerChooser.Choose(null, Spec("7b"), WithCard(24, freeGiB: 6));
        Assert.Equal(Placement.Partial, choice.Estimate!.Placement);
        Assert.InRange(choice.Layers, 1, 28);
    }

    [Fact]
    public void Auto_spreads_over_two_cards()
    {
        var machine = new MachineProfile(64 * GiB, 64 * GiB, 40,
            [new GpuBudget("card 0", 12 * GiB, 12 * GiB, 900), new GpuBudget("card 1", 12 * GiB, 12 * GiB, 900)]);
        Assert.Equal(65, GpuLayerChooser.Choose(null, Spec("32b"), machine).Layers);
        Assert.Equal(36, GpuLayerChooser.Choose(null, Spec("32b"), WithCard(12)).Layers);
    }

    [Fact]
    public void Auto_keeps_the_model_on_the_cpu_without_a_usable_gpu()
    {
        var choice = GpuLayerChooser.Choose(null, Spec("7b"), MachineProfile.CpuOnly(64 * GiB, 40));
        Assert.Equal(0, choice.Layers);
        Assert.Null(choice.Estimate);
        Assert.Contains("No GPU llama.cpp can use", choice.Reason);

        // A card whose memory is all taken counts as no GPU.
        Assert.Equal(0, GpuLayerChooser.Choose(null, Spec("7b"), WithCard(24, freeGiB: 0)).Layers);
    }

    [Fact]
    public void Auto_offloads_nothing_when_not_one_layer_fits_beside_the_compute_buffer()
    {
        var choice = GpuLayerChooser.Choose(null, Spec("32b"), WithCard(1));
        Assert.Equal(0, choice.Layers);
        Assert.Equal(Placement.Cpu, choice.Estimate!.Placement);
        Assert.Contains("not one layer fits", choice.Reason);
    }

    [Fact]
    public void Auto_offloads_nothing_when_the_model_fits_nowhere()
    {
        // 8 GiB card and 8 GiB of system memory: what the card cannot take does not fit in the 6.7 GB system allowance either.
        var machine = new MachineProfile(8 * GiB, 8 * GiB, 40, [new GpuBudget("card", 8 * GiB, 8 * GiB, 900)]);
        var choice = GpuLayerChooser.Choose(null, Spec("32b"), machine);
        Assert.Equal(0, choice.Layers);
        Assert.Equal(Placement.None, choice.Estimate!.Placement);
        Assert.Contains("fits nowhere", choice.Reason);
    }

    [Fact]
    public void Auto_follows_the_estimators_context_size()
    {
        // A longer context grows the KV cache on the GPU: the 32B on 24 GiB no longer fits whole at 32k tokens.
        var spec = Spec("32b");
        Assert.Equal(65, GpuLayerChooser.Choose(null, spec, WithCard(24)).Layers);
        var longContext = GpuLayerChooser.Choose(null, spec, WithCard(24), new FitOptions { ContextSize = 32768 });
        Assert.Equal(Placement.Partial, longContext.Estimate!.Placement);
        Assert.InRange(longContext.Layers, 1, 63);
    }

    [Theory]
    [InlineData(-1, 29)]
    [InlineData(10, 10)]
    [InlineData(29, 29)]
    [InlineData(999, 29)]
    public void A_number_overrides_the_estimate(int requested, int used)
    {
        // A 2 GiB card holds only a few of the 7B's layers, but the user's number is the user's.
        var choice = GpuLayerChooser.Choose(requested, Spec("7b"), WithCard(2));
        Assert.False(choice.Automatic);
        Assert.Equal(used, choice.Layers);
        Assert.Null(choice.Estimate);
        Assert.Contains($"GPU layers set to {requested}", choice.Reason);
    }

    [Fact]
    public void Zero_keeps_the_model_on_the_cpu_even_with_a_large_card()
    {
        var choice = GpuLayerChooser.Choose(0, Spec("7b"), WithCard(80));
        Assert.Equal(0, choice.Layers);
        Assert.Contains("stays on the CPU", choice.Reason);
    }

    [Fact]
    public void A_number_without_a_usable_gpu_records_zero_layers_used()
    {
        var choice = GpuLayerChooser.Choose(20, Spec("7b"), MachineProfile.CpuOnly(64 * GiB, 40));
        Assert.Equal(0, choice.Layers);
        Assert.Contains("no GPU", choice.Reason);
    }

    [Fact]
    public void A_negative_count_other_than_minus_one_is_refused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => GpuLayerChooser.Choose(-2, Spec("7b"), WithCard(24)));
        Assert.Contains("-1 for all", e.Message);
    }
}
