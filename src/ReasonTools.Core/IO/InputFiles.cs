namespace ReasonTools.Core;

/// <summary>
/// Reading files named by a user without trusting what they are: a FIFO blocks on open until a writer comes, a device
/// or /proc file has no length and may never end. Only files whose size is known and above zero are opened, and reads
/// are bounded.
/// </summary>
public static class InputFiles
{
    /// <summary>
    /// True for an existing file with a size above zero. Pipes, sockets and character devices report size 0, so they
    /// are never opened (nor is an empty file, which holds nothing to read).
    /// </summary>
    public static bool IsRegularWithContent(string path)
    {
        var info = new FileInfo(path);
        return info.Exists && info.Length > 0;
    }

    /// <summary>
    /// The UTF-8 text of <paramref name="path"/>, refusing (as <see cref="IOException"/>) more than <paramref name="maxBytes"/>,
    /// checked while reading: a pipe the user named (<c>--file &lt;(zcat x.gz)</c>), a growing file or a device is cut off
    /// at the limit instead of filling memory.
    /// </summary>
    public static string ReadAllText(string path, long maxBytes)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"File not found: {path}", path);
        if (info.Length > maxBytes) throw new IOException($"{path} is {info.Length:N0} bytes, over the limit of {maxBytes:N0}.");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        using var reader = new StreamReader(stream, detectEncodingFromByteOrderMarks: true);
        var buffer = new char[1 << 16];
        var text = new System.Text.StringBuilder((int)Math.Min(info.Length, maxBytes));
        int n;
        while ((n = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            text.Append(buffer, 0, n);
            if (stream.CanSeek ? stream.Position > maxBytes : text.Length > maxBytes) throw new IOException($"{path} holds more than {maxBytes:N0} bytes, over the limit.");
        }
        return text.ToString();
    }
}
