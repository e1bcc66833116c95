using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using ReasonTools.Core.Inference;

namespace ReasonTools.Core.Remote;

/// <summary>
/// A model behind an HTTP API, answering through the same <see cref="IReasonModel"/> seam as a local engine:
/// the same token updates and the same <see cref="ReasonResult"/>, with the timings a client can measure and
/// null for those it cannot. Requests are independent, so one instance may serve several at once.
/// </summary>
/// <remarks>
/// Failures throw <see cref="RemoteModelException"/>. A stream that is cut or turns malformed after tokens
/// arrived throws too (after the tokens were streamed), carrying what arrived in
/// <see cref="RemoteModelException.Partial"/>: a half reply is never passed off as an answer.
/// Cancelling ends the stream with a result whose finishReason is "cancelled", as a local run does.
/// </remarks>
public abstract class RemoteModel : IReasonModel
{
    private const int MaxErrorBodyChars = 8192;
    private readonly string? _apiKey;
    private readonly HttpClient _http;

    private protected RemoteModel(RemoteModelReference reference, RemoteClientOptions options, string? apiKey)
    {
        Reference = reference;
        Options = options;
        _apiKey = apiKey;
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = options.ResponseTimeout }) { Timeout = Timeout.InfiniteTimeSpan };
        Model = new ModelInfo(reference.Label, reference.Display, null, null, null, null);
    }

    /// <summary>The endpoint, as its reference names it.</summary>
    public RemoteModelReference Reference { get; }

    public RemoteClientOptions Options { get; }

    /// <summary>The model as results report it: the reference's label and its key-free form as the path.</summary>
    public ModelInfo Model { get; private protected set; }

    /// <summary>
    /// Reads the key, then checks that the endpoint answers (and, for Ollama, that it has the model), so a wrong
    /// URL or key fails here rather than on the first prompt.
    /// </summary>
    /// <exception cref="RemoteModelException">The key variable the settings name is unset, or the endpoint cannot serve.</exception>
    public static async Task<RemoteModel> OpenAsync(RemoteModelReference reference, RemoteClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        options ??= new RemoteClientOptions();
        var key = reference.ApiKeyVariable is null ? null : options.Environment(reference.ApiKeyVariable);
        if (string.IsNullOrWhiteSpace(key))
        {
            key = null;
            if (reference.KeyRequired)
                throw new RemoteModelException(RemoteErrorKind.MissingKey,
                    $"The endpoint '{reference.Label}' reads its API key from the environment variable {reference.ApiKeyVariable}, which is not set. Set it (the key is never taken from the command line).");
        }
        RemoteModel model = reference.Kind == RemoteApiKind.Ollama
            ? new OllamaChatModel(reference, options, key)
            : new OpenAiChatModel(reference, options, key);
        try
        {
            await model.ProbeAsync(cancellationToken).ConfigureAwait(false);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>An estimate (about three characters a token): the remote tokenizer is not at hand. It errs high, so prompts planned with it fit.</summary>
    public int CountTokens(string text) => (text.Length + 2) / 3;

    public async IAsyncEnumerable<ReasonUpdate> StreamAsync(ReasonRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Prompt)) throw PromptComposer.EmptyPrompt();
        var started = Stopwatch.GetTimestamp();
        var seed = request.Seed ?? (uint)Random.Shared.Next();
        var reply = new RemoteReply();
        FinishReason? finish = null;
        RemoteModelException? failure = null;

        HttpResponseMessage? response = null;
        try
        {
            response = await SendAsync(thinking => CreateChatRequest(request, seed, thinking), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            finish = FinishReason.Cancelled;
        }

        if (response is not null)
        {
            using (response)
            {
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(CancellationToken.None).ConfigureAwait(false), Encoding.UTF8);
                // One timer for the whole stream, restarted before each read: it fires only after a silence.
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var lineNumber = 0;
                while (true)
                {
                    string? line;
                    {
                        idle.CancelAfter(Options.IdleTimeout);
                        try
                        {
                            line = await reader.ReadLineAsync(idle.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                        {
                            finish = FinishReason.Cancelled;
                            break;
                        }
                        catch (OperationCanceledException e)
                        {
                            failure = new RemoteModelException(RemoteErrorKind.Timeout,
                                $"{Reference.Label} sent nothing for {Options.IdleTimeout.TotalSeconds:0.#} s in the middle of its reply; the reply was abandoned.", e);
                            break;
                        }
                        catch (Exception e) when (e is IOException or HttpRequestException)
                        {
                            failure = new RemoteModelException(RemoteErrorKind.StreamInterrupted,
                                $"The connection to {Reference.Label} dropped in the middle of its reply ({e.Message}); the reply is incomplete.", e);
                            break;
                        }
                    }
                    if (line is null) break;
                    lineNumber++;
                    RemoteDelta? delta;
                    try
                    {
                        delta = ParseLine(line);
                    }
                    catch (JsonException e)
                    {
                        failure = new RemoteModelException(RemoteErrorKind.MalformedResponse,
                            $"{Reference.Label} sent a line that is not valid JSON (line {lineNumber} of its stream); the reply was abandoned. Is the URL an {KindName} endpoint?", e);
                        break;
                    }
                    catch (RemoteModelException e)
                    {
                        failure = e;
                        break;
                    }
                    if (delta is null) continue;
                    foreach (var update in reply.Add(delta, Elapsed(started))) yield return update;
                    if (reply.Done) break;
                }
            }
        }

        foreach (var update in reply.Flush(Elapsed(started))) yield return update;
        if (failure is null && finish is null && !reply.Done && reply.Finish is null)
            failure = new RemoteModelException(RemoteErrorKind.StreamInterrupted,
                $"{Reference.Label} ended its reply before saying it had finished; the reply is incomplete.");
        var settings = new GenerationSettings(request.Temperature, request.TopP, seed, ContextSizeReported, 0, 0, request.MaxTokens ?? 0);
        var estimatedPromptTokens = CountTokens(request.Prompt) + (request.SystemPrompt is null ? 0 : CountTokens(request.SystemPrompt));
        if (failure is not null)
        {
            var partial = reply.Empty ? null : reply.Build(Model, request, FinishReason.Length, Elapsed(started), estimatedPromptTokens, settings);
            throw new RemoteModelException(failure.Kind, Redact(failure.Message), failure.InnerException) { Partial = partial };
        }
        var result = reply.Build(Model, request, finish ?? reply.Finish ?? FinishReason.Stop, Elapsed(started), estimatedPromptTokens, settings);
        yield return new ReasonUpdate(ReasonUpdateKind.Completed) { Result = result };
    }

    /// <summary>The protocol's name in messages.</summary>
    private protected abstract string KindName { get; }

    /// <summary>The context size results report (0 when the server decides it).</summary>
    private protected virtual int ContextSizeReported => 0;

    /// <summary>Builds the streaming chat request; <paramref name="withThinking"/> false after the server refused to think.</summary>
    private protected abstract HttpRequestMessage CreateChatRequest(ReasonRequest request, uint seed, bool withThinking);

    /// <summary>Parses one line of the stream; null for lines that carry nothing (keep-alives, blank lines).</summary>
    /// <exception cref="JsonException">The line is not valid JSON.</exception>
    /// <exception cref="RemoteModelException">The line is an error the server sent inside the stream.</exception>
    private protected abstract RemoteDelta? ParseLine(string line);

    /// <summary>A cheap request that fails the way a chat request would (unreachable, key, model).</summary>
    private protected abstract Task ProbeAsync(CancellationToken cancellationToken);

    /// <summary>Whether an HTTP 400 says the model cannot think on request (then the request is sent again without asking).</summary>
    private protected virtual bool RefusesThinking(string errorMessage) => false;

    /// <summary>The message for a 404 from this kind of server.</summary>
    private protected abstract string ModelNotFoundMessage(string serverMessage);

    private protected Uri Endpoint(string relative) => new(new Uri(Reference.BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/"), relative);

    private protected HttpRequestMessage JsonRequest(HttpMethod method, string relative, object? body)
    {
        var message = new HttpRequestMessage(method, Endpoint(relative));
        if (body is not null)
            message.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        if (_apiKey is not null) message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _apiKey);
        return message;
    }

    /// <summary>
    /// Sends a request, retrying after 429/503 as the server's Retry-After says (bounded retries, bounded wait),
    /// and turns every failure into a <see cref="RemoteModelException"/> that says what to do. A status that
    /// <paramref name="tolerate"/> accepts is returned as it is.
    /// </summary>
    private protected async Task<HttpResponseMessage> SendAsync(Func<bool, HttpRequestMessage> create, CancellationToken cancellationToken, Func<int, bool>? tolerate = null)
    {
        var withThinking = true;
        for (var attempt = 0; ; attempt++)
        {
            using var request = create(withThinking);
            HttpResponseMessage response;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(Options.ResponseTimeout);
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    throw;
                }
                catch (OperationCanceledException e)
                {
                    throw new RemoteModelException(RemoteErrorKind.Timeout,
                        $"{Reference.Label} did not answer within {Options.ResponseTimeout.TotalSeconds:0.#} s ({Reference.BaseUrl.Authority}). Is the server overloaded or the URL wrong?", e);
                }
                catch (HttpRequestException e)
                {
                    throw new RemoteModelException(RemoteErrorKind.Unreachable,
                        $"Could not reach {Reference.Label} at {Reference.BaseUrl.Authority} ({Redact(e.Message)}). Is the server running and the URL right?", e);
                }
            }
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode || tolerate?.Invoke(status) == true) return response;

            string serverMessage;
            using (response)
                serverMessage = Redact(await ErrorMessageAsync(response, cancellationToken).ConfigureAwait(false));
            if (status is 429 or 503)
            {
                var wait = RetryAfter(response) ?? TimeSpan.FromSeconds(Math.Pow(2, attempt));
                var retryAfterSeconds = RetryAfter(response)?.TotalSeconds;
                if (wait > Options.MaxRetryWait)
                    throw new RemoteModelException(RemoteErrorKind.RateLimited,
                        $"{Reference.Label} is {(status == 429 ? "rate-limiting requests" : "unavailable")} (HTTP {status}) and asks to wait {wait.TotalSeconds:0} s, longer than the {Options.MaxRetryWait.TotalSeconds:0} s allowed. Try again later.")
                    { RetryAfterSeconds = retryAfterSeconds };
                if (attempt >= Options.MaxRetries)
                    throw new RemoteModelException(RemoteErrorKind.RateLimited,
                        $"{Reference.Label} is still {(status == 429 ? "rate-limiting requests" : "unavailable")} (HTTP {status}) after {Options.MaxRetries} retries. Try again later{Said(serverMessage)}")
                    { RetryAfterSeconds = retryAfterSeconds };
                await Task.Delay(wait, cancellationToken).ConfigureAwait(false);
                continue;
            }
            if (status == 400 && withThinking && RefusesThinking(serverMessage))
            {
                withThinking = false;
                continue;
            }
            throw status switch
            {
                401 or 403 when _apiKey is null => new RemoteModelException(RemoteErrorKind.KeyRejected,
                    $"{Reference.Label} wants an API key (HTTP {status}) and none was sent: set the environment variable {Reference.ApiKeyVariable} (or name another with apiKeyVariable in the settings)."),
                401 => new RemoteModelException(RemoteErrorKind.KeyRejected,
                    $"{Reference.Label} rejected the API key in the environment variable {Reference.ApiKeyVariable} (HTTP 401): check that it is current and meant for this service."),
                403 => new RemoteModelException(RemoteErrorKind.KeyRejected,
                    $"{Reference.Label} refused the API key in the environment variable {Reference.ApiKeyVariable} (HTTP 403): the key may not have access to '{Reference.Model}'{Said(serverMessage)}"),
                404 => new RemoteModelException(RemoteErrorKind.ModelNotFound, ModelNotFoundMessage(serverMessage)),
                408 or 504 => new RemoteModelException(RemoteErrorKind.Timeout, $"{Reference.Label} timed out (HTTP {status}){Said(serverMessage)}"),
                _ => new RemoteModelException(RemoteErrorKind.ServerError, $"{Reference.Label} answered HTTP {status}{Said(serverMessage)}"),
            };
        }
    }

    private protected static string Said(string serverMessage) => serverMessage.Length == 0 ? "." : $"; the server said: {serverMessage}";

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is TimeSpan delta) return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        if (header?.Date is DateTimeOffset date)
        {
            var wait = date - DateTimeOffset.UtcNow;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        // Some servers send fractional seconds, which the typed header rejects.
        if (response.Headers.TryGetValues("Retry-After", out var values)
            && double.TryParse(values.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
            return TimeSpan.FromSeconds(seconds);
        return null;
    }

    /// <summary>The server's own words from an error body (its error.message, or the start of the text).</summary>
    private async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var buffer = new char[MaxErrorBodyChars];
            var read = await reader.ReadBlockAsync(buffer, cancellationToken).ConfigureAwait(false);
            body = new string(buffer, 0, read);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return "";
        }
        return ServerErrorText(body) ?? Shorten(body.Trim());
    }

    /// <summary>error.message (OpenAI), error (Ollama) or message from a JSON error body; null when it is not one.</summary>
    private protected string? ServerErrorText(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return null;
            if (root.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.String) return Shorten(error.GetString() ?? "");
                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                    return Shorten(message.GetString() ?? "");
            }
            if (root.TryGetProperty("message", out var text) && text.ValueKind == JsonValueKind.String) return Shorten(text.GetString() ?? "");
            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // Redacted before it is cut: a key straddling the cut would otherwise show up to the cut.
    private string Shorten(string text) => SecretRedaction.RedactAndShorten(text, _apiKey, 300);

    /// <summary>Removes the key from text a server or the network stack wrote (some APIs echo the key they rejected).</summary>
    private protected string Redact(string text) =>
        SecretRedaction.Redact(text, _apiKey);

    private static double Elapsed(long started) => Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    public void Dispose()
    {
        _http.Dispose();
        GC.SuppressFinalize(this);
    }
}
