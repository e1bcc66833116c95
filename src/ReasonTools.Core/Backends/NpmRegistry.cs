using System.Text.Json;

namespace ReasonTools.Core.Backends;

/// <summary>
/// Where the npm registry is, taken from the user's own configuration so no address is written into ReasonTools:
/// <c>$npm_config_registry</c> (what npm itself reads), else the <c>registry=</c> line of <c>~/.npmrc</c>, else the
/// settings file's <c>"npmRegistry"</c>. Null when none of them names one.
/// </summary>
public static class NpmRegistry
{
    /// <summary>The settings file's property naming the registry.</summary>
    public const string SettingName = "npmRegistry";

    /// <summary>The registry address and where it came from ("npm_config_registry", "~/.npmrc", the settings file), or null.</summary>
    public static (Uri Address, string Source)? Locate(Func<string, string?> environment, string homeFolder, string settingsFile)
    {
        foreach (var name in new[] { "npm_config_registry", "NPM_CONFIG_REGISTRY" })
            if (Parse(environment(name)) is { } fromEnvironment) return (fromEnvironment, "$" + name);
        var npmrc = environment("NPM_CONFIG_USERCONFIG") is { Length: > 0 } custom ? custom : Path.Combine(homeFolder, ".npmrc");
        if (File.Exists(npmrc) && Parse(ReadNpmrc(File.ReadAllLines(npmrc))) is { } fromNpmrc) return (fromNpmrc, npmrc);
        if (File.Exists(settingsFile) && Parse(ReadSetting(settingsFile)) is { } fromSettings) return (fromSettings, settingsFile);
        return null;
    }

    /// <summary>The value of the unscoped <c>registry=</c> line of an .npmrc (scoped and comment lines are ignored).</summary>
    internal static string? ReadNpmrc(IEnumerable<string> lines)
    {
        string? registry = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('#') || line.StartsWith(';')) continue;
            var equals = line.IndexOf('=');
            if (equals < 0 || !line[..equals].Trim().Equals("registry", StringComparison.OrdinalIgnoreCase)) continue;
            registry = line[(equals + 1)..].Trim().Trim('"');
        }
        return registry;
    }

    private static string? ReadSetting(string settingsFile)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(settingsFile), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty(SettingName, out var value) && value.ValueKind == JsonValueKind.String
                ? value.GetString() : null;
        }
        catch (JsonException e)
        {
            throw new BackendInstallException(BackendInstallFailure.NoRegistry, $"{settingsFile} is not valid JSON ({e.Message}), so its {SettingName} could not be read.");
        }
    }

    // An address ends with '/' so package paths append to it (a registry may live under a path).
    private static Uri? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)) return null;
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }

    /// <summary>
    /// Downloads go over HTTPS; plain HTTP is accepted only on this machine's loopback (a local mirror, the tests).
    /// </summary>
    internal static bool IsAcceptable(Uri address) =>
        address.Scheme == Uri.UriSchemeHttps || (address.Scheme == Uri.UriSchemeHttp && address.IsLoopback);
}
