using Microsoft.DotNet.Interactive.Events;
using ReasonTools.Testing;

namespace ReasonTools.Interactive.Tests;

/// <summary>#!reason in a notebook kernel: the chain streams into one output that ends as the folded result, and the model stays loaded.</summary>
public class ReasonMagicTests
{
    [Fact]
    public async Task Reason_cell_streams_the_chain_into_one_output_that_ends_as_the_result_with_the_chain_folded()
    {
        using var host = await NotebookHost.StartAsync();
        var model = SyntheticModels.Get(ScriptKind.ClosedChain);
        var path = SyntheticModels.GetFile(ScriptKind.ClosedChain);

        var events = await host.RunAsync($"#!reason --model \"{path}\" --seed 7 --temperature 0\n{model.Question}");

        Assert.Empty(events.OfType<CommandFailed>());
        var first = Assert.Single(events.OfType<DisplayedValueProduced>());
        var updates = events.OfType<DisplayedValueUpdated>().ToList();
        Assert.All(updates, u => Assert.Equal(first.ValueId, u.ValueId));
        // While it runs: the chain grows inside an open <details>, marked live.
        var streamed = updates.Select(NotebookHost.Html).Where(h => h.Contains("rt-live-thinking")).ToList();
        Assert.True(streamed.Count >= 2, $"expected the chain to be redrawn as it grows, got {streamed.Count} live views");
        Assert.Contains(streamed, h => h.Contains("<details class=\"rt-thinking\" open=\"open\">"));
        Assert.Contains(Markup(model.ThinkingText.Trim()[..10]), streamed[^1]);
        // At the end: the result's own fragment, the chain folded, the answer and the timings.
        var final = NotebookHost.Html(updates[^1]);
        Assert.StartsWith("<div class=\"rt-report rt-reason\">", final);
        Assert.DoesNotContain("data-live", final);
        Assert.Contains("<details class=\"rt-thinking\">", final);
        Assert.Matches("<mark class=\"rt-final-answer\"[^>]*>5</mark>", final);
        Assert.Contains("<h3>Timings</h3>", final);

        Assert.Equal("5", await host.EvaluateAsync("reasonResult.FinalAnswer"));
        Assert.True(double.Parse(await host.EvaluateAsync("reasonResult.Timings.LoadMs"), System.Globalization.CultureInfo.InvariantCulture) > 0);
    }

    [Fact]
    public async Task Reason_cell_takes_top_p_and_gpu_layers_as_the_other_fronts_do()
    {
        using var host = await NotebookHost.StartAsync();
        var model = SyntheticModels.Get(ScriptKind.ClosedChain);
        var path = SyntheticModels.GetFile(ScriptKind.ClosedChain);

        var events = await host.RunAsync($"#!reason --model \"{path}\" --top-p 0.5 --gpu-layers 0 --max-tokens 2\n{model.Question}");
        Assert.Empty(events.OfType<CommandFailed>());
        Assert.Equal("0.5", await host.EvaluateAsync("reasonResult.Settings.TopP.ToString(System.Globalization.CultureInfo.InvariantCulture)"));
        Assert.Equal("0", await host.EvaluateAsync("reasonResult.Settings.GpuLayers"));

        var bad = await host.RunAsync($"#!reason --model \"{path}\" --gpu-layers many\n{model.Question}");
        Assert.Contains("takes a number of layers (-1 for all, 0 for none) or auto, not 'many'", Assert.Single(bad.OfType<CommandFailed>()).Message);
    }

    [Fact]
    public async Task A_chain_cut_by_the_token_limit_says_so_and_names_the_option_of_the_cell_that_raises_it()
    {
        using var host = await NotebookHost.StartAsync();
        var path = SyntheticModels.GetFile(ScriptKind.NeverCloses);

        var events = await host.RunAsync($"#!reason --model \"{path}\" --max-tokens 20 --context 512\nList every case.");

        Assert.Empty(events.OfType<CommandFailed>());
        var said = events.OfType<DisplayedValueProduced>().SelectMany(e => e.FormattedValues).Where(v => v.MimeType == "text/plain").Select(v => v.Value);
        Assert.Contains("The reasoning chain was cut by the token limit (20 tokens): raise it with --max-tokens on the #!reason line.", said);
    }

    [Fact]
    public async Task Second_reason_cell_on_the_same_model_pays_no_load()
    {
        using var host = await NotebookHost.StartAsync();
        var model = SyntheticModels.Get(ScriptKind.ClosedChain);
        // Models stay resident in the process-wide host, and other tests run at the same time: a copy of the model that only
        // this test opens makes sure the first cell pays the load.
        var path = Path.Combine(Path.GetTempPath(), $"reasontools-second-cell-{Environment.ProcessId}.gguf");
        File.Copy(SyntheticModels.GetFile(ScriptKind.ClosedChain), path, overwrite: true);

        try
        {
            await host.RunAsync($"#!reason --model {path}\n{model.Question}");
            var loadedFirst = await host.EvaluateAsync("reasonResult.Timings.LoadMs");
            var events = await host.RunAsync($"#!reason --model {path}\n{model.Question}");

            Assert.Empty(events.OfType<CommandFailed>());
            Assert.NotEqual("0", loadedFirst);
            Assert.Equal("0", await host.EvaluateAsync("reasonResult.Timings.LoadMs"));
            Assert.Contains("data-field=\"loadMs\"", NotebookHost.Html(events.OfType<DisplayedValueUpdated>().Last()));
        }
        finally
        {
            ReasonTools.Core.Hosting.ModelHost.Shared.Unload(m => m.Path == path);
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Reason_cell_with_a_draft_gives_the_same_answer_as_without_and_shows_the_acceptance()
    {
        using var host = await NotebookHost.StartAsync();
        var model = SyntheticModels.Get(ScriptKind.ClosedChain);
        var path = SyntheticModels.GetFile(ScriptKind.ClosedChain);
        // A scripted draft that diverges from the model at every third token: some proposals are kept, some are not.
        var draft = SyntheticModels.GetDraftFile(ScriptKind.ClosedChain, 3);
        try
        {
            await host.RunAsync($"#!reason --model \"{path}\" --draft none --seed 7 --temperature 0\n{model.Question}");
            var plainThinking = await host.EvaluateAsync("reasonResult.Thinking");
            var plainAnswer = await host.EvaluateAsync("reasonResult.FinalAnswer");
            var events = await host.RunAsync($"#!reason --model \"{path}\" --draft \"{draft}\" --seed 7 --temperature 0\n{model.Question}");

            Assert.Empty(events.OfType<CommandFailed>());
            Assert.Equal(plainThinking, await host.EvaluateAsync("reasonResult.Thinking"));
            Assert.Equal(plainAnswer, await host.EvaluateAsync("reasonResult.FinalAnswer"));
            Assert.Equal("5", plainAnswer);
            var drafted = int.Parse(await host.EvaluateAsync("reasonResult.Timings.DraftedTokens"), System.Globalization.CultureInfo.InvariantCulture);
            var accepted = int.Parse(await host.EvaluateAsync("reasonResult.Timings.AcceptedDraftTokens"), System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(accepted, 1, drafted - 1);
            // The result's timings show the draft and how many of its proposals were kept.
            var final = NotebookHost.Html(events.OfType<DisplayedValueUpdated>().Last());
            Assert.Contains("· draft ReasonTools Synthetic R1", final);
            Assert.Contains($"data-field=\"acceptedDraftTokens\">{accepted} of {drafted} accepted ({Math.Round(100.0 * accepted / drafted):0}%)</td>", final);
        }
        finally
        {
            ReasonTools.Core.Hosting.ModelHost.Shared.Unload();
        }
    }

    [Fact]
    public async Task Model_can_come_from_a_csharp_variable()
    {
        using var host = await NotebookHost.StartAsync();
        var path = SyntheticModels.GetFile(ScriptKind.ChickensRight);
        await host.RunAsync($"var model = @\"{path}\";");

        var events = await host.RunAsync("#!reason --model @csharp:model\nHow many chickens and rabbits?");

        Assert.Empty(events.OfType<CommandFailed>());
        Assert.Equal("12 chickens, 13 rabbits", await host.EvaluateAsync("reasonResult.FinalAnswer"));
    }

    [Fact]
    public async Task Missing_model_file_is_one_clear_message_without_a_stack_trace()
    {
        using var host = await NotebookHost.StartAsync();
        var missing = Path.Combine(Path.GetTempPath(), "no-such-model-" + Guid.NewGuid().ToString("N") + ".gguf");

        var events = await host.RunAsync($"#!reason --model {missing}\nIs 1001 prime?");

        var failed = Assert.Single(events.OfType<CommandFailed>());
        Assert.Equal($"Model file not found: {missing}", failed.Message);
        Assert.Null(failed.Exception);
    }

    [Fact]
    public async Task Bad_option_value_is_worded_like_the_command_line()
    {
        using var host = await NotebookHost.StartAsync();
        var path = SyntheticModels.GetFile(ScriptKind.ClosedChain);

        var badEvents = await host.RunAsync($"#!reason --model {path} --max-tokens lots\nhi");
        var badTokens = badEvents.OfType<CommandFailed>().SingleOrDefault() ?? throw new Xunit.Sdk.XunitException(string.Join(" | ", badEvents.Select(e => e.ToString())));

        Assert.Equal("--max-tokens takes a whole number of at least 1, not 'lots'.", badTokens.Message);
    }

    private static string Markup(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;").Replace("'", "&#39;");
}
