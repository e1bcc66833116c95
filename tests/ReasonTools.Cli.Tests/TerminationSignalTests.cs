using System.Text.Json;
using ReasonTools.Testing;

namespace ReasonTools.Cli.Tests;

/// <summary>Ctrl+C (SIGINT) and SIGTERM end a run or a comparison on its own path: what finished is written, exit 130.</summary>
public sealed class TerminationSignalTests
{
    private static readonly string SlowModel = SyntheticModels.GetSlowFile(ScriptKind.NeverCloses);

    [Fact]
    public void Ctrl_C_during_a_run_prints_the_partial_summary_with_finish_reason_cancelled_and_exits_130()
    {
        var run = SignalledRun.Run($"run --model \"{SlowModel}\" --prompt \"List every case.\" --threads 1", "INT",
            (_, _, stderr) => stderr.Contains("case 3;", StringComparison.Ordinal));

        Assert.True(run.ExitCode == 130, $"exit {run.ExitCode}\n{run.Stderr}");
        var summary = run.Stderr.Split('\n').Single(l => l.StartsWith("[cancelled] ", StringComparison.Ordinal));
        var thinking = int.Parse(summary.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(thinking, 3, SyntheticModels.NeverClosesTokenCount - 1);
    }

    [Fact]
    public void SIGTERM_during_a_json_run_prints_the_partial_ReasonResult_and_exits_130()
    {
        // --json streams nothing, so the cue is the weights being mapped (the start of loading, which takes milliseconds
        // for this model, while its 160 tokens take seconds); the signal may land in the prompt or the chain.
        var mapped = System.Diagnostics.Stopwatch.StartNew();
        var seen = false;
        var run = SignalledRun.Run($"run --model \"{SlowModel}\" --prompt \"List every case.\" --threads 1 --json", "TERM", (pid, _, _) =>
        {
            if (!seen && SignalledRun.HasMapped(pid, SlowModel)) { seen = true; mapped.Restart(); }
            return seen && mapped.ElapsedMilliseconds > 300;
        });

        Assert.True(run.ExitCode == 130, $"exit {run.ExitCode}\n{run.Stderr}");
        using var json = JsonDocument.Parse(run.Stdout);
        Assert.Equal("cancelled", json.RootElement.GetProperty("finishReason").GetString());
        Assert.InRange(json.RootElement.GetProperty("timings").GetProperty("generatedTokens").GetInt32(), 0, SyntheticModels.NeverClosesTokenCount - 1);
        Assert.StartsWith(SyntheticModels.Get(ScriptKind.NeverCloses).TextOfFirstTokens(json.RootElement.GetProperty("timings").GetProperty("generatedTokens").GetInt32()),
            json.RootElement.GetProperty("thinking").GetString());
    }

    [Fact]
    public void Ctrl_C_on_a_terminal_resets_the_dimmed_chain_and_keypad_mode_and_shows_the_phases_as_bars()
    {
        var run = TerminalRun.Run($"run --model \"{SlowModel}\" --prompt \"List every case.\" --threads 1", output => output.Contains("case 3;", StringComparison.Ordinal));

        Assert.True(run.ExitCode == 130, $"exit {run.ExitCode}\n{run.Output}");
        var dim = run.Output.IndexOf("\x1b[2m", StringComparison.Ordinal);
        Assert.True(dim >= 0, run.Output);
        Assert.True(run.Output.LastIndexOf("\x1b[0m", StringComparison.Ordinal) > run.Output.LastIndexOf("\x1b[2m", StringComparison.Ordinal), "the dimmed chain was never reset");
        Assert.True(run.Output.LastIndexOf("\x1b[?1l\x1b>", StringComparison.Ordinal) >= run.Output.LastIndexOf("\x1b[?1h", StringComparison.Ordinal), "keypad mode left on");
        Assert.Contains("[cancelled] ", run.Output);
        // Before the chain: the prompt's status line, a bar with the tokens done of those to decode.
        Assert.Matches(@"processing the prompt \[[█░]{24}\] \d+/\d+ tokens", run.Output[..dim]);
    }

    [Fact]
    public void Redirected_output_has_no_status_line_or_bar()
    {
        var run = ReasonCli.Run($"run --model \"{SyntheticModels.GetFile(ScriptKind.ClosedChain)}\" --prompt \"What is 2 + 3?\" --threads 1 --hide-thinking");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("\r", run.Stderr);
        Assert.DoesNotContain("█", run.Stderr);
        Assert.DoesNotContain("loading model", run.Stderr);
        Assert.DoesNotContain("thinking:", run.Stderr);
    }

    [Fact]
    public void A_comparison_on_a_terminal_shows_the_cell_and_its_phases_with_a_bar_and_redirected_shows_none()
    {
        var dir = Directory.CreateTempSubdirectory("reason-compare-bar-");
        try
        {
            var prompts = Path.Combine(dir.FullName, "set.json");
            File.WriteAllText(prompts, """{ "name": "cases", "prompts": [ { "id": "cases-a", "prompt": "List every case." } ] }""");
            var label = Path.GetFileNameWithoutExtension(SlowModel);
            var run = TerminalRun.Run($"compare --model \"{SlowModel}\" --prompts \"{prompts}\" --threads 1", output => output.Contains("thinking: 9 tokens", StringComparison.Ordinal));

            Assert.True(run.ExitCode == 130, $"exit {run.ExitCode}\n{run.Output}");
            Assert.Matches(@"\[1/1\] [^\r\n]*: cases-a  processing the prompt \[[█░]{24}\] \d+/\d+ tokens", run.Output);
            Assert.Matches(@"\[1/1\] [^\r\n]*: cases-a  thinking: \d+ tokens?", run.Output);
            Assert.Contains(label, run.Output);

            var redirected = ReasonCli.Run($"compare --model \"{SyntheticModels.GetFile(ScriptKind.ClosedChain)}\" --prompts \"{prompts}\" --threads 1");
            Assert.Equal(0, redirected.ExitCode);
            Assert.DoesNotContain("\r", redirected.Stderr);
            Assert.DoesNotContain("█", redirected.Stderr);
            Assert.DoesNotContain("thinking:", redirected.Stderr);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Ctrl_C_during_a_comparison_writes_the_finished_rows_the_table_and_the_html_marked_interrupted()
    {
        var dir = Directory.CreateTempSubdirectory("reason-compare-int-");
        try
        {
            var (prompts, html) = (Path.Combine(dir.FullName, "set.json"), Path.Combine(dir.FullName, "out.html"));
            File.WriteAllText(prompts, """{ "name": "cases", "prompts": [ { "id": "a", "prompt": "List every case." }, { "id": "b", "prompt": "List them again." }, { "id": "c", "prompt": "Once more." } ] }""");
            var fast = SyntheticModels.GetFile(ScriptKind.ClosedChain);
            var run = SignalledRun.Run($"compare --model \"{fast}\" --model \"{SlowModel}\" --prompts \"{prompts}\" --threads 1 --parallel 1 --html \"{html}\"", "INT",
                (_, _, stderr) => stderr.Contains("[5/6]", StringComparison.Ordinal));

            Assert.True(run.ExitCode == 130, $"exit {run.ExitCode}\n{run.Stderr}");
            // Each finished row was reported on stderr as it finished; the report on stdout says how far it got.
            Assert.Equal(4, run.Stderr.Split('\n').Count(l => l.Contains(" thinking tokens · ", StringComparison.Ordinal)));
            Assert.Contains("interrupted after 4 of 6", run.Stdout);
            var report = File.ReadAllText(html);
            Assert.Contains("interrupted after 4 of 6", report);
            Assert.Contains("data-flag=\"interrupted\"", report);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void SIGTERM_during_a_json_comparison_prints_the_finished_rows_with_the_interruption()
    {
        var dir = Directory.CreateTempSubdirectory("reason-compare-int-");
        try
        {
            var prompts = Path.Combine(dir.FullName, "set.json");
            File.WriteAllText(prompts, """{ "name": "cases", "prompts": [ { "id": "a", "prompt": "List every case." }, { "id": "b", "prompt": "List them again." } ] }""");
            var run = SignalledRun.Run($"compare --model \"{SyntheticModels.GetFile(ScriptKind.ClosedChain)}\" --model \"{SlowModel}\" --prompts \"{prompts}\" --threads 1 --parallel 1 --json", "TERM",
                (_, _, stderr) => stderr.Contains("[4/4]", StringComparison.Ordinal));

            Assert.True(run.ExitCode == 130, $"exit {run.ExitCode}\n{run.Stderr}");
            using var json = JsonDocument.Parse(run.Stdout);
            Assert.Equal(3, json.RootElement.GetProperty("rows").GetArrayLength());
            var interrupted = json.RootElement.GetProperty("interrupted");
            Assert.Equal(3, interrupted.GetProperty("finished").GetInt32());
            Assert.Equal(4, interrupted.GetProperty("total").GetInt32());
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
