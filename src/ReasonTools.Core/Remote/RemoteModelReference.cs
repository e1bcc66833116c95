namespace ReasonTools.Core.Remote;

/// <summary>The protocol an endpoint speaks.</summary>
public enum RemoteApiKind
{
    /// <summary>OpenAI-compatible <c>POST {url}/chat/completions</c> with server-sent events (DeepSeek, OpenAI, llama-server, vLLM).</summary>
    OpenAi,
    /// <summary>Ollama's <c>POST {url}/api/chat</c> with newline-delimited JSON.</summary>
    Ollama,
}

/// <summary>
/// A model behind an HTTP API. Written <c>openai:https://api.deepseek.com/v1#deepseek-reasoner</c> or
/// <c>ollama:http://localhost:11434#deepseek-r1:7b</c>, or named in the settings file's <c>endpoints</c>.
/// The API key is never part of a reference: it is read from the environment variable <see cref="ApiKeyVariable"/>.
/// </summary>
/// <param name="Kind">The protocol.</param>
/// <param name="BaseUrl">The API root (<c>…/v1</c> for OpenAI-compatible servers, the server root for Ollama).</param>
/// <param name="Model">The model name the API knows.</param>
/// <param name="ApiKeyVariable">The environment variable holding the key; null sends no key.</param>
/// <param name="KeyRequired">True when the settings named the variable: then an unset variable is an error before any request.</param>
/// <param name="Label">How rows and results name the model.</param>
public sealed record RemoteModelReference(RemoteApiKind Kind, Uri BaseUrl, string Model, string? ApiKeyVariable, bool KeyRequired, string Label)
{
    /// <summary>The reference without anything secret: what <c>model.path</c> of a result shows.</summary>
    public string Display => $"{(Kind == RemoteApiKind.OpenAi ? "openai" : "ollama")}:{BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/')}#{Model}";

    /// <summary>
    /// Recognises a remote reference: an <c>openai:</c> or <c>ollama:</c> form, or a bare name that the settings'
    /// <c>endpoints</c> define (an existing file of that name stays a file). Returns false for anything else.
    /// </summary>
    /// <exception cref="RemoteModelException">The reference has a remote form but is malformed (kind InvalidReference).</exception>
    public static bool TryParse(string reference, RemoteSettings? settings, out RemoteModelReference? remote) =>
        TryParse(reference, () => settings, out remote);

    /// <summary>As <see cref="TryParse(string, RemoteSettings?, out RemoteModelReference?)"/> with the default settings file, read only when a bare name needs it.</summary>
    public static bool TryParse(string reference, out RemoteModelReference? remote) =>
        TryParse(reference, () => RemoteSettings.LoadDefault(), out remote);

    private static bool TryParse(string reference, Func<RemoteSettings?> settings, out RemoteModelReference? remote)
    {
        remote = null;
        if (string.IsNullOrWhiteSpace(reference)) return false;
        var text = reference.Trim();
        var colon = text.IndexOf(':');
        if (colon > 0 && TryKind(text[..colon], out var kind))
        {
            remote = ParseInline(kind, text[(colon + 1)..]);
            return true;
        }
        if (!LooksLikeName(text) || File.Exists(text)) return false;
        var endpoint = settings()?.Find(text);
        if (endpoint is null) return false;
        remote = FromSettings(text, endpoint);
        return true;
    }

    /// <summary>Builds the reference a settings entry describes.</summary>
    public static RemoteModelReference FromSettings(string name, RemoteEndpoint endpoint)
    {
        if (!TryKind(endpoint.Kind ?? "", out var kind))
            throw Invalid($"The endpoint '{name}' in the settings has kind '{endpoint.Kind}'; use \"openai\" or \"ollama\".");
        var url = ParseUrl(endpoint.Url, $"the endpoint '{name}' in the settings");
        if (string.IsNullOrWhiteSpace(endpoint.Model))
            throw Invalid($"The endpoint '{name}' in the settings has no \"model\"; add the model name the API knows (e.g. \"deepseek-reasoner\").");
        var variable = string.IsNullOrWhiteSpace(endpoint.ApiKeyVariable) ? null : endpoint.ApiKeyVariable.Trim();
        if (variable is not null && !IsVariableName(variable))
            throw Invalid($"The endpoint '{name}' in the settings has an apiKeyVariable that is not an environment variable name. Put the key in an environment variable and name the variable there, never the key itself.");
        return new RemoteModelReference(kind, url, endpoint.Model.Trim(), variable ?? DefaultKeyVariable(kind, url), variable is not null, name);
    }

    /// <summary>The variable a key is read from when the settings name none: DEEPSEEK_API_KEY for api.deepseek.com, OPENAI_API_KEY for other OpenAI-compatible servers, OLLAMA_API_KEY for Ollama.</summary>
    public static string DefaultKeyVariable(RemoteApiKind kind, Uri url) => kind switch
    {
        RemoteApiKind.Ollama => "OLLAMA_API_KEY",
        _ when url.Host.EndsWith("deepseek.com", StringComparison.OrdinalIgnoreCase) => "DEEPSEEK_API_KEY",
        _ => "OPENAI_API_KEY",
    };

    private static RemoteModelReference ParseInline(RemoteApiKind kind, string rest)
    {
        var scheme = kind == RemoteApiKind.OpenAi ? "openai" : "ollama";
        var example = kind == RemoteApiKind.OpenAi ? "openai:https://api.deepseek.com/v1#deepseek-reasoner" : "ollama:http://localhost:11434#deepseek-r1:7b";
        var hash = rest.IndexOf('#');
        if (hash < 0 || hash == rest.Length - 1)
            throw Invalid($"The model reference '{scheme}:…' names no model: put it after '#', as in {example}.");
        var url = ParseUrl(rest[..hash], $"the reference '{scheme}:…' (e.g. {example})");
        var model = rest[(hash + 1)..].Trim();
        return new RemoteModelReference(kind, url, model, DefaultKeyVariable(kind, url), KeyRequired: false, $"{model}@{url.Host}");
    }

    private static Uri ParseUrl(string? text, string where)
    {
        if (!Uri.TryCreate(text?.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
            throw Invalid($"The URL in {where} is not an absolute http(s) URL.");
        // A key written into the URL would end up in results and logs.
        if (url.UserInfo.Length > 0)
            throw Invalid($"The URL in {where} carries credentials; remove them and put the key in an environment variable (see apiKeyVariable in the settings).");
        return url;
    }

    private static bool TryKind(string text, out RemoteApiKind kind)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "openai": kind = RemoteApiKind.OpenAi; return true;
            case "ollama": kind = RemoteApiKind.Ollama; return true;
            default: kind = default; return false;
        }
    }

    private static bool LooksLikeName(string text) =>
        text.IndexOfAny(['/', '\\']) < 0 && !text.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase);

    private static bool IsVariableName(string text) =>
        text.Length is > 0 and <= 128 && (char.IsLetter(text[0]) || text[0] == '_') && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static RemoteModelException Invalid(string message) => new(RemoteErrorKind.InvalidReference, message);
}
