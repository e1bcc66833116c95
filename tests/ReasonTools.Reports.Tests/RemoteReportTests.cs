using System.Net;
using System.Net.Sockets;
using System.Text;
using ReasonTools.Core;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Remote;
using ReasonTools.Reports;

namespace ReasonTools.Reports.Tests;

/// <summary>
/// A comparison with remote endpoints (one answering, one rejecting the key and echoing it back, as some APIs do)
/// rendered to HTML and JSON: the key appears in neither.
/// </summary>
public sealed class RemoteReportTests : IDisposable
{
    private const string Key = "sk-report-3b9d1f7e55c2a8e0secret";
    private readonly string _keyVariable = "REASONTOOLS_REPORT_KEY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private readonly string _settingsPath = Path.Combine(Path.GetTempPath(), $"reasontools-report-settings-{Guid.NewGuid():N}.json");
    private readonly string? _previousSettings = Environment.GetEnvironmentVariable(RemoteSettings.PathVariable);
    private readonly HttpListener _listener = new();
    private readonly Uri _url;

    public RemoteReportTests()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        _url = new Uri($"http://127.0.0.1:{port}/");
        _listener.Prefixes.Add(_url.ToString());
        _listener.Start();
        _ = Task.Run(ServeAsync);
        File.WriteAllText(_settingsPath, $$"""
            { "endpoints": {
                "good-api": { "kind": "openai", "url": "{{_url}}good/v1", "model": "deepseek-reasoner", "apiKeyVariable": "{{_keyVariable}}" },
                "bad-key-api": { "kind": "openai", "url": "{{_url}}bad/v1", "model": "deepseek-reasoner", "apiKeyVariable": "{{_keyVariable}}" }
            } }
            """);
        Environment.SetEnvironmentVariable(RemoteSettings.PathVariable, _settingsPath);
        Environment.SetEnvironmentVariable(_keyVariable, Key);
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception)
            {
                return;
            }
            var path = context.Request.Url!.AbsolutePath;
            var (status, type, body) = path switch
            {
                "/bad/v1/models" => (401, "application/json", $$$"""{"error":{"message":"Incorrect API key provided: {{{Key}}}"}}"""),
                "/good/v1/models" => (200, "application/json", "{}"),
                "/good/v1/chat/completions" => (200, "text/event-stream",
                    "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"7 x 6 = 42.\"}}]}\n\n" +
                    "data: {\"choices\":[{\"delta\":{\"content\":\"\\\\boxed{42}\"}}]}\n\n" +
                    "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n" +
                    "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":8}}\n\ndata: [DONE]\n\n"),
                _ => (404, "application/json", "{}"),
            };
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.StatusCode = status;
            context.Response.ContentType = type;
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(RemoteSettings.PathVariable, _previousSettings);
        Environment.SetEnvironmentVariable(_keyVariable, null);
        File.Delete(_settingsPath);
        _listener.Close();
    }

    [Fact]
    public async Task A_remote_comparison_report_names_the_key_variable_but_never_holds_the_key()
    {
        var set = new PromptSet("times", [new PromptSetItem("product", "What is 7 x 6?", "42", Core.Reasoning.Grading.GraderKind.Number)]);
        ComparisonResult? comparison = null;
        await foreach (var u in ComparisonRunner.RunAsync(new ComparisonRequest { Models = ["good-api", "bad-key-api"], PromptSet = set }))
            if (u.Kind == ComparisonUpdateKind.Completed) comparison = u.Result;

        Assert.Equal(2, comparison!.Rows.Count);
        Assert.True(comparison.Rows[0].Correct);
        Assert.Contains(_keyVariable, comparison.Summary[1].NotRunReason);

        var html = HtmlReport.Document(comparison);
        Assert.Contains("good-api", html);
        Assert.Contains(_keyVariable, html);
        Assert.DoesNotContain(Key, html);
        Assert.DoesNotContain(Key, ReasonJson.Serialize(comparison));
        Assert.DoesNotContain(Key, ReasonJson.Serialize(comparison.Rows[0].Result));
    }
}
