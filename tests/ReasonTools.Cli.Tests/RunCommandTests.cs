using System.Text.Json;
using ReasonTools.Testing;

namespace ReasonTools.Cli.Tests;

public sealed class RunCommandTests
{
    private static string Model(ScriptKind kind) => SyntheticModels.GetFile(kind);

    [Fact]
    public async Task Json_output_is_one_ReasonResult_with_every_contract_field_filled()
    {
        var run = await InProcessReason.RunAsync($"run --model \"{Model(ScriptKind.ClosedChain)}\" --prompt \"What is 2 + 3?\" --json --threads 1 --seed 7");

        Assert.True(run.ExitCode == 0, run.Stderr);
        using var json = JsonDocument.Parse(run.Stdout);
        var root = json.RootElement;
        foreach (var field in new[] { "model", "prompt", "thinking", "answer", "finalAnswer", "steps", "finishReason", "reasoningComplete", "timings", "settings" })
            Assert.True(root.TryGetProperty(field, out var value) && value.ValueKind != JsonValueKind.Null, $"{field} missing or null");
        foreach (var field in new[] { "name", "path", "architecture", "parameters", "quantization", "fileSizeBytes" })
            Assert.NotEqual(JsonValueKind.Null, root.GetProperty("model").GetProperty(field).ValueKind);
        foreach (var field in new[] { "loadMs", "promptTokens", "promptMs", "promptTokensPerSecond", "generatedTokens", "thinkingTokens", "answerTokens",
                     "generationMs", "tokensPerSecond", "timeToFirstTokenMs", "timeToFirstAnswerTokenMs", "totalMs" })
            Assert.Equal(JsonValueKind.Number, root.GetProperty("timings").GetProperty(field).ValueKind);
        foreach (var field in new[] { "temperature", "topP", "seed", "contextSize", "threads", "gpuLayers", "maxTokens" })
            Assert.Equal(JsonValueKind.Number, root.GetProperty("settings").GetProperty(field).ValueKind);
        Assert.Equal("5", root.GetProperty("finalAnswer").GetString());
        Assert.Equal("stop", root.GetProperty("finishReason").GetString());
        Assert.Equal(7, root.GetProperty("settings").GetProperty("seed").GetInt32());
    }

    [Fact]
    public void A_draft_at_temperature_0_gives_the_text_of_a_run_without_and_the_json_carries_the_draft_counts()
    {
        var model = Model(ScriptKind.ClosedChain);
        var draft = SyntheticModels.GetDraftFile(ScriptKind.ClosedChain, 0);

        var plain = ReasonCli.Run($"run --model \"{model}\" --prompt \"What is 2 + 3?\" --temperature 0 --draft none --json --threads 1");
        var drafted = ReasonCli.Run($"run --model \"{model}\" --prompt \"What is 2 + 3?\" --temperature 0 --draft \"{draft}\" --json --threads 1");

        Assert.True(plain.ExitCode == 0, plain.Stderr);
        Assert.True(drafted.ExitCode == 0, drafted.Stderr);
        using var without = JsonDocument.Parse(plain.Stdout);
        using var with = JsonDocument.Parse(drafted.Stdout);
        Assert.Equal(without.RootElement.GetProperty("thinking").GetString(), with.RootElement.GetProperty("thinking").GetString());
        Assert.Equal(without.RootElement.GetProperty("answer").GetString(), with.RootElement.GetProperty("answer").GetString());
        var timings = with.RootElement.GetProperty("timings");
        Assert.StartsWith("ReasonTools Synthetic R1", timings.GetProperty("draftModel").GetString());
        var proposed = timings.GetProperty("draftedTokens").GetInt32();
        Assert.True(proposed > 0);
        // This draft follows the model's own script, so every proposal is kept.
        Assert.Equal(proposed, timings.GetProperty("acceptedDraftTokens").GetInt32());
        Assert.False(without.RootElement.GetProperty("timings").TryGetProperty("draftModel", out var none) && none.ValueKind != JsonValueKind.Null);
    }

    [Fact]
    public async Task Streaming_puts_the_answer_on_stdout_and_the_chain_and_timings_on_stderr()
    {
        var run = await InProcessReason.RunAsync($"run --model \"{Model(ScriptKind.ClosedChain)}\" --prompt \"What is 2 + 3?\" --threads 1");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal("The answer is \\boxed{5}.", run.Stdout.Trim());
        Assert.Contains("Two plus three makes five", run.Stderr);
        Assert.Contains("[stop] 27 thinking + 7 answer tokens", run.Stderr);
        // Beside the raw answer, the final answer in plain words, on stderr so the answer alone goes to a redirect.
        Assert.Contains("\nFinal answer: 5\n[stop] ", run.Stderr.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Piped_input_is_appended_to_the_prompt()
    {
        var run = ReasonCli.Run($"run --model \"{Model(ScriptKind.ClosedChain)}\" --prompt \"Why did this fail?\" --show-prompt", stdin: "ERROR disk full\n");

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("<｜User｜>Why did this fail?\n\ninput:\n```\nERROR disk full\n```<｜Assistant｜><think>", run.Stdout);
    }

    [Fact]
    public async Task A_piped_log_is_reduced_into_a_root_cause_prompt()
    {
        var log = string.Concat(Enumerable.Range(1, 2000).Select(i => $"2026-11-25 10:00:00,{i % 1000:000} INFO  [main] Request {i} served in {i % 90} ms\n"))
                  + "2026-11-25 10:00:01,000 ERROR [db] java.sql.SQLException: Connection refused\n\tat org.pg.Driver.connect(Driver.java:42)\n";
        var run = await InProcessReason.RunAsync($"run --model \"{Model(ScriptKind.ClosedChain)}\" --task logs --show-prompt", stdin: log);

        Assert.True(run.ExitCode == 0, run.Stderr);
        Assert.Contains("java.sql.SQLException: Connection refused", run.Stdout);
        Assert.Contains("Driver.java:42", run.Stdout);
        Assert.Contains("2000", run.Stdout); // the repeated request line is counted, not repeated
        Assert.True(run.Stdout.Length < log.Length / 4, $"prompt of {run.Stdout.Length} characters for a log of {log.Length}");
    }

    [Fact]
    public void A_missing_model_exits_2_with_one_clear_line()
    {
        var run = ReasonCli.Run("run --model /nowhere/model.gguf --prompt hi");
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("reason: Model file not found: /nowhere/model.gguf", run.Stderr.Trim());
    }

    [Fact]
    public async Task A_file_that_is_not_a_GGUF_exits_1()
    {
        var path = Path.GetTempFileName();
        File.WriteAllText(path, "hello");
        try
        {
            var run = await InProcessReason.RunAsync($"run --model \"{path}\" --prompt hi");
            Assert.Equal(1, run.ExitCode);
            Assert.StartsWith("reason: not a valid GGUF model:", run.Stderr.Trim());
            Assert.Single(run.Stderr.Trim().Split('\n'));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--prompt \"   \"", "The prompt is empty")]
    [InlineData("", "The prompt is empty")]
    public async Task An_empty_prompt_exits_1(string promptArgs, string message)
    {
        var run = await InProcessReason.RunAsync($"run --model \"{Model(ScriptKind.ClosedChain)}\" {promptArgs}");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains(message, run.Stderr);
    }

    [Fact]
    public void Without_a_model_and_none_found_locally_it_exits_2_and_says_what_to_pull()
    {
        var home = Directory.CreateTempSubdirectory("reason-emptyhome-");
        try
        {
            var run = ReasonCli.Run("run --prompt hi", environment: new Dictionary<string, string?>
            {
                ["HOME"] = home.FullName, ["XDG_DATA_HOME"] = null, ["XDG_CONFIG_HOME"] = null, ["REASONTOOLS_MODELS"] = null,
                ["REASONTOOLS_SETTINGS"] = null, ["OLLAMA_MODELS"] = null, ["HF_HOME"] = null, ["HF_HUB_CACHE"] = null,
            });
            Assert.Equal(2, run.ExitCode);
            Assert.Contains("reason pull", run.Stderr);
        }
        finally
        {
            home.Delete(true);
        }
    }

    [Fact]
    public async Task A_bad_gpu_layers_value_exits_1()
    {
        var run = await InProcessReason.RunAsync($"run --model \"{Model(ScriptKind.ClosedChain)}\" --prompt hi --gpu-layers many");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--gpu-layers", run.Stderr);
    }

    [Fact]
    public async Task A_chain_cut_by_max_tokens_reports_length()
    {
        var run = await InProcessReason.RunAsync($"run --model \"{Model(ScriptKind.NeverCloses)}\" --prompt \"List every case.\" --max-tokens 10 --json --threads 1");
        Assert.Equal(0, run.ExitCode);
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("length", json.RootElement.GetProperty("finishReason").GetString());
        Assert.False(json.RootElement.GetProperty("reasoningComplete").GetBoolean());
        Assert.Equal(10, json.RootElement.GetProperty("timings").GetProperty("generatedTokens").GetInt32());
    }

    [Fact]
    public void Without_the_native_library_the_error_names_every_folder_tried_and_the_fetch_command()
    {
        // A copy of the program without its runtimes folder, and an empty download cache.
        var app = Directory.CreateTempSubdirectory("reason-nolib-");
        var cache = Directory.CreateTempSubdirectory("reason-nocache-");
        try
        {
            foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory))
                File.Copy(file, Path.Combine(app.FullName, Path.GetFileName(file)));
            var run = ReasonCli.Run($"run --model \"{Model(ScriptKind.ClosedChain)}\" --prompt hi", environment: new Dictionary<string, string?>
            {
                ["REASONTOOLS_NATIVE_CACHE"] = cache.FullName,
                ["REASONTOOLS_LLAMA_PATH"] = null,
            }, dll: Path.Combine(app.FullName, "reason.dll"));

            Assert.Equal(3, run.ExitCode);
            Assert.Contains("libllama) was not found. Looked in:", run.Stderr);
            Assert.Contains(Path.Combine(app.FullName, "runtimes", "linux-x64", "native"), run.Stderr);
            Assert.Contains(cache.FullName, run.Stderr);
            Assert.Contains("build/fetch-llama.ps1", run.Stderr);
            Assert.Contains("REASONTOOLS_LLAMA_PATH", run.Stderr);
        }
        finally
        {
            app.Delete(true);
            cache.Delete(true);
        }
    }
}
