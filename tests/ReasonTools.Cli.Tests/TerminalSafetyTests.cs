using ReasonTools.Testing;

namespace ReasonTools.Cli.Tests;

/// <summary>Text from outside the tool never reaches the terminal with its escape sequences.</summary>
public sealed class TerminalSafetyTests
{
    private const string Hostile = "\u001b]0;owned\u0007\u001b[2J\u001b]8;;https://evil.example/\u001b\\link\u001b]8;;\u001b\\";

    [Fact]
    public void Piped_log_lines_echoed_by_show_prompt_carry_no_escape_sequence()
    {
        var run = ReasonCli.Run($"run --model \"{SyntheticModels.GetFile(ScriptKind.ClosedChain)}\" --prompt \"Why?\" --show-prompt", stdin: $"ERROR {Hostile}\n");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain('\u001b', run.Stdout);
        Assert.Contains("ERROR ␛]0;owned␇␛[2J", run.Stdout);
    }

    [Fact]
    public async Task A_file_name_with_escape_sequences_is_shown_with_placeholders_in_errors()
    {
        var folder = Directory.CreateTempSubdirectory("rt-escape-").FullName;
        try
        {
            var path = Path.Combine(folder, "evil\u001b]0;owned\u0007.gguf");
            var run = await InProcessReason.RunAsync($"run --model \"{path}\" --prompt hi");

            Assert.Equal(2, run.ExitCode);
            Assert.DoesNotContain('\u001b', run.Stderr);
            Assert.DoesNotContain('\u0007', run.Stderr);
            Assert.Contains("evil␛]0;owned␇.gguf", run.Stderr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
