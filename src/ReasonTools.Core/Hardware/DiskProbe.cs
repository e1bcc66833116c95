namespace ReasonTools.Core.Hardware;

/// <summary>Free space on the volume that holds (or will hold) the model files.</summary>
public sealed record DiskInfo(string Path, long FreeBytes, long TotalBytes);

/// <summary>Free space where models are stored.</summary>
public static class DiskProbe
{
    /// <summary>
    /// Free and total bytes of the volume holding <paramref name="path"/>; a folder that does not exist yet is
    /// measured at its nearest existing parent. Null with a note when the volume cannot be read.
    /// </summary>
    public static DiskInfo? Probe(string path, ICollection<string> notes)
    {
        try
        {
            var existing = Path.GetFullPath(path);
            while (!Directory.Exists(existing))
            {
                var parent = Path.GetDirectoryName(existing);
                if (parent is null) break;
                existing = parent;
            }
            var drive = new DriveInfo(existing);
            return new DiskInfo(path, drive.AvailableFreeSpace, drive.TotalSize);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            notes.Add($"disk: free space of {path} could not be read: {e.Message}");
            return null;
        }
    }
}
