namespace ReasonTools.Core.Hardware;

/// <summary>Kind of a llama.cpp (ggml) backend device; mirrors enum ggml_backend_dev_type.</summary>
public enum BackendDeviceType
{
    /// <summary>CPU device using system memory.</summary>
    Cpu,
    /// <summary>Discrete GPU with its own memory.</summary>
    Gpu,
    /// <summary>Integrated GPU using host memory.</summary>
    IGpu,
    /// <summary>Accelerator used alongside the CPU (BLAS, AMX).</summary>
    Accel,
}

/// <summary>
/// One device as llama.cpp sees it (ggml_backend_dev_get_props). <paramref name="DeviceId"/> is ggml's
/// lower-case PCI bus id ("0000:c1:00.0") when the backend knows it, used to match the device with NVML or sysfs.
/// </summary>
public sealed record BackendDevice(
    string Name,
    string Description,
    BackendDeviceType Type,
    long FreeBytes,
    long TotalBytes,
    string? DeviceId = null);

/// <summary>The devices llama.cpp can use; implemented over ggml_backend_dev_* by the native layer.</summary>
public interface IBackendDeviceSource
{
    /// <summary>Every registered device, CPU included.</summary>
    IReadOnlyList<BackendDevice> GetDevices();
}
