using System.Text.Json;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Remote;
using static ReasonTools.Core.Tests.Remote.LoopbackServer;
using static ReasonTools.Core.Tests.Remote.RemoteFixtures;

namespace ReasonTools.Core.Tests.Remote;

public sealed class OllamaChatModelTests : IDisposable
{
    private const string Chat = "/api/chat";
    private readonly LoopbackServer _server = new LoopbackServer().On("/api/show", Json(200, OllamaShow));

    public void Dispose() => _server.Dispose();

    private Task<RemoteModel> OpenAsync(int? contextSize = null) =>
        RemoteModel.OpenAsync(Ollama(_server), Options() with { ContextSize = contextSize });

    [Fact]
    public async Task Thinking_chunks_become_the_chain_and_the_servers_durations_fill_the_timings()
    {
        _server.On(Chat, Ndjson([
            OllamaThinking("Five plus seven"), OllamaThinking(" is 12."), OllamaContent("The answer is "), OllamaContent("\\boxed{12}"), OllamaDone(),
        ]));
        using var model = await OpenAsync(contextSize: 8192);
        var (tokens, result) = await RunAsync(model);

        Assert.Equal("Five plus seven is 12.", result.Thinking);
        Assert.Equal("The answer is \\boxed{12}", result.Answer);
        Assert.Equal("12", result.FinalAnswer);
        Assert.Equal(result.Thinking, Text(tokens, thinking: true));
        Assert.True(result.ReasoningComplete);
        Assert.Equal(FinishReason.Stop, result.FinishReason);
        Assert.Equal(500, result.Timings.LoadMs);
        Assert.Equal(20, result.Timings.PromptTokens);
        Assert.Equal(100, result.Timings.PromptMs);
        Assert.Equal(200, result.Timings.PromptTokensPerSecond!.Value, 6);
        Assert.Equal(50, result.Timings.GeneratedTokens);
        Assert.Equal(2000, result.Timings.GenerationMs);
        Assert.Equal(25, result.Timings.TokensPerSecond, 6);
        Assert.Equal(25, result.Timings.ThinkingTokens);
        Assert.Equal(25, result.Timings.AnswerTokens);
        Assert.Equal(8192, result.Settings.ContextSize);
        Assert.Equal(7_600_000_000, result.Model.Parameters);
        Assert.Equal("Q4_K_M", result.Model.Quantization);
        Assert.Equal("qwen2", result.Model.Architecture);
        Assert.Equal("ollama:" + _server.Url.ToString().TrimEnd('/') + "#deepseek-r1:7b", result.Model.Path);
    }

    [Fact]
    public async Task The_request_asks_for_thinking_and_passes_the_sampling_options()
    {
        _server.On(Chat, Ndjson([OllamaContent("12"), OllamaDone()]));
        using var model = await OpenAsync(contextSize: 4096);
        await RunAsync(model);

        using var body = JsonDocument.Parse(_server.Requests.Single(r => r.Path == Chat).Body);
        var root = body.RootElement;
        Assert.Equal("deepseek-r1:7b", root.GetProperty("model").GetString());
        Assert.True(root.GetProperty("think").GetBoolean());
        Assert.True(root.GetProperty("stream").GetBoolean());
        var options = root.GetProperty("options");
        Assert.Equal(0.6, options.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(0.95, options.GetProperty("top_p").GetDouble(), 3);
        Assert.Equal(42, options.GetProperty("seed").GetInt32());
        Assert.Equal(256, options.GetProperty("num_predict").GetInt32());
        Assert.Equal(4096, options.GetProperty("num_ctx").GetInt32());
    }

    [Fact]
    public async Task A_model_that_cannot_think_on_request_is_asked_again_without_and_inline_tags_still_split()
    {
        _server.On(Chat,
            Json(400, """{"error":"\"deepseek-r1:7b\" does not support thinking"}"""),
            Ndjson([OllamaContent("<think>\nAdd: 12"), OllamaContent("</think>\n\nAnswer: 12"), OllamaDone()]));
        using var model = await OpenAsync();
        var (_, result) = await RunAsync(model);

        Assert.Equal("Add: 12", result.Thinking);
        Assert.Equal("12", result.FinalAnswer);
        var bodies = _server.Requests.Where(r => r.Path == Chat).Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(2, bodies.Count);
        Assert.False(bodies[1].TryGetProperty("think", out _));
    }

    [Fact]
    public async Task A_model_the_server_has_not_pulled_says_to_pull_it()
    {
        _server.On("/api/show", Json(404, """{"error":"model 'deepseek-r1:7b' not found"}"""));
        var e = await Assert.ThrowsAsync<RemoteModelException>(() => OpenAsync());

        Assert.Equal(RemoteErrorKind.ModelNotFound, e.Kind);
        Assert.Contains("ollama pull deepseek-r1:7b", e.Message);
    }

    [Fact]
    public async Task A_stream_cut_before_done_fails_with_the_partial_reply()
    {
        _server.On(Chat, Ndjson([OllamaThinking("Five plus"), OllamaThinking(" seven")], abort: true));
        using var model = await OpenAsync();
        var (_, e) = await FailAsync(model);

        Assert.Equal(RemoteErrorKind.StreamInterrupted, e.Kind);
        Assert.Equal("Five plus seven", e.Partial!.Thinking);
    }

    [Fact]
    public async Task Invalid_json_in_the_stream_is_a_malformed_response()
    {
        _server.On(Chat, Ndjson([OllamaThinking("ok"), "<html>proxy error</html>"]));
        using var model = await OpenAsync();
        var (_, e) = await FailAsync(model);

        Assert.Equal(RemoteErrorKind.MalformedResponse, e.Kind);
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public async Task A_length_stop_is_reported_as_length()
    {
        _server.On(Chat, Ndjson([OllamaThinking("long thought"), OllamaDone("length")]));
        using var model = await OpenAsync();
        var (_, result) = await RunAsync(model);

        Assert.Equal(FinishReason.Length, result.FinishReason);
        Assert.False(result.ReasoningComplete);
    }

    [Theory]
    [InlineData("7.6B", 7_600_000_000L)]
    [InlineData("494.03M", 494_030_000L)]
    [InlineData("1.5b", 1_500_000_000L)]
    [InlineData("big", null)]
    [InlineData("", null)]
    public void Parameter_sizes_are_read_from_ollamas_notation(string size, long? expected) =>
        Assert.Equal(expected, OllamaChatModel.ParameterCount(size));
}
