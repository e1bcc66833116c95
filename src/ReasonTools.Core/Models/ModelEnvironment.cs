using System.Text.Json;

namespace ReasonTools.Core.Models;

/// <summary>The operating systems whose default folders differ.</summary>
public enum ModelPlatform
{
    /// <summary>Linux and other Unix systems (XDG folders).</summary>
    Linux,
    /// <summary>Windows (%LOCALAPPDATA%, %APPDATA%).</summary>
    Windows,
    /// <summary>macOS (~/Library/Application Support).</summary>
    MacOS,
}

/// <summary>
/// Where models are looked for and stored: the home folder, the environment variables and the platform. Everything
/// the locator and the downloader read from the machine comes from here, so tests build a fake home under a
/// temporary folder.
/// </summary>
public sealed class ModelEnvironment
{
    private readonly Func<string, string?> _variable;

    /// <summary>An environment rooted at <paramref name="home"/> with variables read through <paramref name="variable"/>.</summary>
    public ModelEnvironment(string home, Func<string, string?> variable, ModelPlatform platform)
    {
        ArgumentException.ThrowIfNullOrEmpty(home);
        ArgumentNullException.ThrowIfNull(variable);
        Home = home;
        _variable = variable;
        Platform = platform;
    }

    /// <summary>An environment rooted at <paramref name="home"/> with exactly <paramref name="variables"/> set (for tests).</summary>
    public static ModelEnvironment Create(string home, IReadOnlyDictionary<string, string>? variables = null, ModelPlatform platform = ModelPlatform.Linux)
    {
        var copy = new Dictionary<string, string>(variables ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        return new ModelEnvironment(home, name => copy.TryGetValue(name, out var value) ? value : null, platform);
    }

    /// <summary>This process's user, environment and operating system.</summary>
    public static ModelEnvironment Current { get; } = new(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile, Environment.SpecialFolderOption.DoNotVerify) is { Length: > 0 } home ? home : Path.GetTempPath(),
        Environment.GetEnvironmentVariable,
        OperatingSystem.IsWindows() ? ModelPlatform.Windows : OperatingSystem.IsMacOS() ? ModelPlatform.MacOS : ModelPlatform.Linux);

    /// <summary>The user's home folder.</summary>
    public string Home { get; }

    /// <summary>Which platform's default folders apply.</summary>
    public ModelPlatform Platform { get; }

    /// <summary>An environment variable, or null when unset or empty.</summary>
    public string? Variable(string name) => _variable(name) is { Length: > 0 } value ? value : null;

    /// <summary>Separator of folder lists in environment variables (';' on Windows, ':' elsewhere).</summary>
    public char PathListSeparator => Platform == ModelPlatform.Windows ? ';' : ':';

    /// <summary>
    /// Where <c>reason pull</c> stores models and where the locator looks first: <c>~/.local/share/reasontools/models</c>
    /// ($XDG_DATA_HOME honoured), <c>%LOCALAPPDATA%\ReasonTools\models</c>, <c>~/Library/Application Support/ReasonTools/models</c>.
    /// </summary>
    public string DefaultModelFolder => Platform switch
    {
        ModelPlatform.Windows => Path.Combine(Variable("LOCALAPPDATA") ?? Path.Combine(Home, "AppData", "Local"), "ReasonTools", "models"),
        ModelPlatform.MacOS => Path.Combine(Home, "Library", "Application Support", "ReasonTools", "models"),
        _ => Path.Combine(Variable("XDG_DATA_HOME") ?? Path.Combine(Home, ".local", "share"), "reasontools", "models"),
    };

    /// <summary>
    /// The settings file, the one the remote endpoints are read from too: $REASONTOOLS_SETTINGS, else
    /// $XDG_CONFIG_HOME/reasontools/settings.json, else <c>~/.config/reasontools/settings.json</c> (on every platform).
    /// </summary>
    public string SettingsFile => Variable("REASONTOOLS_SETTINGS")
        ?? Path.Combine(Variable("XDG_CONFIG_HOME") ?? Path.Combine(Home, ".config"), "reasontools", "settings.json");

    /// <summary>Ollama's store: $OLLAMA_MODELS, else ~/.ollama/models (the default on every platform).</summary>
    public IReadOnlyList<string> OllamaStores
    {
        get
        {
            if (Variable("OLLAMA_MODELS") is { } configured) return [configured];
            var stores = new List<string> { Path.Combine(Home, ".ollama", "models") };
            // The Linux install script runs Ollama as its own user whose store is here; only the real machine has it.
            if (ReferenceEquals(this, Current) && Platform == ModelPlatform.Linux) stores.Add("/usr/share/ollama/.ollama/models");
            return stores;
        }
    }

    /// <summary>The Hugging Face hub cache: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub ($XDG_CACHE_HOME honoured).</summary>
    public string HuggingFaceCache => Variable("HF_HUB_CACHE")
        ?? (Variable("HF_HOME") is { } hfHome ? Path.Combine(hfHome, "hub")
            : Path.Combine(Variable("XDG_CACHE_HOME") ?? Path.Combine(Home, ".cache"), "huggingface", "hub"));

    /// <summary>LM Studio's model folders: ~/.lmstudio/models (current) and ~/.cache/lm-studio/models (older versions).</summary>
    public IReadOnlyList<string> LmStudioFolders =>
        [Path.Combine(Home, ".lmstudio", "models"), Path.Combine(Home, ".cache", "lm-studio", "models")];

    /// <summary>The Hugging Face address downloads come from: $HF_ENDPOINT (mirrors), else https://huggingface.co/.</summary>
    public Uri HuggingFaceEndpoint => Variable("HF_ENDPOINT") is { } endpoint && Uri.TryCreate(endpoint.TrimEnd('/') + "/", UriKind.Absolute, out var uri)
        ? uri
        : new Uri("https://huggingface.co/");

    /// <summary>The Hugging Face access token for gated or private repositories ($HF_TOKEN), or null.</summary>
    public string? HuggingFaceToken => Variable("HF_TOKEN");

    /// <summary>
    /// Folders the user configured: $REASONTOOLS_MODELS (a path list) then the settings file's <c>modelFolders</c>.
    /// A settings file that cannot be read adds a line to <paramref name="warnings"/>.
    /// </summary>
    public IReadOnlyList<string> ConfiguredFolders(ICollection<string> warnings)
    {
        var folders = new List<string>();
        if (Variable("REASONTOOLS_MODELS") is { } list)
            folders.AddRange(list.Split(PathListSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(ExpandHome));
        folders.AddRange(ModelSettings.Load(SettingsFile, warnings).ModelFolders.Select(ExpandHome));
        return folders;
    }

    private string ExpandHome(string folder) =>
        folder == "~" ? Home : folder.StartsWith("~/", StringComparison.Ordinal) ? Path.Combine(Home, folder[2..]) : folder;
}

/// <summary>The settings file's model section: <c>{ "modelFolders": ["/data/models", "~/gguf"] }</c>.</summary>
public sealed record ModelSettings(IReadOnlyList<string> ModelFolders)
{
    /// <summary>The settings in <paramref name="path"/>; none when the file is missing, a warning when it is unreadable.</summary>
    public static ModelSettings Load(string path, ICollection<string> warnings)
    {
        if (!File.Exists(path)) return new ModelSettings([]);
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("modelFolders", out var folders)) return new ModelSettings([]);
            if (folders.ValueKind != JsonValueKind.Array || folders.EnumerateArray().Any(f => f.ValueKind != JsonValueKind.String))
            {
                warnings.Add($"{path}: \"modelFolders\" must be a list of folder paths; it was ignored.");
                return new ModelSettings([]);
            }
            return new ModelSettings(folders.EnumerateArray().Select(f => f.GetString()!).Where(f => f.Length > 0).ToList());
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            warnings.Add($"{path}: the settings file could not be read ({e.Message}); its model folders were ignored.");
            return new ModelSettings([]);
        }
    }
}
