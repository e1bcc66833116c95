using System.Text.Json;

namespace ReasonTools.Core.Remote;

/// <summary>One named endpoint of the settings file.</summary>
public sealed record RemoteEndpoint
{
    /// <summary>"openai" or "ollama".</summary>
    public string? Kind { get; init; }
    public string? Url { get; init; }
    public string? Model { get; init; }
    /// <summary>The environment variable holding the API key (never the key itself).</summary>
    public string? ApiKeyVariable { get; init; }
}

/// <summary>
/// The remote part of <c>~/.config/reasontools/settings.json</c>:
/// <c>{ "endpoints": { "deepseek-r1-api": { "kind": "openai", "url": "https://api.deepseek.com/v1", "model": "deepseek-reasoner", "apiKeyVariable": "DEEPSEEK_API_KEY" } } }</c>.
/// Other top-level properties are left to their owners.
/// </summary>
public sealed record RemoteSettings
{
    /// <summary>Environment variable that points at another settings file (tests, several profiles).</summary>
    public const string PathVariable = "REASONTOOLS_SETTINGS";

    public IReadOnlyDictionary<string, RemoteEndpoint> Endpoints { get; init; } = new Dictionary<string, RemoteEndpoint>();

    /// <summary>The endpoint of that name (names compare case-insensitively), or null.</summary>
    public RemoteEndpoint? Find(string name) =>
        Endpoints.FirstOrDefault(e => string.Equals(e.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>
    /// Where the settings live: <c>$REASONTOOLS_SETTINGS</c>, else <c>$XDG_CONFIG_HOME/reasontools/settings.json</c>,
    /// else <c>~/.config/reasontools/settings.json</c>.
    /// </summary>
    public static string DefaultPath(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var explicitPath = environment(PathVariable);
        if (!string.IsNullOrWhiteSpace(explicitPath)) return explicitPath;
        var config = environment("XDG_CONFIG_HOME");
        if (string.IsNullOrWhiteSpace(config))
            config = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Combine(config, "reasontools", "settings.json");
    }

    /// <summary>The settings at <see cref="DefaultPath"/>; empty when there is no file.</summary>
    public static RemoteSettings LoadDefault(Func<string, string?>? environment = null) => Load(DefaultPath(environment));

    /// <summary>Reads a settings file; a missing file gives empty settings.</summary>
    /// <exception cref="RemoteModelException">The file is not valid JSON or its endpoints are not objects (kind InvalidReference).</exception>
    public static RemoteSettings Load(string path)
    {
        if (!File.Exists(path)) return new RemoteSettings();
        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses settings JSON; <paramref name="source"/> names it in errors.</summary>
    public static RemoteSettings Parse(string json, string source = "the settings")
    {
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
                throw Invalid(source, "the top level is not a JSON object");
            if (!document.RootElement.TryGetProperty("endpoints", out var endpoints) || endpoints.ValueKind == JsonValueKind.Null)
                return new RemoteSettings();
            if (endpoints.ValueKind != JsonValueKind.Object) throw Invalid(source, "\"endpoints\" is not an object of named endpoints");
            var result = new Dictionary<string, RemoteEndpoint>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in endpoints.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.Object) throw Invalid(source, $"the endpoint '{entry.Name}' is not an object");
                result[entry.Name] = new RemoteEndpoint
                {
                    Kind = Text(entry.Value, "kind"),
                    Url = Text(entry.Value, "url"),
                    Model = Text(entry.Value, "model"),
                    ApiKeyVariable = Text(entry.Value, "apiKeyVariable"),
                };
            }
            return new RemoteSettings { Endpoints = result };
        }
        catch (JsonException e)
        {
            // The message names the line, never echoes the content (a settings file may hold things not meant for logs).
            throw new RemoteModelException(RemoteErrorKind.InvalidReference,
                $"The settings file {source} is not valid JSON (line {e.LineNumber + 1}); fix or remove it.");
        }
    }

    private static string? Text(JsonElement endpoint, string name)
    {
        foreach (var property in endpoint.EnumerateObject())
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                return property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString() : null;
        return null;
    }

    private static RemoteModelException Invalid(string source, string what) =>
        new(RemoteErrorKind.InvalidReference, $"The settings file {source} is not usable: {what}.");
}
