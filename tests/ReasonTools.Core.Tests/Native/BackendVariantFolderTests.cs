using ReasonTools.Core.Native;

namespace ReasonTools.Core.Tests.Native;

/// <summary>Where the resolver looks for each build, and how it recognises the GPU builds' file names.</summary>
public sealed class BackendVariantFolderTests
{
    [Fact]
    public void The_cuda_build_is_looked_for_beside_the_assemblies_and_in_the_cache()
    {
        var rid = LlamaNativeLibrary.RuntimeIdentifier;
        var folders = LlamaNativeLibrary.VariantFolders(BackendVariant.Cuda).Select(f => f.Folder).ToList();
        Assert.Contains(Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native", "cuda"), folders);
        Assert.Equal(Path.Combine(LlamaNativeLibrary.CacheRoot, "llama", LlamaNativeLibrary.PinnedNpmVersion, LlamaNativeLibrary.NpmPackage(rid) + "-cuda"), folders[^1]);
        // The default build's own folders are not among them: a fallback reaches those separately.
        Assert.DoesNotContain(Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native"), folders);
    }

    [Fact]
    public void The_default_build_keeps_its_folders()
    {
        var rid = LlamaNativeLibrary.RuntimeIdentifier;
        var folders = LlamaNativeLibrary.VariantFolders(BackendVariant.Default).Select(f => f.Folder).ToList();
        Assert.Equal(Path.Combine(AppContext.BaseDirectory, "runtimes", rid, "native"), folders[0]);
        var lib = Path.GetDirectoryName(typeof(LlamaNativeLibrary).Assembly.Location)!;
        Assert.Contains(Path.GetFullPath(Path.Combine(lib, "..", "..", "runtimes", rid, "native")), folders);
        Assert.Equal(Path.Combine(LlamaNativeLibrary.CacheRoot, "llama", LlamaNativeLibrary.PinnedNpmVersion, LlamaNativeLibrary.NpmPackage(rid)), folders[^1]);
    }

    [Theory]
    [InlineData("libllama.cuda.v0.5.0.so")]
    [InlineData("libllama.vulkan.v0.5.0.so")]
    [InlineData("libllama.v0.5.0.so")]
    public void Gpu_builds_versioned_names_are_found(string file)
    {
        var dir = Directory.CreateTempSubdirectory("reasontools-variant-");
        try
        {
            // Neighbours with similar names must not be taken for libllama or libggml.
            foreach (var name in new[] { file, "libllama-common.so", "libggml-base.so", "libggml-cuda.so", "libggml.cuda.v0.5.0.so" })
                File.WriteAllBytes(Path.Combine(dir.FullName, name), []);
            Assert.Equal(Path.Combine(dir.FullName, file), LlamaNativeLibrary.FindFile(dir.FullName, "llama"));
            Assert.Equal(Path.Combine(dir.FullName, "libggml.cuda.v0.5.0.so"), LlamaNativeLibrary.FindFile(dir.FullName, "ggml"));
            Assert.Equal(Path.Combine(dir.FullName, "libggml-base.so"), LlamaNativeLibrary.FindFile(dir.FullName, "ggml-base"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_folder_without_libllama_is_not_a_build()
    {
        var dir = Directory.CreateTempSubdirectory("reasontools-variant-");
        try
        {
            File.WriteAllBytes(Path.Combine(dir.FullName, "libllama-common.so"), []);
            Assert.Null(LlamaNativeLibrary.FindFile(dir.FullName, "llama"));
            Assert.Null(LlamaNativeLibrary.FindFile(Path.Combine(dir.FullName, "missing"), "llama"));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Probing_a_machine_without_gpu_builds_touches_no_cuda_library()
    {
        var environment = BackendEnvironmentProbe.Collect(new Dictionary<BackendVariant, string>(), requested: null);
        Assert.Equal([BackendVariant.Default], environment.InstalledVariants);
        Assert.False(environment.CudaDriverLibraryFound);
        Assert.False(environment.CudaRuntimeFound);
        Assert.False(environment.VulkanLoaderFound);
    }
}
