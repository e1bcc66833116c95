using System.CommandLine;

namespace ReasonTools.Cli.Tests;

public sealed class HelpTextTests
{
    [Theory]
    [InlineData("run")]
    [InlineData("compare")]
    [InlineData("bench")]
    [InlineData("hardware")]
    public void Every_model_option_names_the_same_accepted_forms(string command)
    {
        var option = ReasonCommand.Create().Subcommands.Single(c => c.Name == command).Options.Single(o => o.Name == "--model");

        Assert.Contains(ModelOptionWords.Catalog, option.Description);
        Assert.Contains("32b-q8_0", option.Description);
    }

    [Fact]
    public async Task Compare_help_says_it_takes_names_not_only_GGUF_files()
    {
        var run = await InProcessReason.RunAsync("compare --help");

        Assert.Equal(0, run.ExitCode);
        Assert.DoesNotContain("A GGUF model to compare", run.Stdout);
        Assert.Contains("Ollama tag", run.Stdout);
    }

    [Fact]
    public async Task Hardware_help_says_which_exit_code_means_does_not_fit()
    {
        var run = await InProcessReason.RunAsync("hardware --help");

        Assert.Contains("exit code 2 means it does not fit", run.Stdout);
        Assert.Contains("--all", run.Stdout);
    }
}
