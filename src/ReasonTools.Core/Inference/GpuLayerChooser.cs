using ReasonTools.Core.Hardware;
using ReasonTools.Core.Models;

namespace ReasonTools.Core.Inference;

/// <summary>
/// The layers given to llama.cpp's n_gpu_layers and why. <see cref="Layers"/> counts as llama.cpp does: an n-layer
/// model entirely on the GPU is n + 1 (the output layer too). <see cref="Estimate"/> is the fit estimate an
/// automatic choice rests on (null for a number the user gave).
/// </summary>
public sealed record GpuLayerChoice(int Layers, bool Automatic, string Reason, FitEstimate? Estimate);

/// <summary>
/// Turns the GPU layers setting (auto or a number) into a layer count. Pure. Automatic: every layer when the model, its KV cache
/// and compute buffers fit on the GPUs with the estimator's margins; otherwise as many layers as fit; 0 when no GPU
/// llama.cpp can use is in the machine profile, or not one layer fits. A number is the user's: -1 means every layer,
/// larger counts are capped at n + 1, and with no usable GPU nothing can be offloaded, so 0 is what is used.
/// </summary>
public static class GpuLayerChooser
{
    /// <summary>
    /// Chooses for <paramref name="requested"/> (null: automatic). <paramref name="machine"/> should list only the GPUs
    /// llama.cpp can use (<see cref="ReasonTools.Core.Hardware.HardwareProbeResult.Profile"/> with llama.cpp's devices).
    /// </summary>
    public static GpuLayerChoice Choose(int? requested, ModelSpec model, MachineProfile machine, FitOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(machine);
        int all = model.Shape.Layers + 1;
        bool hasGpu = machine.Gpus.Any(g => g.FreeBytes > 0);

        if (requested is { } given)
        {
            if (given < -1) throw new ArgumentOutOfRangeException(nameof(requested), given, "GPU layers must be a count, -1 for all, or automatic.");
            if (given == 0) return new(0, false, "GPU layers set to 0: the model stays on the CPU.", null);
            if (!hasGpu) return new(0, false, $"{given} GPU layers asked for, but llama.cpp has no GPU to use; the model stays on the CPU.", null);
            int layers = given == -1 ? all : Math.Min(given, all);
            return new(layers, false, layers == all ? $"GPU layers set to {given}: every layer on the GPU." : $"GPU layers set to {given}: {layers} of {model.Shape.Layers} layers on the GPU.", null);
        }

        if (!hasGpu) return new(0, true, "No GPU llama.cpp can use; the model runs on the CPU.", null);
        var estimate = FitEstimator.Estimate(model, machine, options);
        int n = model.Shape.Layers;
        string reason = estimate.Placement switch
        {
            Placement.Gpu => $"auto: all {n} layers and the output fit on the GPU ({MessageUnits.Gb(estimate.GpuBytes)} with KV cache and buffers).",
            Placement.Partial => $"auto: {estimate.GpuLayers} of {n} layers fit on the GPU ({MessageUnits.Gb(estimate.GpuBytes)}); the rest stays in system memory ({MessageUnits.Gb(estimate.CpuBytes)}).",
            Placement.Cpu => "auto: not one layer fits on the GPU beside its compute buffer; the model runs on the CPU.",
            _ => $"auto: the model fits nowhere: it {estimate.Summary}.",
        };
        return new(estimate.Placement is Placement.Gpu or Placement.Partial ? estimate.GpuLayers : 0, true, reason, estimate);
    }
}
