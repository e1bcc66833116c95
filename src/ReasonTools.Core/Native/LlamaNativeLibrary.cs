using System.Reflection;
using System.Runtime.InteropServices;

namespace ReasonTools.Core.Native;

/// <summary>
/// The one resolver for llama.cpp's shared libraries. It finds a folder holding libllama and libggml*,
/// loads them by full path, then lets ggml pick the best CPU (and GPU) backend variant from that folder.
/// </summary>
public static class LlamaNativeLibrary
{
    /// <summary>Points at a folder holding another build of the same llama.cpp release.</summary>
    public const string PathVariable = "REASONTOOLS_LLAMA_PATH";
    public const string PinnedNpmVersion = "3.22.1";

    internal const string LlamaName = "llama";
    internal const string GgmlName = "ggml";
    internal const string GgmlBaseName = "ggml-base";

    private static readonly object Gate = new();
    private static readonly Dictionary<string, IntPtr> Loaded = new(StringComparer.Ordinal);
    private static string? loadedFrom;
    private static bool resolverSet;

    /// <summary>The folder the libraries were loaded from (loads them on first use).</summary>
    public static string Folder => EnsureLoaded();

    /// <summary>Loads the libraries and the backends once; later calls return the folder at once.</summary>
    public static string EnsureLoaded()
    {
        if (loadedFrom is { } done) return done;
        lock (Gate)
        {
            if (loadedFrom is { } raced) return raced;
            if (!resolverSet)
            {
                NativeLibrary.SetDllImportResolver(typeof(LlamaNativeLibrary).Assembly, Resolve);
                resolverSet = true;
            }
            var tried = new List<string>();
            foreach (var (folder, why) in CandidateFolders())
            {
                var llama = FindFile(folder, LlamaName);
                tried.Add($"{folder} ({why}){(llama is null ? ": no libllama" : "")}");
                if (llama is null) continue;
                try
                {
                    foreach (var name in new[] { GgmlBaseName, GgmlName, LlamaName })
                    {
                        var path = FindFile(folder, name)
                            ?? throw new LlamaNativeLibraryException($"{folder} holds libllama but not lib{name}; the folder is incomplete.");
                        Loaded[name] = NativeLibrary.Load(path);
                    }
                }
                catch (DllNotFoundException e)
                {
                    Loaded.Clear();
                    throw new LlamaNativeLibraryException($"The llama.cpp libraries in {folder} could not be loaded: {e.Message}", e);
                }
                catch (BadImageFormatException e)
                {
                    Loaded.Clear();
                    throw new LlamaNativeLibraryException($"The llama.cpp libraries in {folder} are for another platform: {e.Message}", e);
                }
                LlamaLog.Install();
                Ggml.LoadAllBackends(folder);
                if (Ggml.DeviceCount() == 0)
                    throw new LlamaNativeLibraryException(
                        $"llama.cpp loaded from {folder}, but no backend variant (libggml-cpu-*) could be loaded for this CPU. " +
                        "Fetch the complete set again: bash build/fetch-llama.sh libs ~/.cache/reasontools " + PinnedNpmVersion);
                Llama.BackendInit();
                loadedFrom = folder;
                return folder;
            }
            throw new LlamaNativeLibraryException(
                "The llama.cpp native library (libllama) was not found. Looked in:\n  " + string.Join("\n  ", tried) +
                $"\nBuild the project (dotnet build fetches it), or run: bash build/fetch-llama.sh libs ~/.cache/reasontools {PinnedNpmVersion}" +
                $"\nor set {PathVariable} to a folder holding libllama and libggml* of llama.cpp (node-llama-cpp {PinnedNpmVersion} build).");
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        lock (Gate)
        {
            return Loaded.TryGetValue(libraryName, out var handle) ? handle : IntPtr.Zero;
        }
    }

    /// <summary>Where the libraries are looked for, in order, with why each folder is a candidate.</summary>
    public static IEnumerable<(string Folder, string Why)> CandidateFolders()
    {
        var custom = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(custom)) yield return (custom, $"${PathVariable}");
        var rid = RuntimeIdentifier;
        foreach (var root in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(LlamaNativeLibrary).Assembly.Location) }
                     .Where(r => !string.IsNullOrEmpty(r)).Distinct())
        {
            yield return (Path.Combine(root!, "runtimes", rid, "native"), "beside the assemblies");
            yield return (root!, "the application folder");
        }
        yield return (Path.Combine(CacheRoot, "llama", PinnedNpmVersion, rid), "the build's download cache");
    }

    /// <summary>The download cache the build fills ($REASONTOOLS_NATIVE_CACHE, $XDG_CACHE_HOME/reasontools or ~/.cache/reasontools).</summary>
    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("REASONTOOLS_NATIVE_CACHE") is { Length: > 0 } c ? c
        : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? Path.Combine(x, "reasontools")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "reasontools");

    internal static string RuntimeIdentifier
    {
        get
        {
            var os = OperatingSystem.IsWindows() ? "win" : OperatingSystem.IsMacOS() ? "osx" : "linux";
            var arch = RuntimeInformation.OSArchitecture switch
            {
                Architecture.Arm64 => "arm64",
                Architecture.X64 => "x64",
                var other => other.ToString().ToLowerInvariant(),
            };
            return $"{os}-{arch}";
        }
    }

    /// <summary>Finds lib{name}.so, lib{name}.v*.so (versioned builds), lib{name}.dylib or {name}.dll.</summary>
    internal static string? FindFile(string folder, string name)
    {
        if (!Directory.Exists(folder)) return null;
        string[] exact = OperatingSystem.IsWindows() ? [$"{name}.dll"]
            : OperatingSystem.IsMacOS() ? [$"lib{name}.dylib"]
            : [$"lib{name}.so"];
        foreach (var file in exact)
        {
            var path = Path.Combine(folder, file);
            if (File.Exists(path)) return path;
        }
        var versioned = OperatingSystem.IsWindows() ? null
            : Directory.EnumerateFiles(folder, OperatingSystem.IsMacOS() ? $"lib{name}.*.dylib" : $"lib{name}.v*.so")
                .Order(StringComparer.Ordinal).LastOrDefault();
        return versioned;
    }
}
