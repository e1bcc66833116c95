using System.Text.Json;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Remote;

namespace ReasonTools.Core.Tests.Remote;

/// <summary>Recorded-shape stream events and small helpers for the remote client tests.</summary>
public static class RemoteFixtures
{
    public const string Key = "sk-loopback-7f3c9e21d4b8a650secret";
    public const string KeyVariable = "LOOPBACK_TEST_API_KEY";

    public static readonly ReasonRequest Question = new() { Prompt = "What is 5 + 7?", Temperature = 0.6f, TopP = 0.95f, Seed = 42, MaxTokens = 256 };

    /// <summary>Fast waits so faults resolve in milliseconds.</summary>
    public static RemoteClientOptions Options(string? key = Key) => new()
    {
        Environment = name => name == KeyVariable ? key : null,
        MaxRetries = 2,
        MaxRetryWait = TimeSpan.FromSeconds(5),
        ResponseTimeout = TimeSpan.FromSeconds(10),
        IdleTimeout = TimeSpan.FromSeconds(10),
    };

    public static RemoteModelReference OpenAi(LoopbackServer server, bool keyRequired = true) =>
        new(RemoteApiKind.OpenAi, new Uri(server.Url, "v1"), "deepseek-reasoner", KeyVariable, keyRequired, "deepseek-reasoner@loopback");

    public static RemoteModelReference Ollama(LoopbackServer server) =>
        new(RemoteApiKind.Ollama, server.Url, "deepseek-r1:7b", KeyVariable, false, "deepseek-r1:7b@loopback");

    public static string ReasoningDelta(string text) => Chunk(new Dictionary<string, object?> { ["role"] = "assistant", ["reasoning_content"] = text, ["content"] = null });
    public static string ContentDelta(string text) => Chunk(new Dictionary<string, object?> { ["content"] = text });

    public static string Finish(string reason) =>
        JsonSerializer.Serialize(new { id = "c1", @object = "chat.completion.chunk", choices = new[] { new { index = 0, delta = new { }, finish_reason = reason } } });

    public static string Usage(int prompt, int completion, int? reasoning = null) =>
        JsonSerializer.Serialize(new
        {
            id = "c1", @object = "chat.completion.chunk", choices = Array.Empty<object>(),
            usage = new { prompt_tokens = prompt, completion_tokens = completion, total_tokens = prompt + completion, completion_tokens_details = new { reasoning_tokens = reasoning } },
        });

    private static string Chunk(Dictionary<string, object?> delta) =>
        JsonSerializer.Serialize(new { id = "c1", @object = "chat.completion.chunk", choices = new[] { new { index = 0, delta, finish_reason = (string?)null } } });

    public static string OllamaThinking(string text) => JsonSerializer.Serialize(new { model = "deepseek-r1:7b", message = new { role = "assistant", content = "", thinking = text }, done = false });
    public static string OllamaContent(string text) => JsonSerializer.Serialize(new { model = "deepseek-r1:7b", message = new { role = "assistant", content = text }, done = false });

    public static string OllamaDone(string reason = "stop") => JsonSerializer.Serialize(new
    {
        model = "deepseek-r1:7b", message = new { role = "assistant", content = "" }, done = true, done_reason = reason,
        total_duration = 3_000_000_000L, load_duration = 500_000_000L, prompt_eval_count = 20, prompt_eval_duration = 100_000_000L,
        eval_count = 50, eval_duration = 2_000_000_000L,
    });

    public const string OllamaShow = """{"details":{"family":"qwen2","parameter_size":"7.6B","quantization_level":"Q4_K_M"},"model_info":{"general.architecture":"qwen2"}}""";

    /// <summary>Runs a stream to its end: the token updates and the result.</summary>
    public static async Task<(List<ReasonUpdate> Tokens, ReasonResult Result)> RunAsync(IReasonModel model, ReasonRequest? request = null, CancellationToken ct = default)
    {
        var tokens = new List<ReasonUpdate>();
        ReasonResult? result = null;
        await foreach (var update in model.StreamAsync(request ?? Question, ct))
            if (update.Kind == ReasonUpdateKind.Token) tokens.Add(update);
            else if (update.Kind == ReasonUpdateKind.Completed) result = update.Result;
        return (tokens, result!);
    }

    /// <summary>Runs a stream that must fail; returns the tokens seen before and the exception.</summary>
    public static async Task<(List<ReasonUpdate> Tokens, RemoteModelException Error)> FailAsync(IReasonModel model, ReasonRequest? request = null)
    {
        var tokens = new List<ReasonUpdate>();
        try
        {
            await foreach (var update in model.StreamAsync(request ?? Question))
                if (update.Kind == ReasonUpdateKind.Token) tokens.Add(update);
        }
        catch (RemoteModelException e)
        {
            Assert.DoesNotContain(Key, e.ToString());
            return (tokens, e);
        }
        throw new Xunit.Sdk.XunitException("The stream was expected to fail but completed.");
    }

    public static string Text(IEnumerable<ReasonUpdate> tokens, bool thinking) => string.Concat(tokens.Where(t => t.IsThinking == thinking).Select(t => t.Text));
}
