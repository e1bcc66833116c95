using ReasonTools.Core.Hardware;

namespace ReasonTools.Core.Tests.Hardware;

/// <summary>In-memory /proc and /sys: files by absolute path; directories are implied by the files below them.</summary>
internal sealed class FakeHardwareFileSystem : IHardwareFileSystem
{
    private readonly Dictionary<string, string> _files = new(StringComparer.Ordinal);

    public FakeHardwareFileSystem Add(string path, string text)
    {
        _files[path] = text;
        return this;
    }

    public string? ReadText(string path) => _files.GetValueOrDefault(path);

    public IReadOnlyList<string> ListDirectory(string directory)
    {
        var prefix = directory.TrimEnd('/') + "/";
        return _files.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal))
            .Select(k => k[prefix.Length..].Split('/')[0]).Distinct().ToList();
    }
}

/// <summary>A file system whose every read fails, as a broken /proc would.</summary>
internal sealed class ThrowingFileSystem : IHardwareFileSystem
{
    public string? ReadText(string path) => throw new IOException($"cannot read {path}");
    public IReadOnlyList<string> ListDirectory(string directory) => throw new IOException($"cannot list {directory}");
}
