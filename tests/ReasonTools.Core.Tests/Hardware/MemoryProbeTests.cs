using ReasonTools.Core.Hardware;

namespace ReasonTools.Core.Tests.Hardware;

public class MemoryProbeTests
{
    private const long GiB = 1024L * 1024 * 1024;

    private const string Meminfo = """
        MemTotal:       24684084 kB
        MemFree:        24394300 kB
        MemAvailable:   24361992 kB
        Buffers:            3412 kB
        """;

    private const string V2Mountinfo = "30 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";

    private const string V1Mountinfo =
        "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n" +
        "32 31 0:29 / /sys/fs/cgroup/cpu rw,relatime - cgroup cgroup rw,cpu\n";

    private static FakeHardwareFileSystem WithMeminfo() => new FakeHardwareFileSystem().Add("/proc/meminfo", Meminfo);

    [Fact]
    public void Reads_total_and_available_from_meminfo_without_a_cgroup()
    {
        var notes = new List<string>();
        var memory = MemoryProbe.FromLinux(WithMeminfo(), notes);
        Assert.Equal(24684084L * 1024, memory.TotalBytes);
        Assert.Equal(24361992L * 1024, memory.AvailableBytes);
        Assert.Null(memory.LimitBytes);
        Assert.Empty(notes);
    }

    [Fact]
    public void Cgroup_v2_limit_lower_than_meminfo_becomes_the_budget_and_caps_available()
    {
        var fs = WithMeminfo()
            .Add("/proc/self/cgroup", "0::/user.slice/job.scope\n")
            .Add("/proc/self/mountinfo", V2Mountinfo)
            .Add("/sys/fs/cgroup/user.slice/job.scope/memory.max", (8 * GiB).ToString() + "\n")
            .Add("/sys/fs/cgroup/user.slice/job.scope/memory.current", (3 * GiB).ToString() + "\n");
        var memory = MemoryProbe.FromLinux(fs, []);
        Assert.Equal(8 * GiB, memory.LimitBytes);
        Assert.Equal(5 * GiB, memory.AvailableBytes);
        Assert.Equal(8 * GiB, ReasonTools.Core.Models.MachineProfile.EffectiveMemory(memory));
    }

    [Fact]
    public void Cgroup_v2_max_means_no_limit()
    {
        var fs = WithMeminfo()
            .Add("/proc/self/cgroup", "0::/\n")
            .Add("/proc/self/mountinfo", V2Mountinfo)
            .Add("/sys/fs/cgroup/memory.max", "max\n");
        Assert.Null(MemoryProbe.FromLinux(fs, []).LimitBytes);
    }

    [Fact]
    public void Cgroup_v2_parent_limit_binds_a_nested_child()
    {
        var fs = WithMeminfo()
            .Add("/proc/self/cgroup", "0::/outer/inner/leaf\n")
            .Add("/proc/self/mountinfo", V2Mountinfo)
            .Add("/sys/fs/cgroup/outer/inner/leaf/memory.max", "max\n")
            .Add("/sys/fs/cgroup/outer/inner/memory.max", (16 * GiB).ToString())
            .Add("/sys/fs/cgroup/outer/memory.max", (6 * GiB).ToString());
        Assert.Equal(6 * GiB, MemoryProbe.FromLinux(fs, []).LimitBytes);
    }

    [Fact]
    public void Cgroup_v1_unlimited_value_is_no_limit()
    {
        // The value this very machine reports for an unlimited v1 memory cgroup.
        var fs = WithMeminfo()
            .Add("/proc/self/cgroup", "4:memory:/process_api/23ea\n0::/\n")
            .Add("/proc/self/mountinfo", V1Mountinfo)
            .Add("/sys/fs/cgroup/memory/process_api/23ea/memory.limit_in_bytes", "9223372036854771712\n")
            .Add("/sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        Assert.Null(MemoryProbe.FromLinux(fs, []).LimitBytes);
    }

    [Fact]
    public void Cgroup_v1_limit_is_found_under_the_memory_controller_mount()
    {
        var fs = WithMeminfo()
            .Add("/proc/self/cgroup", "9:cpu,cpuacct:/docker/abc\n4:memory:/docker/abc\n")
            .Add("/proc/self/mountinfo", V1Mountinfo)
            .Add("/sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes", (4 * GiB).ToString())
            .Add("/sys/fs/cgroup/memory/docker/abc/memory.usage_in_bytes", (1 * GiB).ToString());
        var memory = MemoryProbe.FromLinux(fs, []);
        Assert.Equal(4 * GiB, memory.LimitBytes);
        Assert.Equal(3 * GiB, memory.AvailableBytes);
    }

    [Fact]
    public void Cgroup_v1_mount_root_is_stripped_inside_a_container()
    {
        // The container sees its own cgroup mounted at the controller's mount point; /proc/self/cgroup names the host path.
        var fs = WithMeminfo()
            .Add("/proc/self/cgroup", "4:memory:/docker/abc\n")
            .Add("/proc/self/mountinfo", "35 31 0:32 /docker/abc /sys/fs/cgroup/memory ro - cgroup cgroup rw,memory\n")
            .Add("/sys/fs/cgroup/memory/memory.limit_in_bytes", (2 * GiB).ToString());
        Assert.Equal(2 * GiB, MemoryProbe.FromLinux(fs, []).LimitBytes);
    }

    [Fact]
    public void A_limit_above_physical_memory_is_reported_but_does_not_become_the_budget()
    {
        var fs = WithMeminfo()
            .Add("/proc/self/cgroup", "0::/big\n")
            .Add("/proc/self/mountinfo", V2Mountinfo)
            .Add("/sys/fs/cgroup/big/memory.max", (64 * GiB).ToString());
        var memory = MemoryProbe.FromLinux(fs, []);
        Assert.Equal(64 * GiB, memory.LimitBytes);
        Assert.Equal(memory.TotalBytes, ReasonTools.Core.Models.MachineProfile.EffectiveMemory(memory));
    }

    [Fact]
    public void Without_mountinfo_the_default_cgroup_locations_are_used()
    {
        var fs = WithMeminfo()
            .Add("/proc/self/cgroup", "0::/app\n")
            .Add("/sys/fs/cgroup/app/memory.max", (3 * GiB).ToString());
        Assert.Equal(3 * GiB, MemoryProbe.FromLinux(fs, []).LimitBytes);
    }

    [Fact]
    public void Hybrid_v1_and_v2_hierarchies_take_the_smaller_limit()
    {
        var fs = WithMeminfo()
            .Add("/proc/self/cgroup", "4:memory:/svc\n0::/svc\n")
            .Add("/proc/self/mountinfo", V1Mountinfo + "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n")
            .Add("/sys/fs/cgroup/memory/svc/memory.limit_in_bytes", (10 * GiB).ToString())
            .Add("/sys/fs/cgroup/unified/svc/memory.max", (7 * GiB).ToString());
        Assert.Equal(7 * GiB, MemoryProbe.FromLinux(fs, []).LimitBytes);
    }

    [Fact]
    public void Missing_meminfo_leaves_a_note_and_zero_totals()
    {
        var notes = new List<string>();
        var memory = MemoryProbe.FromLinux(new FakeHardwareFileSystem(), notes);
        Assert.Equal(0, memory.TotalBytes);
        Assert.Contains(notes, n => n.Contains("/proc/meminfo", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("max", null)]
    [InlineData("9223372036854771712", null)]
    [InlineData("4611686018427387904", null)]
    [InlineData("1073741824\n", 1073741824L)]
    [InlineData("garbage", null)]
    [InlineData("-5", null)]
    public void Limit_values_parse(string text, long? expected) => Assert.Equal(expected, MemoryProbe.ParseLimit(text));
}
