using ReasonTools.Core.Remote;
using static ReasonTools.Core.Tests.Remote.LoopbackServer;
using static ReasonTools.Core.Tests.Remote.RemoteFixtures;

namespace ReasonTools.Core.Tests.Remote;

public sealed class SecretRedactionTests : IDisposable
{
    private readonly LoopbackServer _server = new LoopbackServer().On("/v1/models", Json(200, """{"data":[{"id":"deepseek-reasoner"}]}"""));

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task A_key_straddling_the_300_character_cut_of_a_plain_text_error_body_never_shows()
    {
        _server.On("/v1/chat/completions", Json(400, new string('x', 290) + " " + Key + " was refused by the gateway"));
        using var model = await RemoteModel.OpenAsync(OpenAi(_server), Options());
        var e = await Assert.ThrowsAsync<RemoteModelException>(() => RunAsync(model));

        Assert.DoesNotContain(Key[..6], e.ToString());
    }

    [Fact]
    public void A_tail_that_starts_the_key_is_removed_and_ordinary_text_is_kept()
    {
        Assert.Equal("body: [key removed]", SecretRedaction.Redact("body: " + Key[..10], Key));
        Assert.Equal("a [key removed] b [key removed]", SecretRedaction.Redact($"a {Key} b {Key}", Key));
        Assert.Equal("ends in sk", SecretRedaction.Redact("ends in sk", Key));
        Assert.Equal("no secret", SecretRedaction.Redact("no secret", null));
        Assert.Equal(new string('y', 8) + "[k…", SecretRedaction.RedactAndShorten(new string('y', 8) + Key, Key, 10));
    }
}
