namespace ReasonTools.Core.Hardware;

/// <summary>
/// The files the Linux probes read (/proc, /sys, cgroup), behind one seam so tests can fake every branch.
/// Paths are absolute as on a real system ("/proc/meminfo"); implementations map them wherever they like.
/// </summary>
public interface IHardwareFileSystem
{
    /// <summary>The file's text, or null when it does not exist or cannot be read.</summary>
    string? ReadText(string path);

    /// <summary>Names (not paths) of the entries directly inside <paramref name="directory"/>; empty when it does not exist.</summary>
    IReadOnlyList<string> ListDirectory(string directory);
}

/// <summary>The real file system, optionally below a root folder (a copied /proc and /sys tree).</summary>
public sealed class HardwareFileSystem(string root = "/") : IHardwareFileSystem
{
    /// <summary>The machine's own file system.</summary>
    public static HardwareFileSystem Real { get; } = new();

    private string Map(string path) => root == "/" ? path : Path.Join(root, path.TrimStart('/'));

    /// <inheritdoc/>
    public string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(Map(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return null;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> ListDirectory(string directory)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries(Map(directory)).Select(p => Path.GetFileName(p)).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            return [];
        }
    }
}
