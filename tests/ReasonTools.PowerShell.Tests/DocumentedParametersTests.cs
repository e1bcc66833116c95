using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;

namespace ReasonTools.PowerShell.Tests;

/// <summary>
/// Every parameter of every cmdlet is documented, so the docs cannot fall behind the module: named in README.md or
/// docs/, and listed in a section of docs/powershell.md whose heading names the cmdlet.
/// </summary>
public sealed class DocumentedParametersTests
{
    [Fact]
    public void Every_parameter_of_every_cmdlet_is_named_in_the_readme_or_the_docs()
    {
        var docs = File.ReadAllText(Path.Combine(TestPaths.RepoRoot, "README.md")) + string.Join("\n",
            Directory.GetFiles(Path.Combine(TestPaths.RepoRoot, "docs"), "*.md").Select(File.ReadAllText));

        var missing = Parameters().Where(p => !Mentions(docs, p.Parameter)).Select(p => $"{p.Cmdlet} -{p.Parameter}").ToList();

        Assert.True(missing.Count == 0, "Not in README.md or docs/*.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_cmdlet_has_a_section_in_docs_powershell_that_lists_each_of_its_parameters()
    {
        var lines = File.ReadAllLines(Path.Combine(TestPaths.RepoRoot, "docs", "powershell.md"));

        var missing = new List<string>();
        foreach (var cmdlet in Parameters().GroupBy(p => p.Cmdlet))
        {
            // A parameter may be listed under the cmdlet's own heading or a shared one ("Settings of Invoke-Reason and ...").
            var sections = string.Join("\n", lines
                .Select((line, i) => (line, i))
                .Where(h => h.line.StartsWith('#') && NamesWord(h.line, cmdlet.Key))
                .Select(h => string.Join("\n", lines.Skip(h.i + 1).TakeWhile(l => !l.StartsWith('#')))));
            if (sections.Length == 0)
            {
                missing.Add($"no section headed {cmdlet.Key}");
                continue;
            }
            missing.AddRange(cmdlet.Where(p => !Mentions(sections, p.Parameter)).Select(p => $"{cmdlet.Key} -{p.Parameter}"));
        }

        Assert.True(missing.Count == 0, "docs/powershell.md lacks: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_parameters_read_include_the_inherited_settings()
    {
        // Guards the reflection: ModelRunCmdlet's settings are declared on the base class.
        var parameters = Parameters();

        Assert.Contains(("Invoke-Reason", "TopP"), parameters);
        Assert.Contains(("Compare-ReasonModel", "KeepAlive"), parameters);
        Assert.Contains(("Get-ReasonModel", "Loaded"), parameters);
    }

    /// <summary>(cmdlet name, parameter name) for every parameter the cmdlets declare; PowerShell's common parameters are not.</summary>
    private static List<(string Cmdlet, string Parameter)> Parameters() =>
        TestPaths.CmdletTypes
            .SelectMany(t => t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.GetCustomAttributes<ParameterAttribute>().Any())
                .Select(p => (Cmdlet: $"{t.GetCustomAttribute<CmdletAttribute>()!.VerbName}-{t.GetCustomAttribute<CmdletAttribute>()!.NounName}", Parameter: p.Name)))
            .ToList();

    private static bool Mentions(string text, string parameter) => NamesWord(text, "-" + parameter);

    private static bool NamesWord(string text, string word) => Regex.IsMatch(text, $"(?<![\\w-]){Regex.Escape(word)}(?![\\w-])");
}
