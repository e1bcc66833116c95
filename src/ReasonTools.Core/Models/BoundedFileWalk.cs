using System.Diagnostics;
using System.IO.Enumeration;

namespace ReasonTools.Core.Models;

/// <summary>Limits of one folder walk: how deep, how many entries, how long.</summary>
public sealed record WalkLimits(int MaxDepth = 6, int MaxEntries = 50_000, double MaxSeconds = 5)
{
    /// <summary>The limits model discovery uses.</summary>
    public static WalkLimits Default { get; } = new();
}

/// <summary>
/// Lists files matching a pattern under a folder without trusting the tree: bounded in depth, entries and time (a model
/// folder of /proc must not take a minute), each real directory visited once (a symlink loop lists nothing twice), and
/// files that are not regular files with content (FIFOs, sockets, devices) skipped with a note instead of opened.
/// </summary>
public static class BoundedFileWalk
{
    /// <summary>Paths of matching regular files in ordinal order; <paramref name="notes"/> receives what was skipped or cut short.</summary>
    public static IReadOnlyList<string> Find(string folder, string pattern, WalkLimits limits, List<string> notes, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        var comparer = OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var visited = new HashSet<string>(comparer);
        var found = new List<string>();
        var pending = new Stack<(string Path, int Depth)>();
        pending.Push((folder, 0));
        var entries = 0;
        var options = new EnumerationOptions { IgnoreInaccessible = true, RecurseSubdirectories = false, AttributesToSkip = 0 };
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (directory, depth) = pending.Pop();
            if (!visited.Add(RealDirectory(directory))) continue;
            IEnumerable<FileSystemInfo> children;
            try { children = new DirectoryInfo(directory).EnumerateFileSystemInfos("*", options); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { notes.Add($"{directory}: could not be listed ({e.Message})."); continue; }
            try
            {
                foreach (var child in children)
                {
                    if (++entries > limits.MaxEntries || Stopwatch.GetElapsedTime(started).TotalSeconds > limits.MaxSeconds)
                    {
                        notes.Add($"{folder}: stopped looking after {entries - 1:N0} entries and {Stopwatch.GetElapsedTime(started).TotalSeconds:0.#} s; models deeper in it were not listed.");
                        return Sorted(found);
                    }
                    if (child is DirectoryInfo sub)
                    {
                        if (depth < limits.MaxDepth) pending.Push((sub.FullName, depth + 1));
                    }
                    else if (FileSystemName.MatchesSimpleExpression(pattern, child.Name, ignoreCase: true))
                    {
                        if (InputFiles.IsRegularWithContent(child.FullName)) found.Add(child.FullName);
                        else notes.Add($"{child.FullName}: empty or not a regular file (a pipe, socket or device); skipped.");
                    }
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { notes.Add($"{directory}: listing stopped ({e.Message})."); }
        }
        return Sorted(found);
    }

    private static List<string> Sorted(List<string> found)
    {
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    private static string RealDirectory(string path)
    {
        try { return new DirectoryInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path); }
        catch (IOException) { return Path.GetFullPath(path); }
    }
}
