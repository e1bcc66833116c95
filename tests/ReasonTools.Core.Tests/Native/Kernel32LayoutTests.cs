using System.Runtime.InteropServices;
using ReasonTools.Core.Native;
using ReasonTools.Core.Reasoning.Grading.Code;

namespace ReasonTools.Core.Tests.Native;

/// <summary>
/// The job-object structs against the documented Windows x64 layout (winnt.h: LARGE_INTEGER and SIZE_T are 8 bytes,
/// DWORD 4, natural alignment), checked on any 64-bit OS since the layout does not depend on it; and the limits the
/// Windows sandbox sets. Not run on Windows here.
/// </summary>
public sealed class Kernel32LayoutTests
{
    [Fact]
    public void The_job_object_structs_have_the_windows_x64_sizes_and_offsets()
    {
        Assert.Equal(8, IntPtr.Size);
        Assert.Equal(64, Marshal.SizeOf<JobObjectBasicLimitInformation>());
        Assert.Equal(0, Offset<JobObjectBasicLimitInformation>(nameof(JobObjectBasicLimitInformation.PerProcessUserTimeLimit)));
        Assert.Equal(8, Offset<JobObjectBasicLimitInformation>(nameof(JobObjectBasicLimitInformation.PerJobUserTimeLimit)));
        Assert.Equal(16, Offset<JobObjectBasicLimitInformation>(nameof(JobObjectBasicLimitInformation.LimitFlags)));
        Assert.Equal(24, Offset<JobObjectBasicLimitInformation>(nameof(JobObjectBasicLimitInformation.MinimumWorkingSetSize)));
        Assert.Equal(32, Offset<JobObjectBasicLimitInformation>(nameof(JobObjectBasicLimitInformation.MaximumWorkingSetSize)));
        Assert.Equal(40, Offset<JobObjectBasicLimitInformation>(nameof(JobObjectBasicLimitInformation.ActiveProcessLimit)));
        Assert.Equal(48, Offset<JobObjectBasicLimitInformation>(nameof(JobObjectBasicLimitInformation.Affinity)));
        Assert.Equal(56, Offset<JobObjectBasicLimitInformation>(nameof(JobObjectBasicLimitInformation.PriorityClass)));
        Assert.Equal(60, Offset<JobObjectBasicLimitInformation>(nameof(JobObjectBasicLimitInformation.SchedulingClass)));

        Assert.Equal(48, Marshal.SizeOf<IoCounters>());
        Assert.Equal(144, Marshal.SizeOf<JobObjectExtendedLimitInformation>());
        Assert.Equal(64, Offset<JobObjectExtendedLimitInformation>(nameof(JobObjectExtendedLimitInformation.IoInfo)));
        Assert.Equal(112, Offset<JobObjectExtendedLimitInformation>(nameof(JobObjectExtendedLimitInformation.ProcessMemoryLimit)));
        Assert.Equal(120, Offset<JobObjectExtendedLimitInformation>(nameof(JobObjectExtendedLimitInformation.JobMemoryLimit)));
        Assert.Equal(128, Offset<JobObjectExtendedLimitInformation>(nameof(JobObjectExtendedLimitInformation.PeakProcessMemoryUsed)));
        Assert.Equal(136, Offset<JobObjectExtendedLimitInformation>(nameof(JobObjectExtendedLimitInformation.PeakJobMemoryUsed)));

        Assert.Equal(4, Marshal.SizeOf<JobObjectBasicUiRestrictions>());
    }

    [Fact]
    public void The_windows_job_carries_the_sandbox_limits_and_kills_what_is_left_on_close()
    {
        var limits = WindowsJobSandbox.Limits(new SandboxLimits { CpuSeconds = 3, MemoryBytes = 1L << 30, Processes = 32 });

        var basic = limits.BasicLimitInformation;
        Assert.Equal(30_000_000L, basic.PerProcessUserTimeLimit);
        Assert.Equal(30_000_000L, basic.PerJobUserTimeLimit);
        Assert.Equal(32u, basic.ActiveProcessLimit);
        Assert.Equal((nuint)(1L << 30), limits.ProcessMemoryLimit);
        Assert.Equal((nuint)(1L << 30), limits.JobMemoryLimit);
        // JOB_OBJECT_LIMIT_PROCESS_TIME | JOB_TIME | ACTIVE_PROCESS | PROCESS_MEMORY | JOB_MEMORY | DIE_ON_UNHANDLED_EXCEPTION | KILL_ON_JOB_CLOSE
        Assert.Equal(0x2u | 0x4u | 0x8u | 0x100u | 0x200u | 0x400u | 0x2000u, (uint)basic.LimitFlags);
        Assert.Equal(0xFFu, (uint)JobUiLimits.All);
    }

    private static long Offset<T>(string field) => Marshal.OffsetOf<T>(field).ToInt64();
}
