using System.Text.Json;
using ReasonTools.Core.Inference;

namespace ReasonTools.Core.Remote;

/// <summary>
/// An OpenAI-compatible chat completions endpoint (DeepSeek, OpenAI, llama-server, vLLM): server-sent events with
/// the chain in <c>delta.reasoning_content</c> (or <c>delta.reasoning</c>) or inline in <c>delta.content</c> as
/// &lt;think&gt; tags, and a usage block at the end. Load and prompt times are not known to the client (null).
/// </summary>
public sealed class OpenAiChatModel : RemoteModel
{
    internal OpenAiChatModel(RemoteModelReference reference, RemoteClientOptions options, string? apiKey) : base(reference, options, apiKey)
    {
    }

    private protected override string KindName => "OpenAI-compatible";

    private protected override HttpRequestMessage CreateChatRequest(ReasonRequest request, uint seed, bool withThinking)
    {
        var messages = new List<Dictionary<string, string>>();
        if (!string.IsNullOrEmpty(request.SystemPrompt)) messages.Add(new() { ["role"] = "system", ["content"] = request.SystemPrompt });
        messages.Add(new() { ["role"] = "user", ["content"] = request.Prompt });
        var body = new Dictionary<string, object>
        {
            ["model"] = Reference.Model,
            ["messages"] = messages,
            ["stream"] = true,
            ["stream_options"] = new Dictionary<string, object> { ["include_usage"] = true },
            ["temperature"] = Math.Max(0f, request.Temperature),
            ["top_p"] = request.TopP,
            ["seed"] = seed,
        };
        if (request.MaxTokens is int max) body["max_tokens"] = max;
        return JsonRequest(HttpMethod.Post, "chat/completions", body);
    }

    private protected override RemoteDelta? ParseLine(string line)
    {
        // Server-sent events: only data lines matter; comments (": keep-alive"), event names and blank lines do not.
        if (!line.StartsWith("data:", StringComparison.Ordinal)) return null;
        var data = line.AsSpan(5).Trim();
        if (data.Length == 0) return null;
        if (data.SequenceEqual("[DONE]")) return new RemoteDelta { Done = true };

        using var document = JsonDocument.Parse(data.ToString());
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw new JsonException("A stream event is not a JSON object.");
        if (root.TryGetProperty("error", out _))
            throw new RemoteModelException(RemoteErrorKind.ServerError, $"{Reference.Label} reported an error in the middle of its reply{Said(ServerErrorText(root.GetRawText()) ?? "")}");

        string? reasoning = null, content = null;
        FinishReason? finish = null;
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
            {
                reasoning = String(delta, "reasoning_content") ?? String(delta, "reasoning");
                content = String(delta, "content");
            }
            if (choice.TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String)
                finish = reason.GetString() == "length" ? FinishReason.Length : FinishReason.Stop;
        }
        RemoteUsage? usage = null;
        if (root.TryGetProperty("usage", out var u) && u.ValueKind == JsonValueKind.Object)
        {
            int? reasoningTokens = null;
            if (u.TryGetProperty("completion_tokens_details", out var details) && details.ValueKind == JsonValueKind.Object)
                reasoningTokens = Int(details, "reasoning_tokens");
            usage = new RemoteUsage { PromptTokens = Int(u, "prompt_tokens"), CompletionTokens = Int(u, "completion_tokens"), ReasoningTokens = reasoningTokens };
        }
        return new RemoteDelta { Reasoning = reasoning, Content = content, Finish = finish, Usage = usage };
    }

    private protected override async Task ProbeAsync(CancellationToken cancellationToken)
    {
        // GET /models answers fast and needs the key; a server without it (404, 405, 500) is still given a chance to chat.
        using var response = await SendAsync(_ => JsonRequest(HttpMethod.Get, "models", null), cancellationToken,
            tolerate: status => status is not (401 or 403 or 429 or 503)).ConfigureAwait(false);
    }

    private protected override string ModelNotFoundMessage(string serverMessage) =>
        $"{Reference.Label} answered HTTP 404 for model '{Reference.Model}': check the model name and that the URL is the API root (e.g. https://api.deepseek.com/v1){Said(serverMessage)}";

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;
}
