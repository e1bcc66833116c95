using ReasonTools.Core.Remote;

namespace ReasonTools.Core.Tests.Remote;

public sealed class RemoteModelReferenceTests
{
    private static readonly RemoteSettings Settings = RemoteSettings.Parse("""
        {
          // comments are allowed
          "endpoints": {
            "deepseek-r1-api": { "kind": "openai", "url": "https://api.deepseek.com/v1", "model": "deepseek-reasoner", "apiKeyVariable": "DEEPSEEK_API_KEY" },
            "home-ollama": { "kind": "ollama", "url": "http://gpu-box:11434", "model": "deepseek-r1:32b" }
          },
          "other": 1
        }
        """);

    private static RemoteModelReference Parse(string reference, RemoteSettings? settings = null)
    {
        Assert.True(RemoteModelReference.TryParse(reference, settings ?? Settings, out var remote));
        return remote!;
    }

    [Fact]
    public void The_openai_form_names_url_and_model_and_reads_the_deepseek_key_for_deepseek()
    {
        var r = Parse("openai:https://api.deepseek.com/v1#deepseek-reasoner");
        Assert.Equal(RemoteApiKind.OpenAi, r.Kind);
        Assert.Equal("https://api.deepseek.com/v1", r.BaseUrl.ToString());
        Assert.Equal("deepseek-reasoner", r.Model);
        Assert.Equal("DEEPSEEK_API_KEY", r.ApiKeyVariable);
        Assert.False(r.KeyRequired);
        Assert.Equal("deepseek-reasoner@api.deepseek.com", r.Label);
        Assert.Equal("openai:https://api.deepseek.com/v1#deepseek-reasoner", r.Display);
        Assert.Equal("OPENAI_API_KEY", Parse("OpenAI:https://api.openai.com/v1#gpt-4").ApiKeyVariable);
    }

    [Fact]
    public void The_ollama_form_keeps_the_colon_of_the_tag()
    {
        var r = Parse("ollama:http://localhost:11434#deepseek-r1:7b");
        Assert.Equal(RemoteApiKind.Ollama, r.Kind);
        Assert.Equal("deepseek-r1:7b", r.Model);
        Assert.Equal("deepseek-r1:7b@localhost", r.Label);
    }

    [Fact]
    public void A_named_endpoint_comes_from_the_settings_and_requires_its_key_variable()
    {
        var r = Parse("deepseek-r1-api");
        Assert.Equal(RemoteApiKind.OpenAi, r.Kind);
        Assert.Equal("deepseek-reasoner", r.Model);
        Assert.Equal("DEEPSEEK_API_KEY", r.ApiKeyVariable);
        Assert.True(r.KeyRequired);
        Assert.Equal("deepseek-r1-api", r.Label);

        var ollama = Parse("HOME-OLLAMA");
        Assert.Equal(RemoteApiKind.Ollama, ollama.Kind);
        Assert.False(ollama.KeyRequired);
    }

    [Theory]
    [InlineData("models/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf")]
    [InlineData("deepseek-r1:7b")]
    [InlineData("7b")]
    [InlineData("unknown-endpoint")]
    [InlineData("")]
    public void Local_references_are_not_remote(string reference) =>
        Assert.False(RemoteModelReference.TryParse(reference, Settings, out _));

    [Theory]
    [InlineData("openai:https://api.deepseek.com/v1", "after '#'")]
    [InlineData("openai:https://api.deepseek.com/v1#", "after '#'")]
    [InlineData("ollama:localhost:11434#deepseek-r1:7b", "http(s) URL")]
    [InlineData("openai:ftp://host/v1#m", "http(s) URL")]
    [InlineData("openai:https://user:sk-secret@api.example.com/v1#m", "environment variable")]
    public void Malformed_remote_forms_say_what_to_write(string reference, string advice)
    {
        var e = Assert.Throws<RemoteModelException>(() => RemoteModelReference.TryParse(reference, Settings, out _));
        Assert.Equal(RemoteErrorKind.InvalidReference, e.Kind);
        Assert.Contains(advice, e.Message);
        Assert.DoesNotContain("sk-secret", e.Message);
    }

    [Theory]
    [InlineData("""{"endpoints":{"x":{"kind":"grpc","url":"http://h","model":"m"}}}""", "kind")]
    [InlineData("""{"endpoints":{"x":{"kind":"openai","url":"http://h"}}}""", "no \"model\"")]
    [InlineData("""{"endpoints":{"x":{"kind":"openai","url":"http://h","model":"m","apiKeyVariable":"sk-abc123 secret"}}}""", "not an environment variable name")]
    public void Bad_settings_entries_are_refused_with_the_reason(string json, string reason)
    {
        var e = Assert.Throws<RemoteModelException>(() => RemoteModelReference.TryParse("x", RemoteSettings.Parse(json), out _));
        Assert.Equal(RemoteErrorKind.InvalidReference, e.Kind);
        Assert.Contains(reason, e.Message);
        Assert.DoesNotContain("sk-abc123", e.Message);
    }

    [Fact]
    public void A_settings_file_that_is_not_json_names_the_line_but_not_its_content()
    {
        var e = Assert.Throws<RemoteModelException>(() => RemoteSettings.Parse("{\n \"endpoints\": { sk-live-123 }", "/home/u/.config/reasontools/settings.json"));
        Assert.Equal(RemoteErrorKind.InvalidReference, e.Kind);
        Assert.Contains("line 2", e.Message);
        Assert.DoesNotContain("sk-live-123", e.Message);
    }

    [Fact]
    public void Settings_are_found_through_the_override_variable_then_xdg_then_home()
    {
        Assert.Equal("/tmp/s.json", RemoteSettings.DefaultPath(n => n == RemoteSettings.PathVariable ? "/tmp/s.json" : null));
        Assert.Equal("/xdg/reasontools/settings.json", RemoteSettings.DefaultPath(n => n == "XDG_CONFIG_HOME" ? "/xdg" : null));
        Assert.EndsWith(Path.Combine(".config", "reasontools", "settings.json"), RemoteSettings.DefaultPath(_ => null));
        Assert.Empty(RemoteSettings.Load(Path.Combine(Path.GetTempPath(), Guid.NewGuid() + ".json")).Endpoints);
    }
}
