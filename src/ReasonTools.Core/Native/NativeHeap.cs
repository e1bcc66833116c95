using System.Runtime.InteropServices;

namespace ReasonTools.Core.Native;

/// <summary>
/// glibc keeps the heap a freed model used (vocabulary, tensor metadata, graph buffers) for reuse instead of giving it
/// back, so a long PowerShell session grew by ~17 MB per model load. After a model is freed the heap is trimmed; models
/// load on <see cref="ModelLoaderThread"/>, so the heap they leave is one arena's, which the next load reuses.
/// </summary>
internal static partial class NativeHeap
{
    /// <summary>Returns freed heap pages to the OS (glibc's malloc_trim); does nothing elsewhere. True when memory was released.</summary>
    public static bool Trim()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return malloc_trim(0) != 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // musl has no malloc_trim: nothing to trim.
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int malloc_trim(nuint pad);
}
