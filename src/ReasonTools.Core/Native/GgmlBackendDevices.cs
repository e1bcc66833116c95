using ReasonTools.Core.Hardware;

namespace ReasonTools.Core.Native;

/// <summary>The devices llama.cpp's loaded backends expose, for the hardware report.</summary>
public sealed class GgmlBackendDevices : IBackendDeviceSource
{
    public IReadOnlyList<BackendDevice> GetDevices() =>
        Ggml.Devices()
            .Where(d => d.Type != GgmlDeviceType.Meta)
            .Select(d => new BackendDevice(d.Name, d.Description, d.Type switch
            {
                GgmlDeviceType.Cpu => BackendDeviceType.Cpu,
                GgmlDeviceType.Gpu => BackendDeviceType.Gpu,
                GgmlDeviceType.IntegratedGpu => BackendDeviceType.IGpu,
                _ => BackendDeviceType.Accel,
            }, d.FreeBytes, d.TotalBytes, d.DeviceId))
            .ToList();
}
