using System.Runtime.InteropServices;
using System.Text;

namespace ReasonTools.Core.Hardware;

/// <summary>macOS sysctlbyname, for the values Linux keeps in /proc.</summary>
internal static unsafe partial class Sysctl
{
    [LibraryImport("libc", EntryPoint = "sysctlbyname", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SysctlByName(string name, void* oldValue, nuint* oldLength, void* newValue, nuint newLength);

    public static long? ReadInt64(string name)
    {
        if (!OperatingSystem.IsMacOS()) return null;
        long value = 0;
        nuint length = sizeof(long);
        if (SysctlByName(name, &value, &length, null, 0) != 0) return null;
        // Some keys are 32-bit; the kernel writes only the bytes it has (little-endian).
        return length == sizeof(int) ? (int)value : value;
    }

    public static string? ReadString(string name)
    {
        if (!OperatingSystem.IsMacOS()) return null;
        nuint length = 0;
        if (SysctlByName(name, null, &length, null, 0) != 0 || length == 0) return null;
        var buffer = new byte[(int)length];
        fixed (byte* p = buffer)
        {
            if (SysctlByName(name, p, &length, null, 0) != 0) return null;
        }
        return Encoding.UTF8.GetString(buffer, 0, (int)length).TrimEnd('\0');
    }
}

/// <summary>Windows memory status and job-object limits.</summary>
internal static unsafe partial class WindowsMemory
{
    [StructLayout(LayoutKind.Sequential)]
    private struct MemoryStatusEx
    {
        public uint Length;
        public uint MemoryLoad;
        public ulong TotalPhys;
        public ulong AvailPhys;
        public ulong TotalPageFile;
        public ulong AvailPageFile;
        public ulong TotalVirtual;
        public ulong AvailVirtual;
        public ulong AvailExtendedVirtual;
    }

    [LibraryImport("kernel32.dll", SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool GlobalMemoryStatusEx(MemoryStatusEx* buffer);

    public static (long Total, long Available)? Status()
    {
        var status = new MemoryStatusEx { Length = (uint)sizeof(MemoryStatusEx) };
        return GlobalMemoryStatusEx(&status) ? ((long)status.TotalPhys, (long)status.AvailPhys) : null;
    }

    /// <summary>The job's (or per-process) memory limit when this process runs in a job object that sets one.</summary>
    [System.Runtime.Versioning.SupportedOSPlatform("windows")]
    public static long? JobLimit()
    {
        if (!Native.Kernel32.TryQueryOwnJobLimits(out var info)) return null;
        var flags = info.BasicLimitInformation.LimitFlags;
        long? limit = null;
        if (flags.HasFlag(Native.JobLimitFlags.JobMemory)) limit = (long)info.JobMemoryLimit;
        if (flags.HasFlag(Native.JobLimitFlags.ProcessMemory))
            limit = limit is null ? (long)info.ProcessMemoryLimit : Math.Min(limit.Value, (long)info.ProcessMemoryLimit);
        return limit;
    }
}
