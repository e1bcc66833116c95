using System.ComponentModel;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using Microsoft.Win32.SafeHandles;

namespace ReasonTools.Core.Native;

/// <summary>
/// The job-object part of Windows' kernel32 (the code graders' limits on Windows). Externs are private; the wrappers
/// throw <see cref="Win32Exception"/> with Windows' own message. Struct layouts follow the Windows x64 SDK headers
/// (winnt.h); a test checks their sizes and offsets.
/// </summary>
[SupportedOSPlatform("windows")]
internal static partial class Kernel32
{
    private const string Lib = "kernel32.dll";

    private const int JobObjectBasicUiRestrictions = 4;
    private const int JobObjectExtendedLimitInformationClass = 9;

    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf16)]
    private static partial JobObjectHandle CreateJobObjectW(IntPtr securityAttributes, string? name);

    [LibraryImport(Lib, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static unsafe partial bool SetInformationJobObject(JobObjectHandle job, int infoClass, void* info, uint length);

    // A null job handle asks about the job the calling process belongs to.
    [LibraryImport(Lib, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static unsafe partial bool QueryInformationJobObject(IntPtr job, int infoClass, void* info, uint length, uint* returnLength);

    [LibraryImport(Lib, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool AssignProcessToJobObject(JobObjectHandle job, SafeProcessHandle process);

    [LibraryImport(Lib, SetLastError = true)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static partial bool CloseHandle(IntPtr handle);

    internal static bool Close(IntPtr handle) => CloseHandle(handle);

    /// <summary>A new anonymous job object.</summary>
    internal static JobObjectHandle CreateJob()
    {
        var job = CreateJobObjectW(IntPtr.Zero, null);
        if (job.IsInvalid) throw Failure("CreateJobObject");
        return job;
    }

    internal static unsafe void SetLimits(JobObjectHandle job, JobObjectExtendedLimitInformation limits)
    {
        if (!SetInformationJobObject(job, JobObjectExtendedLimitInformationClass, &limits, (uint)sizeof(JobObjectExtendedLimitInformation)))
            throw Failure("SetInformationJobObject(JobObjectExtendedLimitInformation)");
    }

    internal static unsafe void SetUiRestrictions(JobObjectHandle job, JobObjectBasicUiRestrictions restrictions)
    {
        if (!SetInformationJobObject(job, JobObjectBasicUiRestrictions, &restrictions, (uint)sizeof(JobObjectBasicUiRestrictions)))
            throw Failure("SetInformationJobObject(JobObjectBasicUIRestrictions)");
    }

    /// <summary>The limits of the job this process runs in; false when it runs in none.</summary>
    internal static unsafe bool TryQueryOwnJobLimits(out JobObjectExtendedLimitInformation limits)
    {
        JobObjectExtendedLimitInformation info;
        uint returned;
        var found = QueryInformationJobObject(IntPtr.Zero, JobObjectExtendedLimitInformationClass, &info, (uint)sizeof(JobObjectExtendedLimitInformation), &returned);
        limits = info;
        return found;
    }

    internal static void Assign(JobObjectHandle job, SafeProcessHandle process)
    {
        if (!AssignProcessToJobObject(job, process)) throw Failure("AssignProcessToJobObject");
    }

    private static Win32Exception Failure(string call)
    {
        var error = Marshal.GetLastPInvokeError();
        return new Win32Exception(error, $"{call} failed: {new Win32Exception(error).Message}");
    }
}

/// <summary>Owns a job object; closing the last handle kills what is still in it (JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE).</summary>
[SupportedOSPlatform("windows")]
internal sealed class JobObjectHandle : SafeHandle
{
    public JobObjectHandle() : base(IntPtr.Zero, ownsHandle: true) { }
    public override bool IsInvalid => handle == IntPtr.Zero;
    protected override bool ReleaseHandle() => Kernel32.Close(handle);
}

/// <summary>JOB_OBJECT_LIMIT_* flags of JOBOBJECT_BASIC_LIMIT_INFORMATION.LimitFlags.</summary>
[Flags]
internal enum JobLimitFlags : uint
{
    ProcessTime = 0x2,
    JobTime = 0x4,
    ActiveProcess = 0x8,
    ProcessMemory = 0x100,
    JobMemory = 0x200,
    DieOnUnhandledException = 0x400,
    KillOnJobClose = 0x2000,
}

/// <summary>JOB_OBJECT_UILIMIT_* flags: no handles of other processes' windows, clipboard, system settings, display
/// settings, global atoms, desktops, or logging off.</summary>
[Flags]
internal enum JobUiLimits : uint
{
    Handles = 0x1,
    ReadClipboard = 0x2,
    WriteClipboard = 0x4,
    SystemParameters = 0x8,
    DisplaySettings = 0x10,
    GlobalAtoms = 0x20,
    Desktop = 0x40,
    ExitWindows = 0x80,
    All = 0xFF,
}

/// <summary>JOBOBJECT_BASIC_LIMIT_INFORMATION (64 bytes on x64). Times are in 100 ns units of user-mode CPU time.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct JobObjectBasicLimitInformation
{
    public long PerProcessUserTimeLimit;
    public long PerJobUserTimeLimit;
    public JobLimitFlags LimitFlags;
    public nuint MinimumWorkingSetSize;
    public nuint MaximumWorkingSetSize;
    public uint ActiveProcessLimit;
    public nuint Affinity;
    public uint PriorityClass;
    public uint SchedulingClass;
}

/// <summary>IO_COUNTERS (48 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct IoCounters
{
    public ulong ReadOperationCount;
    public ulong WriteOperationCount;
    public ulong OtherOperationCount;
    public ulong ReadTransferCount;
    public ulong WriteTransferCount;
    public ulong OtherTransferCount;
}

/// <summary>JOBOBJECT_EXTENDED_LIMIT_INFORMATION (144 bytes on x64). Memory limits are committed bytes.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct JobObjectExtendedLimitInformation
{
    public JobObjectBasicLimitInformation BasicLimitInformation;
    public IoCounters IoInfo;
    public nuint ProcessMemoryLimit;
    public nuint JobMemoryLimit;
    public nuint PeakProcessMemoryUsed;
    public nuint PeakJobMemoryUsed;
}

/// <summary>JOBOBJECT_BASIC_UI_RESTRICTIONS (4 bytes).</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct JobObjectBasicUiRestrictions
{
    public JobUiLimits UiRestrictionsClass;
}
