using ReasonTools.Core.Backends;

namespace ReasonTools.Core.Tests.Backends;

/// <summary>The registry address comes from npm's own configuration first, then the settings file; never from us.</summary>
public sealed class NpmRegistryTests : IDisposable
{
    private readonly DirectoryInfo _home = Directory.CreateTempSubdirectory("reasontools-npmrc-");

    public void Dispose() => _home.Delete(recursive: true);

    private string Settings(string json)
    {
        var path = Path.Combine(_home.FullName, "settings.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void The_environment_wins_then_npmrc_then_the_settings_file()
    {
        var settings = Settings("{ \"npmRegistry\": \"https://settings.example/npm\" }");
        File.WriteAllLines(Path.Combine(_home.FullName, ".npmrc"), ["; comment", "@other:registry=https://scoped.example/", "registry=https://npmrc.example/"]);

        var fromEnvironment = NpmRegistry.Locate(n => n == "npm_config_registry" ? "https://env.example" : null, _home.FullName, settings);
        Assert.Equal(new Uri("https://env.example/"), fromEnvironment?.Address);
        Assert.Equal("$npm_config_registry", fromEnvironment?.Source);

        Assert.Equal(new Uri("https://npmrc.example/"), NpmRegistry.Locate(_ => null, _home.FullName, settings)?.Address);

        File.Delete(Path.Combine(_home.FullName, ".npmrc"));
        var fromSettings = NpmRegistry.Locate(_ => null, _home.FullName, settings);
        Assert.Equal(new Uri("https://settings.example/npm/"), fromSettings?.Address);
        Assert.Equal(settings, fromSettings?.Source);
    }

    [Fact]
    public void Nothing_configured_is_no_registry()
    {
        Assert.Null(NpmRegistry.Locate(_ => null, _home.FullName, Path.Combine(_home.FullName, "missing.json")));
        Assert.Null(NpmRegistry.Locate(_ => null, _home.FullName, Settings("{ \"endpoints\": {} }")));
    }

    [Fact]
    public void Https_or_this_machine_only()
    {
        Assert.True(NpmRegistry.IsAcceptable(new Uri("https://mirror.example/")));
        Assert.True(NpmRegistry.IsAcceptable(new Uri("http://127.0.0.1:4873/")));
        Assert.False(NpmRegistry.IsAcceptable(new Uri("http://mirror.example/")));
    }
}
