namespace ReasonTools.Core.Native;

/// <summary>The operating systems llama.cpp's prebuilt libraries come for; each names its files its own way.</summary>
public enum NativePlatform { Linux, Windows, MacOS }

/// <summary>
/// How the prebuilt libraries are named on each platform, kept apart from the file system so the names of the
/// platforms this machine cannot run are tested too. The node-llama-cpp builds version their main libraries:
/// libllama.v0.4.0.so and libggml.v0.4.0.so (Linux), llama.v0.4.0.dll and ggml.v0.4.0.dll (Windows),
/// libllama.metal.v0.4.0.dylib (macOS, Metal build), libllama.cuda.v0.4.0.so (a GPU build); libggml-base keeps
/// its plain name everywhere.
/// </summary>
public static class NativeLibraryNames
{
    /// <summary>The platform this process runs on.</summary>
    public static NativePlatform Current =>
        OperatingSystem.IsWindows() ? NativePlatform.Windows : OperatingSystem.IsMacOS() ? NativePlatform.MacOS : NativePlatform.Linux;

    /// <summary>The .NET runtime identifiers we ship natives for, and the npm package holding each one's CPU build.</summary>
    public static IReadOnlyList<(string Rid, string NpmPackage, NativePlatform Platform)> Shipped { get; } =
    [
        ("linux-x64", "linux-x64", NativePlatform.Linux),
        ("linux-arm64", "linux-arm64", NativePlatform.Linux),
        ("win-x64", "win-x64", NativePlatform.Windows),
        ("win-arm64", "win-arm64", NativePlatform.Windows),
        ("osx-arm64", "mac-arm64-metal", NativePlatform.MacOS),
        ("osx-x64", "mac-x64", NativePlatform.MacOS),
    ];

    /// <summary>
    /// Which of <paramref name="fileNames"/> is library <paramref name="name"/> (llama, ggml, ggml-base) on
    /// <paramref name="platform"/>: the plain name (libllama.so, llama.dll, libllama.dylib) when present, else the
    /// last versioned one in ordinal order (libllama.v0.4.0.so, llama.v0.4.0.dll, libllama.metal.v0.4.0.dylib); null
    /// when there is none. A dot must follow the name, so ggml never picks ggml-base.
    /// </summary>
    public static string? Pick(IEnumerable<string> fileNames, string name, NativePlatform platform)
    {
        var (prefix, extension) = platform switch
        {
            NativePlatform.Windows => (name, ".dll"),
            NativePlatform.MacOS => ("lib" + name, ".dylib"),
            _ => ("lib" + name, ".so"),
        };
        var comparison = platform == NativePlatform.Windows ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        var names = fileNames.ToList();
        var exact = names.FirstOrDefault(f => string.Equals(f, prefix + extension, comparison));
        if (exact is not null) return exact;
        return names
            .Where(f => f.StartsWith(prefix + ".", comparison) && f.EndsWith(extension, comparison))
            .Order(StringComparer.Ordinal)
            .LastOrDefault();
    }

    /// <summary>The libraries the resolver loads by name, in load order.</summary>
    public static IReadOnlyList<string> Required { get; } = [LlamaNativeLibrary.GgmlBaseName, LlamaNativeLibrary.GgmlName, LlamaNativeLibrary.LlamaName];
}
