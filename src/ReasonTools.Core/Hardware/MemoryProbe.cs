using System.Globalization;

namespace ReasonTools.Core.Hardware;

/// <summary>
/// Total and available system memory and the limit that really applies to this process: the smallest
/// cgroup (v1 or v2, along the whole path to the hierarchy's root) or Windows job-object limit.
/// </summary>
public static class MemoryProbe
{
    // cgroup v1 writes "unlimited" as the largest page-aligned 64-bit value (9223372036854771712);
    // anything from 2^62 on is no limit on any real machine.
    private const long UnlimitedThreshold = 1L << 62;

    /// <summary>Probes this machine; a probe that cannot run adds a note and leaves its field empty or null.</summary>
    public static MemoryInfo Probe(IHardwareFileSystem fileSystem, ICollection<string> notes)
    {
        if (OperatingSystem.IsWindows())
        {
            var status = WindowsMemory.Status();
            if (status is null) notes.Add("memory: GlobalMemoryStatusEx failed");
            long? job = null;
            try { job = WindowsMemory.JobLimit(); }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException) { notes.Add($"memory: job-object query failed: {e.Message}"); }
            return new MemoryInfo(status?.Total ?? 0, status?.Available ?? 0, job);
        }
        if (OperatingSystem.IsMacOS())
        {
            var total = Sysctl.ReadInt64("hw.memsize");
            if (total is null) notes.Add("memory: sysctl hw.memsize failed");
            // macOS keeps no MemAvailable; free pages are a lower bound (the page cache is reclaimable too).
            var free = Sysctl.ReadInt64("vm.page_free_count") * Sysctl.ReadInt64("hw.pagesize");
            return new MemoryInfo(total ?? 0, free ?? total ?? 0, null);
        }
        return FromLinux(fileSystem, notes);
    }

    /// <summary>Linux: /proc/meminfo plus the cgroup limit found through /proc/self/cgroup and /proc/self/mountinfo.</summary>
    public static MemoryInfo FromLinux(IHardwareFileSystem fileSystem, ICollection<string> notes)
    {
        long total = 0, available = 0;
        var meminfo = fileSystem.ReadText("/proc/meminfo");
        if (meminfo is null)
        {
            notes.Add("memory: /proc/meminfo could not be read");
        }
        else
        {
            total = MeminfoField(meminfo, "MemTotal") ?? 0;
            available = MeminfoField(meminfo, "MemAvailable") ?? MeminfoField(meminfo, "MemFree") ?? 0;
        }

        var cgroup = CgroupLimit(fileSystem);
        if (cgroup is { } found)
        {
            if (found.UsageBytes is { } usage)
                available = Math.Min(available, Math.Max(0, found.LimitBytes - usage));
            return new MemoryInfo(total, available, found.LimitBytes);
        }
        return new MemoryInfo(total, available, null);
    }

    /// <summary>A value in bytes from /proc/meminfo ("MemTotal:  24684084 kB").</summary>
    internal static long? MeminfoField(string meminfo, string field)
    {
        foreach (var line in meminfo.Split('\n'))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            var parts = line[(field.Length + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 0 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var value)) return null;
            return parts.Length > 1 && parts[1] == "kB" ? value * 1024 : value;
        }
        return null;
    }

    /// <summary>The cgroup memory limit with the usage at the level that sets it.</summary>
    internal readonly record struct CgroupMemory(long LimitBytes, long? UsageBytes, string Directory);

    /// <summary>The smallest memory limit over this process's cgroup and its ancestors, v2 and v1; null when none.</summary>
    internal static CgroupMemory? CgroupLimit(IHardwareFileSystem fileSystem)
    {
        var membership = fileSystem.ReadText("/proc/self/cgroup");
        if (membership is null) return null;
        var mounts = ParseMounts(fileSystem.ReadText("/proc/self/mountinfo"));

        CgroupMemory? best = null;
        foreach (var line in membership.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(':', 3);
            if (parts.Length != 3) continue;
            bool v2 = parts[0] == "0" && parts[1].Length == 0;
            bool v1Memory = parts[1].Split(',').Contains("memory");
            if (!v2 && !v1Memory) continue;

            var mount = v2
                ? mounts.FirstOrDefault(m => m.FsType == "cgroup2")
                : mounts.FirstOrDefault(m => m.FsType == "cgroup" && m.SuperOptions.Split(',').Contains("memory"));
            var (mountPoint, mountRoot) = mount is null ? (v2 ? "/sys/fs/cgroup" : "/sys/fs/cgroup/memory", "/") : (mount.MountPoint, mount.Root);
            var found = v2
                ? WalkUp(fileSystem, mountPoint, mountRoot, parts[2], "memory.max", "memory.current")
                : WalkUp(fileSystem, mountPoint, mountRoot, parts[2], "memory.limit_in_bytes", "memory.usage_in_bytes");
            if (found is { } f && (best is null || f.LimitBytes < best.Value.LimitBytes)) best = f;
        }
        return best;
    }

    // From the process's cgroup directory up to the mount point, the smallest limit set on the way
    // (a parent's limit binds its children too).
    private static CgroupMemory? WalkUp(IHardwareFileSystem fs, string mountPoint, string mountRoot, string cgroupPath,
        string limitFile, string usageFile)
    {
        // A cgroup namespace shows paths relative to the mount's root; without one the mount root is a prefix to strip.
        var relative = cgroupPath;
        if (mountRoot != "/" && relative.StartsWith(mountRoot, StringComparison.Ordinal)) relative = relative[mountRoot.Length..];
        // "/.." paths appear when the cgroup lies outside the namespace's view; only the mount point itself is visible.
        if (relative.Contains("/..", StringComparison.Ordinal)) relative = "/";

        CgroupMemory? best = null;
        var directory = (mountPoint.TrimEnd('/') + "/" + relative.Trim('/')).TrimEnd('/');
        while (true)
        {
            if (ParseLimit(fs.ReadText(directory + "/" + limitFile)) is { } limit && (best is null || limit < best.Value.LimitBytes))
                best = new CgroupMemory(limit, ParseLimit(fs.ReadText(directory + "/" + usageFile)), directory);
            if (directory.Length <= mountPoint.TrimEnd('/').Length) break;
            int slash = directory.LastIndexOf('/');
            if (slash <= 0) break;
            directory = directory[..slash];
        }
        return best;
    }

    /// <summary>A cgroup limit file's value in bytes; null for "max", the v1 "unlimited" value, or unreadable text.</summary>
    internal static long? ParseLimit(string? text)
    {
        var value = text?.Trim();
        if (string.IsNullOrEmpty(value) || value == "max") return null;
        if (!long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var bytes)) return null;
        return bytes >= UnlimitedThreshold ? null : bytes;
    }

    private sealed record Mount(string Root, string MountPoint, string FsType, string SuperOptions);

    // mountinfo: "id parent major:minor root mountpoint options [optional...] - fstype source superoptions"
    private static List<Mount> ParseMounts(string? mountinfo)
    {
        var mounts = new List<Mount>();
        if (mountinfo is null) return mounts;
        foreach (var line in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var fields = line.Split(' ');
            int dash = Array.IndexOf(fields, "-");
            if (dash < 5 || fields.Length < dash + 4) continue;
            mounts.Add(new Mount(fields[3], fields[4], fields[dash + 1], fields[dash + 3]));
        }
        return mounts;
    }
}
