using ReasonTools.Core.Inference;

namespace ReasonTools.Core.Remote;

/// <summary>What went wrong with a remote model, so a front can say what to do about it.</summary>
public enum RemoteErrorKind
{
    /// <summary>The reference or a settings entry is malformed (scheme, URL, model name, settings JSON).</summary>
    InvalidReference,
    /// <summary>The endpoint names an API-key variable that is not set.</summary>
    MissingKey,
    /// <summary>The server refused the key (HTTP 401 or 403), or demanded one and none was set.</summary>
    KeyRejected,
    /// <summary>The host could not be reached (DNS, refused connection, TLS).</summary>
    Unreachable,
    /// <summary>HTTP 429 (or 503) persisted after the bounded retries, or the server asked for a longer wait than allowed.</summary>
    RateLimited,
    /// <summary>No response, or no data within the idle timeout.</summary>
    Timeout,
    /// <summary>The endpoint does not know the model (HTTP 404, or Ollama has not pulled it).</summary>
    ModelNotFound,
    /// <summary>Any other error status, or an error object inside the stream.</summary>
    ServerError,
    /// <summary>The stream held something that is not the protocol's JSON.</summary>
    MalformedResponse,
    /// <summary>The stream ended (or the connection dropped) before the server said it had finished.</summary>
    StreamInterrupted,
}

/// <summary>
/// A remote model could not answer. Messages name the endpoint and, for key problems, the environment
/// variable the key is read from; they never contain the key itself.
/// </summary>
public sealed class RemoteModelException : ReasonFailure
{
    public RemoteModelException(RemoteErrorKind kind, string message, Exception? inner = null) : base(FailureKind.Remote, message, inner) => Kind = kind;

    /// <summary>
    /// How the remote model failed. It hides <see cref="ReasonFailure.Kind"/>, which is always <see cref="FailureKind.Remote"/>
    /// for this type, so that callers of the remote client keep reading the remote kind where they always have.
    /// </summary>
    public new RemoteErrorKind Kind { get; }

    /// <summary>Seconds the server asked to wait (Retry-After), for <see cref="RemoteErrorKind.RateLimited"/>.</summary>
    public double? RetryAfterSeconds { get; init; }

    /// <summary>
    /// What had arrived before a stream was interrupted or turned malformed (finishReason "stop" is never claimed
    /// for it: it carries "length" when the chain or answer was cut). Null when nothing had arrived.
    /// </summary>
    public ReasonResult? Partial { get; init; }
}
