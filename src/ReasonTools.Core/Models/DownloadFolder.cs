namespace ReasonTools.Core.Models;

/// <summary>
/// The folder a download writes into cannot be written (read-only, no permission, full, not a folder). A local
/// problem, not a network one: it is never retried, and the message says what is wrong with the folder.
/// </summary>
public sealed class DownloadFolderException(string folder, string problem, Exception? inner = null)
    : IOException($"Cannot save into {folder}: {problem}. Choose another folder, or fix its permissions.", inner)
{
    /// <summary>The folder at fault.</summary>
    public string Folder { get; } = folder;
}

/// <summary>Checks that a download folder takes files before any byte is fetched.</summary>
public static class DownloadFolder
{
    /// <summary>Creates <paramref name="folder"/> when needed and writes (then removes) a probe file in it.</summary>
    public static void EnsureWritable(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
            var probe = Path.Combine(folder, $".reasontools-write-test-{Environment.ProcessId}-{Guid.NewGuid():N}");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose)) { }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DownloadFolderException(folder, Describe(e), e);
        }
    }

    /// <summary>Runs a local file operation of a download, turning its failure into <see cref="DownloadFolderException"/>.</summary>
    public static async Task LocalAsync(string folder, Func<Task> write)
    {
        try { await write().ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not DownloadFolderException)
        {
            throw new DownloadFolderException(folder, Describe(e), e);
        }
    }

    private static string Describe(Exception e) => e switch
    {
        UnauthorizedAccessException => "it is read-only or this user may not write there",
        _ when e.HResult == 28 || e.Message.Contains("space", StringComparison.OrdinalIgnoreCase) => "the disk is full",
        _ when e.Message.Contains("Read-only", StringComparison.OrdinalIgnoreCase) => "it is on a read-only file system",
        _ => e.Message,
    };
}
