using ReasonTools.Core.Comparison;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Reasoning.Grading;
using ReasonTools.Core.Tests.Inference;
using ReasonTools.Testing;
using static ReasonTools.Core.Tests.Remote.LoopbackServer;
using static ReasonTools.Core.Tests.Remote.RemoteFixtures;

namespace ReasonTools.Core.Tests.Remote;

/// <summary>
/// A local synthetic model and loopback "remote" models side by side, opened the way the fronts open them
/// (ModelOpener, named endpoints from a settings file, the key from the environment).
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class RemoteComparisonTests : IDisposable
{
    private const string Chat = "/v1/chat/completions";
    private readonly string _keyVariable = "REASONTOOLS_TEST_KEY_" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
    private readonly string _settingsPath = Path.Combine(Path.GetTempPath(), $"reasontools-settings-{Guid.NewGuid():N}.json");
    private readonly string? _previousSettings = Environment.GetEnvironmentVariable(ReasonTools.Core.Remote.RemoteSettings.PathVariable);
    private readonly LoopbackServer _good = new LoopbackServer().On("/v1/models", Json(200, "{}"));
    private readonly LoopbackServer _rejecting = new LoopbackServer()
        .On("/v1/models", Json(401, $$$"""{"error":{"message":"Incorrect API key provided: {{{Key}}}"}}"""));
    private readonly LoopbackServer _cutting = new LoopbackServer().On("/v1/models", Json(200, "{}"));

    private static readonly PromptSet Chickens = new("farm", [
        new PromptSetItem("chickens", SyntheticModels.Get(ScriptKind.ChickensRight).Question, "12 chickens, 13 rabbits", GraderKind.Text),
    ]);

    public RemoteComparisonTests()
    {
        File.WriteAllText(_settingsPath, $$"""
            { "endpoints": {
                "loopback-r1": { "kind": "openai", "url": "{{_good.Url}}v1", "model": "deepseek-reasoner", "apiKeyVariable": "{{_keyVariable}}" },
                "loopback-rejecting": { "kind": "openai", "url": "{{_rejecting.Url}}v1", "model": "deepseek-reasoner", "apiKeyVariable": "{{_keyVariable}}" },
                "loopback-cut": { "kind": "openai", "url": "{{_cutting.Url}}v1", "model": "deepseek-reasoner", "apiKeyVariable": "{{_keyVariable}}" }
            } }
            """);
        Environment.SetEnvironmentVariable(ReasonTools.Core.Remote.RemoteSettings.PathVariable, _settingsPath);
        Environment.SetEnvironmentVariable(_keyVariable, Key);
        _good.On(Chat, Sse([
            ReasoningDelta("Let x chickens and y rabbits: x + y = 25, 2x + 4y = 74."), ReasoningDelta(" So y = 12... no, y = 13, x = 12."),
            ContentDelta("\\boxed{12 chickens, 13 rabbits}"), Finish("stop"), Usage(40, 60, 45), "[DONE]",
        ]));
        _cutting.On(Chat, Sse([ReasoningDelta("Let x chickens")], abort: true));
    }

    public void Dispose()
    {
        Environment.SetEnvironmentVariable(ReasonTools.Core.Remote.RemoteSettings.PathVariable, _previousSettings);
        Environment.SetEnvironmentVariable(_keyVariable, null);
        File.Delete(_settingsPath);
        _good.Dispose();
        _rejecting.Dispose();
        _cutting.Dispose();
    }

    private static async Task<(ComparisonResult Result, List<ComparisonUpdate> Updates)> CompareAsync(params string[] models)
    {
        var updates = new List<ComparisonUpdate>();
        await foreach (var u in ComparisonRunner.RunAsync(new ComparisonRequest
                       {
                           Models = models, PromptSet = Chickens,
                           Engine = new EngineOptions { ContextSize = 512, Threads = 1 },
                           Sampling = new ReasonRequest { Seed = 3 },
                       }))
            updates.Add(u);
        return (updates[^1].Result!, updates);
    }

    [Fact]
    public async Task A_local_and_a_remote_model_give_two_graded_rows_and_a_summary_without_the_key_anywhere()
    {
        var (result, updates) = await CompareAsync(SyntheticModels.GetFile(ScriptKind.ChickensRight), "loopback-r1");

        Assert.Equal(2, result.Rows.Count);
        var remote = result.Rows[1];
        Assert.Equal("loopback-r1", remote.Model);
        Assert.True(remote.Correct);
        Assert.Equal("12 chickens, 13 rabbits", remote.FinalAnswer);
        Assert.Equal(45, remote.ThinkingTokens);
        Assert.Equal(15, remote.AnswerTokens);
        Assert.Equal(FinishReason.Stop, remote.FinishReason);
        Assert.True(result.Rows[0].Correct);
        Assert.Equal(2, result.Summary.Count);
        Assert.All(result.Summary, s => Assert.Equal(1.0, s.Accuracy));
        Assert.Contains(updates, u => u.Kind == ComparisonUpdateKind.Generation && u.Model == "loopback-r1" && u.Generation!.IsThinking);
        Assert.Equal($"Bearer {Key}", _good.Requests.First(r => r.Path == Chat).Authorization);

        AssertNoKey(result, updates);
    }

    [Fact]
    public async Task A_remote_model_that_fails_becomes_rows_with_the_reason_and_the_local_rows_still_run()
    {
        var (result, updates) = await CompareAsync("loopback-rejecting", "loopback-cut", SyntheticModels.GetFile(ScriptKind.ChickensRight));

        Assert.Equal(3, result.Rows.Count);
        var rejected = result.Rows[0];
        Assert.Equal("loopback-rejecting", rejected.Model);
        Assert.Null(rejected.FinishReason);
        // A model that never ran says why once, in its summary.
        Assert.Contains($"rejected the API key in the environment variable {_keyVariable}", result.Summary.Single(s => s.Model == "loopback-rejecting").NotRunReason);
        var cut = result.Rows[1];
        Assert.Equal("loopback-cut", cut.Model);
        Assert.Null(cut.FinishReason);
        Assert.StartsWith("model failed: ", cut.Note);
        Assert.Contains("the reply is incomplete", cut.Note);
        Assert.True(result.Rows[2].Correct);
        // The endpoint that refused the key never ran: no accuracy, rather than 0 %.
        Assert.Equal([null, 0.0, 1.0], result.Summary.Select(s => s.Accuracy));

        AssertNoKey(result, updates);
    }

    [Fact]
    public async Task Run_opens_a_remote_reference_through_the_same_service_as_a_local_one()
    {
        var result = await ReasonService.RunAsync(new ReasonInvocation { Model = "loopback-r1", Question = "Chickens and rabbits?" });

        Assert.Equal("loopback-r1", result.Model.Name);
        Assert.Equal($"openai:{_good.Url}v1#deepseek-reasoner", result.Model.Path);
        Assert.Equal("12 chickens, 13 rabbits", result.FinalAnswer);
        Assert.Null(ModelOpener.ChatTemplate("loopback-r1"));
        Assert.DoesNotContain(Key, ReasonJson.Serialize(result));
    }

    private static void AssertNoKey(ComparisonResult result, List<ComparisonUpdate> updates)
    {
        Assert.DoesNotContain(Key, ReasonJson.Serialize(result));
        Assert.All(result.Rows.Where(r => r.Result is not null), r => Assert.DoesNotContain(Key, ReasonJson.Serialize(r.Result)));
        Assert.All(updates, u => Assert.DoesNotContain(Key, u.ToString()));
    }
}
