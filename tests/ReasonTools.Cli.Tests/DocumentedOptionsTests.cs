using System.CommandLine;
using System.CommandLine.Help;
using System.Text.RegularExpressions;

namespace ReasonTools.Cli.Tests;

/// <summary>
/// Every option of every <c>reason</c> command is documented, so the docs cannot fall behind the commands: named in
/// README.md or docs/, and listed in that command's section of docs/cli.md.
/// </summary>
public sealed partial class DocumentedOptionsTests
{
    private static readonly string Root = RepoRoot();

    [Fact]
    public void Every_option_of_every_command_is_named_in_the_readme_or_the_docs()
    {
        var docs = File.ReadAllText(Path.Combine(Root, "README.md")) + string.Join("\n",
            Directory.GetFiles(Path.Combine(Root, "docs"), "*.md").Select(File.ReadAllText));

        var missing = Options().Where(o => !Mentions(docs, o.Option)).Select(o => $"{o.Command} {o.Option}").ToList();

        Assert.True(missing.Count == 0, "Not in README.md or docs/*.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_command_has_a_section_in_docs_cli_that_lists_each_of_its_options()
    {
        var lines = File.ReadAllLines(Path.Combine(Root, "docs", "cli.md"));

        var missing = new List<string>();
        foreach (var group in Options().GroupBy(o => o.Command))
        {
            var start = Array.FindIndex(lines, l => l.Trim() == "## " + group.Key);
            if (start < 0)
            {
                missing.Add($"no '## {group.Key}' section");
                continue;
            }
            var section = string.Join("\n", lines.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)));
            missing.AddRange(group.Where(o => !Mentions(section, o.Option)).Select(o => $"{group.Key}: {o.Option}"));
        }

        Assert.True(missing.Count == 0, "docs/cli.md lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_commands_walked_include_the_nested_ones_and_their_options()
    {
        // Guards the walk itself: an empty or shallow walk would let every check above pass.
        var options = Options();

        Assert.Contains(options, o => o is { Command: "reason compare", Option: "--parallel" });
        Assert.Contains(options, o => o is { Command: "reason backend install", Option: "--json" });
        Assert.DoesNotContain(options, o => o.Option == "--help");
    }

    /// <summary>(command path, option name) for every option a user can type, help and version left out.</summary>
    private static List<(string Command, string Option)> Options()
    {
        var found = new List<(string, string)>();
        void Walk(Command command, string path)
        {
            foreach (var option in command.Options.Where(o => o is not HelpOption and not VersionOption))
                found.Add((path, option.Name));
            foreach (var sub in command.Subcommands) Walk(sub, $"{path} {sub.Name}");
        }
        Walk(ReasonCommand.Create(), "reason");
        return found;
    }

    private static bool Mentions(string text, string option) =>
        Regex.IsMatch(text, $"(?<![\\w-]){Regex.Escape(option)}(?![\\w-])");

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ReasonTools.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("ReasonTools.sln not found above " + AppContext.BaseDirectory);
    }
}
