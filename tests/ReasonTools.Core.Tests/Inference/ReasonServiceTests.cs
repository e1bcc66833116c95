using System.Text;
using ReasonTools.Core.Inference;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Inference;

[Collection(EngineCollection.Name)]
public sealed class ReasonServiceTests
{
    private static string Model => SyntheticModels.GetFile(ScriptKind.ClosedChain);

    private static string NoisyLog(int noise, string planted)
    {
        var log = new StringBuilder();
        for (var i = 1; i <= noise; i++)
            log.Append("2026-11-25T10:00:").Append((i % 60).ToString("00")).Append("Z INFO worker heartbeat ").Append(i).Append(" ok\n");
        log.Append("2026-11-25T10:01:00Z WARN pool nearly exhausted\n");
        log.Append(planted).Append('\n');
        return log.ToString();
    }

    [Fact]
    public async Task A_general_run_streams_load_progress_then_the_answer()
    {
        var kinds = new List<ReasonUpdateKind>();
        ReasonResult? result = null;
        await foreach (var u in ReasonService.StreamAsync(new ReasonInvocation
                       {
                           Model = Model, Question = "What is 2 + 3?",
                           Engine = new EngineOptions { ContextSize = 512, Threads = 1 }, KeepAlive = TimeSpan.Zero,
                       }))
        {
            kinds.Add(u.Kind);
            if (u.Kind == ReasonUpdateKind.Completed) result = u.Result;
        }
        Assert.Equal(ReasonUpdateKind.LoadProgress, kinds[0]);
        Assert.True(kinds.IndexOf(ReasonUpdateKind.PromptProgress) > kinds.LastIndexOf(ReasonUpdateKind.LoadProgress));
        Assert.Equal("5", result!.FinalAnswer);
        Assert.Equal(0, ReasonEngine.LiveContexts);
    }

    [Fact]
    public async Task An_empty_prompt_is_refused_before_the_model_is_loaded()
    {
        var e = await Assert.ThrowsAsync<ReasonTools.Core.ReasonFailure>(async () =>
        {
            await foreach (var _ in ReasonService.StreamAsync(new ReasonInvocation { Model = "/does/not/matter.gguf", Question = " " })) { }
        });
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public async Task The_log_prompt_preview_holds_the_planted_error_and_what_preceded_it()
    {
        var planted = "2026-11-25T10:01:01Z ERROR OrderService: System.InvalidOperationException: connection pool exhausted";
        var preview = await ReasonService.PreviewPromptAsync(new ReasonInvocation
        {
            Model = Model, Question = "Why do orders fail?", Task = ReasonTask.LogAnalysis,
            Documents = [new PromptDocument("app.log", NoisyLog(5000, planted))],
        });

        Assert.Contains("connection pool exhausted", preview);
        Assert.Contains("pool nearly exhausted", preview);
        Assert.Contains("Why do orders fail?", preview);
        Assert.EndsWith("<｜Assistant｜><think>\n", preview);
    }

    [Fact]
    public async Task A_log_too_long_for_the_context_is_analysed_in_parts_then_reduced()
    {
        var log = new StringBuilder();
        for (var i = 0; i < 60; i++)
            log.Append("2026-11-25T10:00:").Append(i.ToString("00")).Append("Z ERROR Service").Append(i)
               .Append(": distinct failure number ").Append(i).Append(" in module ").Append((char)('a' + i % 26)).Append(i * 7919).Append('\n');
        var stages = new List<string>();
        ReasonResult? result = null;
        await foreach (var u in ReasonService.StreamAsync(new ReasonInvocation
                       {
                           Model = Model, Task = ReasonTask.LogAnalysis,
                           Documents = [new PromptDocument("big.log", log.ToString())],
                           // The synthetic tokenizer spends a token per byte: 2048 holds the instructions, not the 40 errors.
                           Engine = new EngineOptions { ContextSize = 2048, Threads = 1 }, KeepAlive = TimeSpan.Zero,
                           Sampling = new ReasonRequest { MaxTokens = 64 },
                       }))
        {
            if (u.Kind == ReasonUpdateKind.Stage) stages.Add(u.Text);
            if (u.Kind == ReasonUpdateKind.Completed) result = u.Result;
        }

        Assert.True(stages.Count >= 3, string.Join(" | ", stages));
        Assert.StartsWith("analysing part 1 of", stages[0]);
        Assert.Equal("reasoning over the findings of every part", stages[^1]);
        Assert.Contains("analysed in", result!.Prompt);
        Assert.Equal("5", result.FinalAnswer);
    }

    [Fact]
    public async Task A_file_too_large_for_a_general_prompt_points_to_the_log_task()
    {
        var path = Path.GetTempFileName();
        try
        {
            await using (var f = File.OpenWrite(path)) f.SetLength(ReasonService.MaxDocumentBytes + 1);
            var e = await Assert.ThrowsAsync<ReasonTools.Core.ReasonFailure>(() =>
                ReasonService.PreviewPromptAsync(new ReasonInvocation { Model = Model, Question = "?", Files = [path] }));
            Assert.Contains("log analysis task", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_piped_document_that_turns_binary_after_text_is_refused_saying_where_and_pointing_to_the_log_task()
    {
        var bytes = Encoding.UTF8.GetBytes(new string('a', 2000) + "\n").Concat(new byte[] { 0, 1, 2, 0, 255, 7 }).ToArray();
        var e = await Assert.ThrowsAsync<ReasonTools.Core.ReasonFailure>(() => ReasonService.PreviewPromptAsync(
            new ReasonInvocation { Model = Model, Question = "?", Streams = [("input", new MemoryStream(bytes))] }));

        Assert.Contains("input turns to binary data after 2,001 bytes of text", e.Message);
        Assert.Contains("log analysis task", e.Message);
    }

    [Fact]
    public async Task A_binary_file_is_refused_before_it_reaches_a_prompt()
    {
        var path = Path.GetTempFileName();
        try
        {
            await File.WriteAllBytesAsync(path, [0x7F, (byte)'E', (byte)'L', (byte)'F', 2, 1, 1, 0, 0, 0]);
            var e = await Assert.ThrowsAsync<ReasonTools.Core.ReasonFailure>(() =>
                ReasonService.PreviewPromptAsync(new ReasonInvocation { Model = Model, Question = "?", Files = [path] }));
            Assert.Contains($"{Path.GetFileName(path)} is binary data, which a prompt cannot take", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
