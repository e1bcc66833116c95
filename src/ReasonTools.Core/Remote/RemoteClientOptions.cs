namespace ReasonTools.Core.Remote;

/// <summary>How a remote model is reached. The defaults suit a public API; tests shorten the waits.</summary>
public sealed record RemoteClientOptions
{
    /// <summary>Reads environment variables (the API key). Replaced in tests so no real variable is touched.</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Longest wait to connect and for the response headers.</summary>
    public TimeSpan ResponseTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Longest silence inside a stream (R1 may think for minutes, but servers send something at least every few seconds).</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Retries after HTTP 429 or 503 before a request gives up.</summary>
    public int MaxRetries { get; init; } = 3;

    /// <summary>Longest single wait a Retry-After may ask for; a longer one fails at once with the wait it asked for.</summary>
    public TimeSpan MaxRetryWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Context size asked of Ollama (<c>num_ctx</c>); null keeps the server's. OpenAI-compatible APIs fix their own.</summary>
    public int? ContextSize { get; init; }
}
