using System.Text.Json;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Remote;
using static ReasonTools.Core.Tests.Remote.LoopbackServer;
using static ReasonTools.Core.Tests.Remote.RemoteFixtures;

namespace ReasonTools.Core.Tests.Remote;

public sealed class OpenAiChatModelTests : IDisposable
{
    private const string Chat = "/v1/chat/completions";
    private readonly LoopbackServer _server = new LoopbackServer().On("/v1/models", Json(200, """{"data":[{"id":"deepseek-reasoner"}]}"""));

    public void Dispose() => _server.Dispose();

    private Task<RemoteModel> OpenAsync(RemoteClientOptions? options = null) => RemoteModel.OpenAsync(OpenAi(_server), options ?? Options());

    [Fact]
    public async Task Reasoning_content_deltas_become_the_chain_and_usage_gives_the_token_counts()
    {
        _server.On(Chat, Sse([
            ReasoningDelta("\nFive plus seven: "), ReasoningDelta("5 + 7 = 12."), ReasoningDelta(" Check: 12 - 7 = 5."),
            ContentDelta("The sum is "), ContentDelta("\\boxed{12}."), Finish("stop"), Usage(14, 40, 30), "[DONE]",
        ]));
        using var model = await OpenAsync();
        var (tokens, result) = await RunAsync(model);

        Assert.Equal("Five plus seven: 5 + 7 = 12. Check: 12 - 7 = 5.", result.Thinking);
        Assert.Equal("The sum is \\boxed{12}.", result.Answer);
        Assert.Equal("12", result.FinalAnswer);
        Assert.Equal(result.Thinking, Text(tokens, thinking: true));
        Assert.Equal(result.Answer, Text(tokens, thinking: false));
        Assert.NotEmpty(result.Steps);
        Assert.Equal(FinishReason.Stop, result.FinishReason);
        Assert.True(result.ReasoningComplete);
        Assert.Equal(14, result.Timings.PromptTokens);
        Assert.Equal(40, result.Timings.GeneratedTokens);
        Assert.Equal(30, result.Timings.ThinkingTokens);
        Assert.Equal(10, result.Timings.AnswerTokens);
        Assert.Null(result.Timings.LoadMs);
        Assert.Null(result.Timings.PromptMs);
        Assert.Null(result.Timings.PromptTokensPerSecond);
        Assert.NotNull(result.Timings.TimeToFirstTokenMs);
        Assert.True(result.Timings.TimeToFirstAnswerTokenMs >= result.Timings.TimeToFirstTokenMs);
        Assert.True(result.Timings.TotalMs >= result.Timings.TimeToFirstAnswerTokenMs);
        Assert.Equal("deepseek-reasoner@loopback", result.Model.Name);
        Assert.DoesNotContain(Key, JsonSerializer.Serialize(result));
    }

    [Fact]
    public async Task The_request_streams_with_usage_passes_the_sampling_settings_and_sends_the_key_only_as_a_bearer_header()
    {
        _server.On(Chat, Sse([ContentDelta("ok"), Finish("stop"), "[DONE]"]));
        using var model = await OpenAsync();
        var (_, result) = await RunAsync(model, Question with { SystemPrompt = "Be brief." });

        var sent = _server.Requests.Single(r => r.Path == Chat);
        Assert.Equal($"Bearer {Key}", sent.Authorization);
        using var body = JsonDocument.Parse(sent.Body);
        var root = body.RootElement;
        Assert.Equal("deepseek-reasoner", root.GetProperty("model").GetString());
        Assert.True(root.GetProperty("stream").GetBoolean());
        Assert.True(root.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        Assert.Equal(0.6, root.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(0.95, root.GetProperty("top_p").GetDouble(), 3);
        Assert.Equal(42u, root.GetProperty("seed").GetUInt32());
        Assert.Equal(256, root.GetProperty("max_tokens").GetInt32());
        Assert.Equal(["system", "user"], root.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        Assert.Equal(new GenerationSettings(0.6f, 0.95f, 42, 0, 0, 0, 256), result.Settings);
        Assert.DoesNotContain(Key, sent.Body);
    }

    [Fact]
    public async Task Inline_think_tags_split_across_chunks_are_separated_without_leaking_tag_text()
    {
        _server.On(Chat, Sse([
            ContentDelta("<th"), ContentDelta("ink>\nAdd them"), ContentDelta(": 12.</th"), ContentDelta("ink>\n\nAnswer: "), ContentDelta("12"), Finish("stop"), "[DONE]",
        ]));
        using var model = await OpenAsync();
        var (tokens, result) = await RunAsync(model);

        Assert.Equal("Add them: 12.", result.Thinking);
        Assert.Equal("Answer: 12", result.Answer);
        Assert.Equal("12", result.FinalAnswer);
        Assert.True(result.ReasoningComplete);
        Assert.DoesNotContain(tokens, t => t.Text.Contains('<') || t.Text.Contains('>'));
        // No usage block: each chunk counts as a token.
        Assert.Equal(5, result.Timings.GeneratedTokens);
        Assert.Equal(result.Timings.GeneratedTokens, result.Timings.ThinkingTokens + result.Timings.AnswerTokens);
    }

    [Fact]
    public async Task A_chain_opened_by_the_servers_template_is_recognised_by_its_closing_tag()
    {
        // llama-server without reasoning extraction: the R1 template opened <think>, so only </think> is streamed.
        _server.On(Chat, Sse([ContentDelta("Add five and seven"), ContentDelta(" to get 12.</thi"), ContentDelta("nk>"), ContentDelta("\n\n\\boxed{12}"), Finish("stop"), "[DONE]"]));
        using var model = await OpenAsync();
        var (_, result) = await RunAsync(model);

        Assert.Equal("Add five and seven to get 12.", result.Thinking);
        Assert.Equal("\\boxed{12}", result.Answer);
        Assert.True(result.ReasoningComplete);
        // As in a local run, the piece that carries </think> counts towards the chain.
        Assert.Equal(3, result.Timings.ThinkingTokens);
        Assert.Equal(1, result.Timings.AnswerTokens);
    }

    [Fact]
    public async Task A_length_finish_inside_the_chain_reports_length_and_an_incomplete_chain()
    {
        _server.On(Chat, Sse([ReasoningDelta("Let me think about 5 and 7"), Finish("length"), Usage(14, 256, 256), "[DONE]"]));
        using var model = await OpenAsync();
        var (_, result) = await RunAsync(model);

        Assert.Equal(FinishReason.Length, result.FinishReason);
        Assert.False(result.ReasoningComplete);
        Assert.Equal("", result.Answer);
        Assert.Null(result.Timings.TimeToFirstAnswerTokenMs);
    }

    [Fact]
    public async Task A_model_without_a_chain_that_stops_by_itself_is_not_reported_as_cut()
    {
        _server.On(Chat, Sse([ContentDelta("Answer: 12"), Finish("stop"), "[DONE]"]));
        using var model = await OpenAsync();
        var (_, result) = await RunAsync(model);

        Assert.Equal("", result.Thinking);
        Assert.Equal("12", result.FinalAnswer);
        Assert.True(result.ReasoningComplete);
    }

    [Fact]
    public async Task A_rejected_key_names_the_variable_and_never_the_key_even_when_the_server_echoes_it()
    {
        _server.On("/v1/models", Json(401, $$$"""{"error":{"message":"Incorrect API key provided: {{{Key}}}","type":"invalid_request_error"}}"""));
        var e = await Assert.ThrowsAsync<RemoteModelException>(() => OpenAsync());

        Assert.Equal(RemoteErrorKind.KeyRejected, e.Kind);
        Assert.Contains(KeyVariable, e.Message);
        Assert.DoesNotContain(Key, e.ToString());
    }

    [Fact]
    public async Task A_server_that_wants_a_key_when_none_is_set_says_which_variable_to_set()
    {
        _server.On("/v1/models", Json(401, """{"error":{"message":"Authentication Fails, no api key"}}"""));
        var e = await Assert.ThrowsAsync<RemoteModelException>(() => RemoteModel.OpenAsync(OpenAi(_server, keyRequired: false), Options(key: null)));

        Assert.Equal(RemoteErrorKind.KeyRejected, e.Kind);
        Assert.Contains($"set the environment variable {KeyVariable}", e.Message);
        Assert.Null(_server.Requests.Single().Authorization);
    }

    [Fact]
    public async Task A_required_key_that_is_not_set_fails_before_any_request()
    {
        var e = await Assert.ThrowsAsync<RemoteModelException>(() => OpenAsync(Options(key: null)));

        Assert.Equal(RemoteErrorKind.MissingKey, e.Kind);
        Assert.Contains(KeyVariable, e.Message);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task A_429_with_retry_after_is_retried_and_then_succeeds()
    {
        _server.On(Chat,
            Json(429, """{"error":{"message":"Rate limit reached"}}""", ("Retry-After", "0")),
            Sse([ContentDelta("Answer: 12"), Finish("stop"), "[DONE]"]));
        using var model = await OpenAsync();
        var (_, result) = await RunAsync(model);

        Assert.Equal("12", result.FinalAnswer);
        Assert.Equal(2, _server.Count(Chat));
    }

    [Fact]
    public async Task A_429_that_persists_gives_up_after_the_bounded_retries()
    {
        _server.On(Chat, Json(429, """{"error":{"message":"Rate limit reached"}}""", ("Retry-After", "0")));
        using var model = await OpenAsync();
        var (_, e) = await FailAsync(model);

        Assert.Equal(RemoteErrorKind.RateLimited, e.Kind);
        Assert.Contains("after 2 retries", e.Message);
        Assert.Equal(3, _server.Count(Chat));
    }

    [Fact]
    public async Task A_retry_after_longer_than_allowed_fails_at_once_and_says_how_long()
    {
        _server.On(Chat, Json(429, "{}", ("Retry-After", "3600")));
        using var model = await OpenAsync();
        var (_, e) = await FailAsync(model);

        Assert.Equal(RemoteErrorKind.RateLimited, e.Kind);
        Assert.Equal(3600, e.RetryAfterSeconds);
        Assert.Contains("3600 s", e.Message);
        Assert.Equal(1, _server.Count(Chat));
    }

    [Fact]
    public async Task A_stream_cut_mid_way_fails_with_the_partial_reply_after_streaming_what_came()
    {
        _server.On(Chat, Sse([ReasoningDelta("Five plus seven "), ReasoningDelta("is twelve")], abort: true));
        using var model = await OpenAsync();
        var (tokens, e) = await FailAsync(model);

        Assert.Equal(RemoteErrorKind.StreamInterrupted, e.Kind);
        Assert.Equal("Five plus seven is twelve", Text(tokens, thinking: true));
        Assert.NotNull(e.Partial);
        Assert.Equal("Five plus seven is twelve", e.Partial!.Thinking);
        Assert.False(e.Partial.ReasoningComplete);
    }

    [Fact]
    public async Task A_connection_dropped_below_http_is_an_interrupted_stream_with_the_partial_reply()
    {
        var events = $"data: {ReasoningDelta("Five plus seven")}\n\n";
        using var dropping = new DroppingServer(line => line.StartsWith("GET", StringComparison.Ordinal)
            ? "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"
            : $"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n{events}");
        var reference = new RemoteModelReference(RemoteApiKind.OpenAi, new Uri(dropping.Url, "v1"), "m", KeyVariable, false, "m@dropping");
        using var model = await RemoteModel.OpenAsync(reference, Options());
        var (tokens, e) = await FailAsync(model);

        Assert.Equal(RemoteErrorKind.StreamInterrupted, e.Kind);
        Assert.Contains("dropped in the middle of its reply", e.Message);
        Assert.Equal("Five plus seven", Text(tokens, thinking: true));
        Assert.Equal("Five plus seven", e.Partial!.Thinking);
    }

    [Fact]
    public async Task A_server_that_never_answers_times_out_when_opened()
    {
        _server.On("/v1/models", async context =>
        {
            await Task.Delay(5000);
            context.Response.Close();
        });
        var e = await Assert.ThrowsAsync<RemoteModelException>(() => OpenAsync(Options() with { ResponseTimeout = TimeSpan.FromMilliseconds(300) }));

        Assert.Equal(RemoteErrorKind.Timeout, e.Kind);
        Assert.Contains("did not answer", e.Message);
    }

    [Fact]
    public async Task A_stream_that_ends_cleanly_but_without_a_finish_is_reported_incomplete()
    {
        _server.On(Chat, Sse([ReasoningDelta("Five plus seven")]));
        using var model = await OpenAsync();
        var (_, e) = await FailAsync(model);

        Assert.Equal(RemoteErrorKind.StreamInterrupted, e.Kind);
        Assert.Contains("before saying it had finished", e.Message);
    }

    [Fact]
    public async Task Invalid_json_in_the_stream_is_a_malformed_response()
    {
        _server.On(Chat, Sse([ReasoningDelta("fine so far"), "{\"choices\": [ {\"delta\": "]));
        using var model = await OpenAsync();
        var (_, e) = await FailAsync(model);

        Assert.Equal(RemoteErrorKind.MalformedResponse, e.Kind);
        Assert.Contains("not valid JSON", e.Message);
        Assert.Equal("fine so far", e.Partial!.Thinking);
    }

    [Fact]
    public async Task An_error_object_inside_the_stream_is_a_server_error_with_its_message()
    {
        _server.On(Chat, Sse([ReasoningDelta("a"), """{"error":{"message":"Model overloaded"}}"""]));
        using var model = await OpenAsync();
        var (_, e) = await FailAsync(model);

        Assert.Equal(RemoteErrorKind.ServerError, e.Kind);
        Assert.Contains("Model overloaded", e.Message);
    }

    [Fact]
    public async Task A_server_error_status_carries_the_servers_words()
    {
        _server.On(Chat, Json(500, """{"error":{"message":"internal failure 77"}}"""));
        using var model = await OpenAsync();
        var (_, e) = await FailAsync(model);

        Assert.Equal(RemoteErrorKind.ServerError, e.Kind);
        Assert.Contains("HTTP 500", e.Message);
        Assert.Contains("internal failure 77", e.Message);
    }

    [Fact]
    public async Task A_host_that_refuses_connections_is_unreachable()
    {
        var closed = new LoopbackServer();
        var url = closed.Url;
        closed.Dispose();
        var reference = new RemoteModelReference(RemoteApiKind.OpenAi, new Uri(url, "v1"), "m", KeyVariable, false, "m@closed");

        var e = await Assert.ThrowsAsync<RemoteModelException>(() => RemoteModel.OpenAsync(reference, Options()));

        Assert.Equal(RemoteErrorKind.Unreachable, e.Kind);
        Assert.Contains(url.Authority, e.Message);
    }

    [Fact]
    public async Task Silence_longer_than_the_idle_timeout_is_a_timeout()
    {
        _server.On(Chat, Sse([ReasoningDelta("thinking")], stallMs: 3000));
        using var model = await OpenAsync(Options() with { IdleTimeout = TimeSpan.FromMilliseconds(200) });
        var (_, e) = await FailAsync(model);

        Assert.Equal(RemoteErrorKind.Timeout, e.Kind);
    }

    [Fact]
    public async Task Cancelling_ends_the_stream_with_a_cancelled_result()
    {
        _server.On(Chat, Sse([ReasoningDelta("first thought")], stallMs: 3000));
        using var model = await OpenAsync();
        using var cts = new CancellationTokenSource();
        ReasonResult? result = null;
        await foreach (var update in model.StreamAsync(Question, cts.Token))
        {
            if (update.Kind == ReasonUpdateKind.Token) cts.Cancel();
            if (update.Kind == ReasonUpdateKind.Completed) result = update.Result;
        }

        Assert.Equal(FinishReason.Cancelled, result!.FinishReason);
        Assert.Equal("first thought", result.Thinking);
    }

    [Fact]
    public async Task An_empty_prompt_is_refused_before_any_request()
    {
        using var model = await OpenAsync();
        await Assert.ThrowsAsync<ReasonTools.Core.ReasonFailure>(async () => await RunAsync(model, new ReasonRequest { Prompt = " " }));
        Assert.Equal(0, _server.Count(Chat));
    }
}
