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
    /// <summary>Asks for a build: cpu, cuda or vulkan; unset chooses automatically (see <see cref="BackendVariantSelector"/>).</summary>
    public const string VariantVariable = "REASONTOOLS_LLAMA_VARIANT";
    /// <summary>
    /// The pinned node-llama-cpp release whose libraries we load. Its one source is LlamaNpmVersion in
    /// Directory.Build.props, which the build stamps into this assembly, so the build scripts, the native fetch,
    /// the benchmarks and this resolver can never disagree.
    /// </summary>
    public static string PinnedNpmVersion { get; } = typeof(LlamaNativeLibrary).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "LlamaNpmVersion").Value!;

    internal const string LlamaName = "llama";
    internal const string GgmlName = "ggml";
    internal const string GgmlBaseName = "ggml-base";

    private static readonly object Gate = new();
    private static readonly Dictionary<string, IntPtr> Loaded = new(StringComparer.Ordinal);
    private static string? _loadedFrom;
    private static bool _resolverSet;

    /// <summary>The build chosen on first load, and why it fell back if it did; null before loading or under $REASONTOOLS_LLAMA_PATH.</summary>
    public static BackendVariantChoice? VariantChoice { get; private set; }

    /// <summary>
    /// One line for the user when llama.cpp runs on a lesser backend than the machine could use ("GPU build not used
    /// (driver too old for CUDA 13 …); running llama.cpp on the CPU."); null when there is nothing to say.
    /// </summary>
    public static string? Notice { get; private set; }

    /// <summary>The folder the libraries were loaded from (loads them on first use).</summary>
    public static string Folder => EnsureLoaded();

    /// <summary>Loads the libraries and the backends once; later calls return the folder at once.</summary>
    public static string EnsureLoaded()
    {
        if (_loadedFrom is { } done) return done;
        lock (Gate)
        {
            if (_loadedFrom is { } raced) return raced;
            if (!_resolverSet)
            {
                NativeLibrary.SetDllImportResolver(typeof(LlamaNativeLibrary).Assembly, Resolve);
                _resolverSet = true;
            }
            var tried = new List<string>();
            foreach (var (folder, why, variant) in Candidates())
            {
                var llama = FindFile(folder, LlamaName);
                tried.Add($"{folder} ({why}){(llama is null ? ": no libllama" : "")}");
                if (llama is null) continue;
                try
                {
                    foreach (var name in NativeLibraryNames.Required)
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
                        $"Fetch the complete set again: {FetchHint}");
                Llama.BackendInit();
                NoteMissingGpu(variant);
                _loadedFrom = folder;
                return folder;
            }
            throw new LlamaNativeLibraryException(
                "The llama.cpp native library (libllama) was not found. Looked in:\n  " + string.Join("\n  ", tried) +
                $"\nThe installed packages carry it for {string.Join(", ", NativeLibraryNames.Shipped.Select(s => s.Rid))}; this machine is {RuntimeIdentifier}." +
                $"\nIn a source checkout, build the project (the build fetches it), or run: {FetchHint}" +
                $"\nor set {PathVariable} to a folder holding libllama and libggml* of llama.cpp (node-llama-cpp {PinnedNpmVersion} build).");
        }
    }

    private static string FetchHint =>
        $"pwsh build/fetch-llama.ps1 -Mode Libs -CacheRoot ~/.cache/reasontools -Version {PinnedNpmVersion} -Package {NpmPackage(RuntimeIdentifier)}";

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        lock (Gate)
        {
            return Loaded.TryGetValue(libraryName, out var handle) ? handle : IntPtr.Zero;
        }
    }

    /// <summary>Where the libraries are looked for, in order, with why each folder is a candidate.</summary>
    public static IEnumerable<(string Folder, string Why)> CandidateFolders() => Candidates().Select(c => (c.Folder, c.Why));

    // The chosen GPU build's folders come first, then the default build's, so a fallback needs no second pass.
    private static IEnumerable<(string Folder, string Why, BackendVariant Variant)> Candidates()
    {
        var custom = Environment.GetEnvironmentVariable(PathVariable);
        if (!string.IsNullOrWhiteSpace(custom))
        {
            yield return (custom, $"${PathVariable}", BackendVariant.Default);
            yield break;
        }
        var choice = ChooseVariant();
        if (choice.Variant != BackendVariant.Default)
            foreach (var (folder, why) in VariantFolders(choice.Variant))
                yield return (folder, why, choice.Variant);
        foreach (var (folder, why) in VariantFolders(BackendVariant.Default))
            yield return (folder, why, BackendVariant.Default);
    }

    /// <summary>
    /// The folders a variant's libraries may be in: runtimes/&lt;rid&gt;/native beside the assemblies (a GPU build in
    /// its cuda/ or vulkan/ subfolder), the application folder (default build only) and the download cache
    /// (&lt;cache&gt;/llama/&lt;version&gt;/&lt;npm package&gt;, e.g. linux-x64-cuda).
    /// </summary>
    internal static IEnumerable<(string Folder, string Why)> VariantFolders(BackendVariant variant)
    {
        var rid = RuntimeIdentifier;
        var sub = variant == BackendVariant.Default ? null : variant.ToString().ToLowerInvariant();
        foreach (var root in new[] { AppContext.BaseDirectory, Path.GetDirectoryName(typeof(LlamaNativeLibrary).Assembly.Location) }
                     .Where(r => !string.IsNullOrEmpty(r)).Distinct())
        {
            var native = Path.Combine(root!, "runtimes", rid, "native");
            if (sub is null)
            {
                yield return (native, "beside the assemblies");
                yield return (root!, "the application folder");
            }
            else yield return (Path.Combine(native, sub), $"beside the assemblies ({sub} build)");
        }
        // Referenced as a NuGet package without a build copying its assets (a notebook's #r "nuget: ..."), Core.dll sits
        // in <package>/lib/<tfm>/ and the natives in <package>/runtimes/<rid>/native/.
        if (sub is null && Path.GetDirectoryName(typeof(LlamaNativeLibrary).Assembly.Location) is { Length: > 0 } lib)
            yield return (Path.GetFullPath(Path.Combine(lib, "..", "..", "runtimes", rid, "native")), "the NuGet package");
        var package = NpmPackage(rid) + (sub is null ? "" : "-" + sub);
        yield return (Path.Combine(CacheRoot, "llama", PinnedNpmVersion, package), sub is null ? "the build's download cache" : $"the build's download cache ({sub} build)");
    }

    /// <summary>The @node-llama-cpp package holding a platform's default build: linux-x64, win-x64, mac-arm64-metal, mac-x64.</summary>
    public static string NpmPackage(string runtimeIdentifier) =>
        NativeLibraryNames.Shipped.FirstOrDefault(s => s.Rid == runtimeIdentifier).NpmPackage ?? runtimeIdentifier;

    private static BackendVariantChoice ChooseVariant()
    {
        if (VariantChoice is { } made) return made;
        var choice = DecideVariant().Choice;
        VariantChoice = choice;
        Notice = choice.Notice;
        return choice;
    }

    /// <summary>
    /// The build the resolver would load now and the GPU builds installed (variant -> folder), decided afresh each call
    /// without loading anything: what a backend listing shows, and what the first load then keeps.
    /// </summary>
    public static (BackendVariantChoice Choice, IReadOnlyDictionary<BackendVariant, string> Installed) DecideVariant()
    {
        var request = Environment.GetEnvironmentVariable(VariantVariable);
        var understood = BackendVariantSelector.TryParseRequest(request, out var requested);
        var installed = new Dictionary<BackendVariant, string>();
        foreach (var variant in new[] { BackendVariant.Cuda, BackendVariant.Vulkan })
        {
            var folder = VariantFolders(variant).Select(f => f.Folder).FirstOrDefault(f => FindFile(f, LlamaName) is not null);
            if (folder is not null) installed[variant] = folder;
        }
        BackendVariantChoice choice;
        try
        {
            choice = BackendVariantSelector.Choose(BackendEnvironmentProbe.Collect(installed, requested));
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException or IOException or UnauthorizedAccessException)
        {
            choice = new(BackendVariant.Default, $"GPU build not used (probing the GPU failed: {e.Message}); running llama.cpp on the CPU.");
        }
        if (!understood)
            choice = choice with { Notice = $"${VariantVariable}='{request}' is not auto, cpu, cuda or vulkan; ignored." + (choice.Notice is null ? "" : " " + choice.Notice) };
        return (choice, installed);
    }

    // A GPU build whose backend library did not load (a missing dependency the probe could not see) runs on its CPU
    // backends; say so rather than let the user believe the GPU is in use.
    private static void NoteMissingGpu(BackendVariant variant)
    {
        if (variant == BackendVariant.Default) return;
        if (Ggml.HasGpuDevice()) return;
        Notice = $"The {(variant == BackendVariant.Cuda ? "CUDA" : "Vulkan")} build of llama.cpp loaded but found no GPU device (its backend library did not load); running on the CPU.";
    }

    /// <summary>The download cache the build fills ($REASONTOOLS_NATIVE_CACHE, $XDG_CACHE_HOME/reasontools or ~/.cache/reasontools).</summary>
    public static string CacheRoot =>
        Environment.GetEnvironmentVariable("REASONTOOLS_NATIVE_CACHE") is { Length: > 0 } c ? c
        : Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x ? Path.Combine(x, "reasontools")
        : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "reasontools");

    /// <summary>This machine's runtime identifier as the natives are laid out: linux-x64, win-arm64, osx-arm64…</summary>
    public static string RuntimeIdentifier
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

    /// <summary>Finds lib{name} of this platform in a folder (see <see cref="NativeLibraryNames.Pick"/>).</summary>
    internal static string? FindFile(string folder, string name)
    {
        if (!Directory.Exists(folder)) return null;
        var file = NativeLibraryNames.Pick(Directory.EnumerateFiles(folder).Select(Path.GetFileName).OfType<string>(), name, NativeLibraryNames.Current);
        return file is null ? null : Path.Combine(folder, file);
    }
}
