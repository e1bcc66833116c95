using System.Globalization;
using System.Text.Json;
using ReasonTools.Core.Inference;

namespace ReasonTools.Core.Remote;

/// <summary>
/// An Ollama server's <c>/api/chat</c>: newline-delimited JSON with the chain in <c>message.thinking</c> (asked for
/// with <c>think: true</c>; older servers put &lt;think&gt; tags in the content instead) and, on the last line,
/// the server's own counts and durations, so load, prompt and generation times are known.
/// </summary>
public sealed class OllamaChatModel : RemoteModel
{
    internal OllamaChatModel(RemoteModelReference reference, RemoteClientOptions options, string? apiKey) : base(reference, options, apiKey)
    {
    }

    private protected override string KindName => "Ollama";

    private protected override int ContextSizeReported => Options.ContextSize ?? 0;

    private protected override HttpRequestMessage CreateChatRequest(ReasonRequest request, uint seed, bool withThinking)
    {
        var messages = new List<Dictionary<string, string>>();
        if (!string.IsNullOrEmpty(request.SystemPrompt)) messages.Add(new() { ["role"] = "system", ["content"] = request.SystemPrompt });
        messages.Add(new() { ["role"] = "user", ["content"] = request.Prompt });
        var options = new Dictionary<string, object>
        {
            ["temperature"] = Math.Max(0f, request.Temperature),
            ["top_p"] = request.TopP,
            ["seed"] = seed,
        };
        if (request.MaxTokens is int max) options["num_predict"] = max;
        if (Options.ContextSize is int context) options["num_ctx"] = context;
        if (request.TopK > 0) options["top_k"] = request.TopK;
        if (request.MinP > 0) options["min_p"] = request.MinP;
        var body = new Dictionary<string, object>
        {
            ["model"] = Reference.Model,
            ["messages"] = messages,
            ["stream"] = true,
            ["options"] = options,
        };
        if (withThinking && request.ForceThinking) body["think"] = true;
        return JsonRequest(HttpMethod.Post, "api/chat", body);
    }

    private protected override bool RefusesThinking(string errorMessage) =>
        errorMessage.Contains("does not support thinking", StringComparison.OrdinalIgnoreCase);

    private protected override RemoteDelta? ParseLine(string line)
    {
        if (string.IsNullOrWhiteSpace(line)) return null;
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException("A stream line is not a JSON object.");
        if (root.TryGetProperty("error", out _))
            throw new RemoteModelException(RemoteErrorKind.ServerError, $"{Reference.Label} reported an error in the middle of its reply{Said(ServerErrorText(line) ?? "")}");

        string? thinking = null, content = null;
        if (root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.Object)
        {
            thinking = String(message, "thinking");
            content = String(message, "content");
        }
        var done = root.TryGetProperty("done", out var d) && d.ValueKind == JsonValueKind.True;
        if (!done) return new RemoteDelta { Reasoning = thinking, Content = content };
        return new RemoteDelta
        {
            Reasoning = thinking,
            Content = content,
            Done = true,
            Finish = String(root, "done_reason") == "length" ? FinishReason.Length : FinishReason.Stop,
            Usage = new RemoteUsage
            {
                PromptTokens = Int(root, "prompt_eval_count"),
                CompletionTokens = Int(root, "eval_count"),
                LoadMs = Nanoseconds(root, "load_duration"),
                PromptMs = Nanoseconds(root, "prompt_eval_duration"),
                GenerationMs = Nanoseconds(root, "eval_duration"),
            },
        };
    }

    private protected override async Task ProbeAsync(CancellationToken cancellationToken)
    {
        using var response = await SendAsync(_ => JsonRequest(HttpMethod.Post, "api/show", new Dictionary<string, string> { ["model"] = Reference.Model }),
            cancellationToken).ConfigureAwait(false);
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return;
        }
        Model = Describe(body) ?? Model;
    }

    /// <summary>Architecture, parameter count and quantization from /api/show, when it gives them.</summary>
    private ModelInfo? Describe(string showJson)
    {
        try
        {
            using var document = JsonDocument.Parse(showJson);
            if (!document.RootElement.TryGetProperty("details", out var details) || details.ValueKind != JsonValueKind.Object) return null;
            string? architecture = null;
            if (document.RootElement.TryGetProperty("model_info", out var info) && info.ValueKind == JsonValueKind.Object)
                architecture = String(info, "general.architecture");
            return Model with
            {
                Architecture = architecture ?? String(details, "family"),
                Parameters = ParameterCount(String(details, "parameter_size")),
                Quantization = String(details, "quantization_level"),
            };
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>"7.6B" → 7 600 000 000; "494.03M" → 494 030 000.</summary>
    internal static long? ParameterCount(string? size)
    {
        if (string.IsNullOrWhiteSpace(size)) return null;
        var text = size.Trim();
        var scale = char.ToUpperInvariant(text[^1]) switch { 'B' => 1e9, 'M' => 1e6, 'K' => 1e3, 'T' => 1e12, _ => 0 };
        if (scale == 0) return null;
        return double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var n) && n > 0 ? (long)Math.Round(n * scale) : null;
    }

    private protected override string ModelNotFoundMessage(string serverMessage) =>
        $"The Ollama server at {Reference.BaseUrl.Authority} has no model '{Reference.Model}': run `ollama pull {Reference.Model}` there{Said(serverMessage)}";

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;

    private static double? Nanoseconds(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var ns) && ns > 0 ? ns / 1e6 : null;
}
