using System.Text;

namespace ReasonTools.Core.Logs;

/// <summary>A log input: a file, a stream such as standard input, or text from a pipeline. Opening it is deferred
/// to <see cref="LogReader"/>, which detects gzip and the text encoding.</summary>
public abstract class LogSource
{
    private protected LogSource(string name) => Name = name;

    /// <summary>The name lines are cited by (path as given, "stdin", a label).</summary>
    public string Name { get; }

    /// <summary>Opens the raw bytes; errors are <see cref="LogInputException"/>.</summary>
    internal abstract Stream Open();

    /// <summary>A file; it is opened when read (a missing file fails that input only).</summary>
    public static LogSource FromFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return new FileSource(path, path);
    }

    /// <summary>An open stream, e.g. standard input. It is read once; <paramref name="leaveOpen"/> false disposes it after.</summary>
    public static LogSource FromStream(string name, Stream stream, bool leaveOpen = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(stream);
        return new StreamSource(name, stream, leaveOpen);
    }

    /// <summary>Text already in memory (pipeline input); it is split into lines like a file.</summary>
    public static LogSource FromText(string name, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(text);
        return new TextSource(name, text);
    }

    /// <summary>Files named by paths or glob patterns ("logs/*.log", "/var/log/**/app*.gz"; '*' and '?' within a
    /// name, '**' for any depth), in order, each pattern's matches sorted. A pattern that matches nothing becomes
    /// an input that fails with a <see cref="LogInputException"/> saying so, so the others are still read.</summary>
    public static IReadOnlyList<LogSource> FromPaths(IEnumerable<string> pathsOrPatterns)
    {
        ArgumentNullException.ThrowIfNull(pathsOrPatterns);
        var sources = new List<LogSource>();
        foreach (var pattern in pathsOrPatterns)
        {
            if (string.IsNullOrWhiteSpace(pattern)) continue;
            if (pattern.IndexOfAny(['*', '?']) < 0) { sources.Add(FromFile(pattern)); continue; }
            var matches = Glob.Expand(pattern);
            if (matches.Count == 0) sources.Add(new FailedSource(pattern, "no file matches this pattern"));
            else sources.AddRange(matches.Select(FromFile));
        }
        return sources;
    }

    private sealed class FileSource(string name, string path) : LogSource(name)
    {
        internal override Stream Open()
        {
            try
            {
                if (Directory.Exists(path)) throw new LogInputException(Name, "is a folder, not a file; name the files or use a pattern such as folder/*.log");
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
            }
            catch (FileNotFoundException e) { throw new LogInputException(Name, "file not found", e); }
            catch (DirectoryNotFoundException e) { throw new LogInputException(Name, "folder not found", e); }
            catch (UnauthorizedAccessException e) { throw new LogInputException(Name, "access denied", e); }
            catch (IOException e) { throw new LogInputException(Name, $"cannot open: {e.Message}", e); }
        }
    }

    private sealed class StreamSource(string name, Stream stream, bool leaveOpen) : LogSource(name)
    {
        private bool _opened;

        internal override Stream Open()
        {
            if (_opened) throw new LogInputException(Name, "this stream was already read; a stream can be read once");
            _opened = true;
            if (!stream.CanRead) throw new LogInputException(Name, "the stream cannot be read");
            return leaveOpen ? new KeepOpenStream(stream) : stream;
        }
    }

    private sealed class TextSource(string name, string text) : LogSource(name)
    {
        internal override Stream Open() => new MemoryStream(Encoding.UTF8.GetBytes(text), writable: false);
    }

    private sealed class FailedSource(string name, string reason) : LogSource(name)
    {
        internal override Stream Open() => throw new LogInputException(Name, reason);
    }

    /// <summary>Leaves the caller's stream (stdin) open when the reader disposes its wrapper.</summary>
    private sealed class KeepOpenStream(Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Segment-by-segment glob expansion: '*' and '?' within a segment, '**' for any number of folders.</summary>
    private static class Glob
    {
        private static readonly EnumerationOptions Options = new()
        {
            MatchType = MatchType.Simple, IgnoreInaccessible = true, RecurseSubdirectories = false, AttributesToSkip = FileAttributes.None,
        };

        public static List<string> Expand(string pattern)
        {
            var segments = pattern.Split(['/', Path.DirectorySeparatorChar], StringSplitOptions.None);
            int firstWild = Array.FindIndex(segments, s => s.IndexOfAny(['*', '?']) >= 0);
            string root = firstWild == 0 ? "" : string.Join('/', segments[..firstWild]);
            if (firstWild > 0 && root.Length == 0) root = "/"; // pattern starts at the filesystem root
            var results = new List<string>();
            Walk(root, segments, firstWild, results);
            results.Sort(StringComparer.Ordinal);
            return results.Distinct().ToList();
        }

        private static void Walk(string dir, string[] segments, int index, List<string> results)
        {
            string physical = dir.Length == 0 ? "." : dir;
            if (!Directory.Exists(physical)) return;
            var segment = segments[index];
            bool last = index == segments.Length - 1;
            if (segment == "**")
            {
                if (last) { foreach (var f in Directory.EnumerateFiles(physical, "*", new EnumerationOptions { IgnoreInaccessible = true, RecurseSubdirectories = true })) results.Add(Display(dir, Path.GetRelativePath(physical, f))); return; }
                Walk(dir, segments, index + 1, results);
                foreach (var sub in Directory.EnumerateDirectories(physical, "*", Options)) Walk(Join(dir, Path.GetFileName(sub)), segments, index, results);
                return;
            }
            bool wild = segment.IndexOfAny(['*', '?']) >= 0;
            if (last)
            {
                if (!wild) { var p = Join(dir, segment); if (File.Exists(p.Length == 0 ? "." : p)) results.Add(p); return; }
                foreach (var f in Directory.EnumerateFiles(physical, segment, Options)) results.Add(Join(dir, Path.GetFileName(f)));
                return;
            }
            if (!wild) { Walk(Join(dir, segment), segments, index + 1, results); return; }
            foreach (var sub in Directory.EnumerateDirectories(physical, segment, Options)) Walk(Join(dir, Path.GetFileName(sub)), segments, index + 1, results);
        }

        private static string Join(string dir, string name) => dir.Length == 0 ? name : dir.EndsWith('/') ? dir + name : dir + "/" + name;
        private static string Display(string dir, string relative) => Join(dir, relative.Replace(Path.DirectorySeparatorChar, '/'));
    }
}
