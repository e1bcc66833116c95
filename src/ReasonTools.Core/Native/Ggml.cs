using System.Runtime.InteropServices;

namespace ReasonTools.Core.Native;

/// <summary>The kind of a device llama.cpp's backends expose (ggml_backend_dev_type).</summary>
public enum GgmlDeviceType { Cpu = 0, Gpu = 1, IntegratedGpu = 2, Accelerator = 3, Meta = 4 }

/// <summary>
/// A device as llama.cpp itself sees it. <paramref name="DeviceId"/> is the backend's lower-case PCI bus id
/// ("0000:c1:00.0"), null when the backend does not know it (the CPU).
/// </summary>
public sealed record GgmlDevice(string Name, string Description, GgmlDeviceType Type, long FreeBytes, long TotalBytes, string? DeviceId = null);

/// <summary>struct ggml_backend_dev_caps (ggml-backend.h); C bool is one byte.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct GgmlBackendDevCaps
{
    public byte Async;
    public byte HostBuffer;
    public byte BufferFromHostPtr;
    public byte Events;
    public byte MmapSupport;
}

/// <summary>struct ggml_backend_dev_props (ggml-backend.h); the strings belong to the device.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct GgmlBackendDevProps
{
    public byte* Name;
    public byte* Description;
    public nuint MemoryFree;
    public nuint MemoryTotal;
    public int Type;
    public byte* DeviceId;
    public GgmlBackendDevCaps Caps;
}

/// <summary>ggml's backend registry (libggml / libggml-base).</summary>
internal static unsafe partial class Ggml
{
    [LibraryImport(LlamaNativeLibrary.GgmlName, StringMarshalling = StringMarshalling.Utf8)]
    private static partial void ggml_backend_load_all_from_path(string dirPath);

    [LibraryImport(LlamaNativeLibrary.GgmlName)]
    private static partial nuint ggml_backend_dev_count();

    [LibraryImport(LlamaNativeLibrary.GgmlName)]
    private static partial IntPtr ggml_backend_dev_get(nuint index);

    [LibraryImport(LlamaNativeLibrary.GgmlBaseName)]
    private static partial byte* ggml_backend_dev_name(IntPtr device);

    [LibraryImport(LlamaNativeLibrary.GgmlBaseName)]
    private static partial byte* ggml_backend_dev_description(IntPtr device);

    [LibraryImport(LlamaNativeLibrary.GgmlBaseName)]
    private static partial void ggml_backend_dev_memory(IntPtr device, out nuint free, out nuint total);

    [LibraryImport(LlamaNativeLibrary.GgmlBaseName)]
    private static partial int ggml_backend_dev_type(IntPtr device);

    [LibraryImport(LlamaNativeLibrary.GgmlBaseName)]
    private static partial void ggml_backend_dev_get_props(IntPtr device, GgmlBackendDevProps* props);

    internal static void LoadAllBackends(string folder) => ggml_backend_load_all_from_path(folder);

    internal static int DeviceCount() => (int)ggml_backend_dev_count();

    /// <summary>Whether a loaded backend exposes a GPU; safe to call while the libraries are still being loaded.</summary>
    internal static bool HasGpuDevice()
    {
        var count = ggml_backend_dev_count();
        for (nuint i = 0; i < count; i++)
        {
            var dev = ggml_backend_dev_get(i);
            if (dev != IntPtr.Zero && (GgmlDeviceType)ggml_backend_dev_type(dev) is GgmlDeviceType.Gpu or GgmlDeviceType.IntegratedGpu) return true;
        }
        return false;
    }

    /// <summary>Every device the loaded backends expose, with their memory.</summary>
    public static IReadOnlyList<GgmlDevice> Devices()
    {
        LlamaNativeLibrary.EnsureLoaded();
        var count = ggml_backend_dev_count();
        var devices = new List<GgmlDevice>((int)count);
        for (nuint i = 0; i < count; i++)
        {
            var dev = ggml_backend_dev_get(i);
            if (dev == IntPtr.Zero) continue;
            ggml_backend_dev_memory(dev, out var free, out var total);
            GgmlBackendDevProps props;
            ggml_backend_dev_get_props(dev, &props);
            devices.Add(new GgmlDevice(
                Marshal.PtrToStringUTF8((IntPtr)ggml_backend_dev_name(dev)) ?? "",
                Marshal.PtrToStringUTF8((IntPtr)ggml_backend_dev_description(dev)) ?? "",
                (GgmlDeviceType)ggml_backend_dev_type(dev),
                (long)free,
                (long)total,
                Marshal.PtrToStringUTF8((IntPtr)props.DeviceId)));
        }
        return devices;
    }
}
