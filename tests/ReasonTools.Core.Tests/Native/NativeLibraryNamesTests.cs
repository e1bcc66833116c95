using ReasonTools.Core.Native;

namespace ReasonTools.Core.Tests.Native;

/// <summary>
/// The resolver's choice of file on each platform, from the file lists of node-llama-cpp 3.21.1's packages, so the
/// Windows and macOS names are checked on a Linux machine that cannot load them.
/// </summary>
public sealed class NativeLibraryNamesTests
{
    private static readonly string[] WinX64 =
        ["ggml-base.dll", "ggml-cpu-alderlake.dll", "ggml-cpu-haswell.dll", "ggml-cpu-x64.dll", "ggml.v0.4.0.dll", "llama-common.dll", "llama.v0.4.0.dll"];
    private static readonly string[] WinArm64 = ["ggml-base.dll", "ggml-cpu.dll", "ggml.v0.4.0.dll", "llama-common.dll", "llama.v0.4.0.dll"];
    private static readonly string[] MacArm64 =
        ["libggml-base.dylib", "libggml-blas.so", "libggml-cpu-apple_m1.so", "libggml-metal.so", "libggml.metal.v0.4.0.dylib", "libllama-common.dylib", "libllama.metal.v0.4.0.dylib"];
    private static readonly string[] MacX64 =
        ["libggml-base.dylib", "libggml-blas.so", "libggml-cpu-haswell.so", "libggml.v0.4.0.dylib", "libllama-common.dylib", "libllama.v0.4.0.dylib"];
    private static readonly string[] LinuxArm64 =
        ["libggml-base.so", "libggml-cpu-armv8.0_1.so", "libggml.v0.4.0.so", "libllama-common.so", "libllama.v0.4.0.so"];

    public static TheoryData<string, NativePlatform, string, string, string> Packages() => new()
    {
        { "win-x64", NativePlatform.Windows, "llama.v0.4.0.dll", "ggml.v0.4.0.dll", "ggml-base.dll" },
        { "win-arm64", NativePlatform.Windows, "llama.v0.4.0.dll", "ggml.v0.4.0.dll", "ggml-base.dll" },
        { "osx-arm64", NativePlatform.MacOS, "libllama.metal.v0.4.0.dylib", "libggml.metal.v0.4.0.dylib", "libggml-base.dylib" },
        { "osx-x64", NativePlatform.MacOS, "libllama.v0.4.0.dylib", "libggml.v0.4.0.dylib", "libggml-base.dylib" },
        { "linux-arm64", NativePlatform.Linux, "libllama.v0.4.0.so", "libggml.v0.4.0.so", "libggml-base.so" },
    };

    private static string[] Files(string rid) => rid switch
    {
        "win-x64" => WinX64,
        "win-arm64" => WinArm64,
        "osx-arm64" => MacArm64,
        "osx-x64" => MacX64,
        _ => LinuxArm64,
    };

    [Theory]
    [MemberData(nameof(Packages))]
    public void Each_platforms_package_yields_its_three_libraries(string rid, NativePlatform platform, string llama, string ggml, string ggmlBase)
    {
        Assert.Equal(llama, NativeLibraryNames.Pick(Files(rid), "llama", platform));
        Assert.Equal(ggml, NativeLibraryNames.Pick(Files(rid), "ggml", platform));
        Assert.Equal(ggmlBase, NativeLibraryNames.Pick(Files(rid), "ggml-base", platform));
    }

    [Fact]
    public void Another_platforms_files_are_not_taken()
    {
        // A Windows folder copied to Linux (or the reverse) has no library this platform can load.
        Assert.Null(NativeLibraryNames.Pick(WinX64, "llama", NativePlatform.Linux));
        Assert.Null(NativeLibraryNames.Pick(LinuxArm64, "llama", NativePlatform.MacOS));
        Assert.Null(NativeLibraryNames.Pick(MacX64, "llama", NativePlatform.Windows));
    }

    [Fact]
    public void A_plain_name_wins_over_a_versioned_one()
    {
        Assert.Equal("llama.dll", NativeLibraryNames.Pick(["llama.v0.4.0.dll", "llama.dll"], "llama", NativePlatform.Windows));
        Assert.Equal("LLAMA.DLL", NativeLibraryNames.Pick(["LLAMA.DLL"], "llama", NativePlatform.Windows));
    }

    [Fact]
    public void Every_shipped_rid_maps_to_its_npm_package()
    {
        Assert.Equal(["linux-x64", "linux-arm64", "win-x64", "win-arm64", "osx-arm64", "osx-x64"], NativeLibraryNames.Shipped.Select(s => s.Rid));
        Assert.Equal("mac-arm64-metal", LlamaNativeLibrary.NpmPackage("osx-arm64"));
        Assert.Equal("mac-x64", LlamaNativeLibrary.NpmPackage("osx-x64"));
        Assert.Equal("win-arm64", LlamaNativeLibrary.NpmPackage("win-arm64"));
    }
}
