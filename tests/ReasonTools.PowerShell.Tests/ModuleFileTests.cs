using System.Management.Automation;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;

namespace ReasonTools.PowerShell.Tests;

/// <summary>The files Import-Module and Get-Help read: manifest, format file, MAML help, and the assembled folder.</summary>
public sealed partial class ModuleFileTests
{
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    private static IEnumerable<string> CmdletNames => TestPaths.CmdletTypes
        .Select(t => t.GetCustomAttribute<CmdletAttribute>()!)
        .Select(c => $"{c.VerbName}-{c.NounName}");

    private static string ManifestText => File.ReadAllText(Path.Combine(TestPaths.ModuleSources, "ReasonTools.psd1"));

    private static string ManifestValue(string key) =>
        Regex.Match(ManifestText, $@"^\s*{key}\s*=\s*'([^']*)'", RegexOptions.Multiline) is { Success: true } m ? m.Groups[1].Value
        : throw new Xunit.Sdk.XunitException($"The manifest has no {key}.");

    [GeneratedRegex(@"CmdletsToExport\s*=\s*@\(([^)]*)\)", RegexOptions.Singleline)]
    private static partial Regex CmdletsToExport();

    [Fact]
    public void The_manifest_exports_exactly_the_cmdlets_of_the_assembly()
    {
        var block = CmdletsToExport().Match(ManifestText);
        Assert.True(block.Success, "CmdletsToExport is not an explicit list");
        var exported = Regex.Matches(block.Groups[1].Value, "'([^']+)'").Select(m => m.Groups[1].Value).Order().ToList();
        Assert.Equal(CmdletNames.Order(), exported);
        Assert.DoesNotContain("'*'", ManifestText, StringComparison.Ordinal);
        Assert.Matches(@"FunctionsToExport\s*=\s*@\(\)", ManifestText);
        Assert.Matches(@"AliasesToExport\s*=\s*@\(\)", ManifestText);
    }

    [Fact]
    public void The_manifest_names_files_that_the_assembled_module_has()
    {
        Assert.Equal("ReasonTools.PowerShell.dll", ManifestValue("RootModule"));
        Assert.Equal("7.4", ManifestValue("PowerShellVersion"));
        foreach (var file in new[] { ManifestValue("RootModule"), "ReasonTools.format.ps1xml" })
            Assert.True(File.Exists(Path.Combine(TestPaths.AssembledModule, file)), $"{file} is not in the module folder");
    }

    [Fact]
    public void The_assembled_module_has_the_assemblies_help_and_native_libraries()
    {
        var root = TestPaths.AssembledModule;
        foreach (var file in new[] { "ReasonTools.psd1", "ReasonTools.format.ps1xml", "ReasonTools.PowerShell.dll", "ReasonTools.Core.dll",
                     "ReasonTools.Reports.dll", "en-US/ReasonTools.PowerShell.dll-Help.xml", "en-US/about_ReasonTools.help.txt" })
            Assert.True(File.Exists(Path.Combine(root, file)), $"{file} is missing from {root}");
        var native = Directory.GetFiles(Path.Combine(root, "runtimes"), "*", SearchOption.AllDirectories).Select(Path.GetFileName).ToList();
        Assert.Contains(native, n => n!.StartsWith("libllama", StringComparison.Ordinal));
        Assert.Contains(native, n => n!.StartsWith("libggml-base", StringComparison.Ordinal));
        // PowerShell itself supplies System.Management.Automation; a copy in the module would shadow the host's.
        Assert.False(File.Exists(Path.Combine(root, "System.Management.Automation.dll")));
    }

    [Fact]
    public void The_format_file_is_valid_against_PowerShells_schema()
    {
        Assert.Empty(FormatSchemaErrors(File.ReadAllText(Path.Combine(TestPaths.ModuleSources, "ReasonTools.format.ps1xml"))));
    }

    [Fact]
    public void A_format_file_with_a_misplaced_element_is_rejected_by_the_schema()
    {
        var broken = File.ReadAllText(Path.Combine(TestPaths.ModuleSources, "ReasonTools.format.ps1xml"))
            .Replace("<TableHeaders>", "<TableHeaders><Width>3</Width>", StringComparison.Ordinal);
        Assert.NotEmpty(FormatSchemaErrors(broken));
    }

    [Fact]
    public void The_prompt_column_of_comparison_rows_holds_every_shipped_prompt_id()
    {
        var format = XDocument.Load(Path.Combine(TestPaths.ModuleSources, "ReasonTools.format.ps1xml"));
        var view = format.Descendants("View").Single(v => v.Element("Name")!.Value == "ComparisonRow");
        var width = int.Parse(view.Descendants("TableColumnHeader").Single(h => h.Element("Label")?.Value == "Prompt").Element("Width")!.Value,
            System.Globalization.CultureInfo.InvariantCulture);
        var ids = Directory.EnumerateFiles(Path.Combine(TestPaths.RepoRoot, "prompts"), "*.json")
            .SelectMany(f => System.Text.Json.JsonDocument.Parse(File.ReadAllText(f)).RootElement.GetProperty("prompts").EnumerateArray())
            .Select(p => p.GetProperty("id").GetString()!).ToList();
        Assert.NotEmpty(ids);
        Assert.All(ids, id => Assert.True(id.Length <= width, $"'{id}' is {id.Length} characters; the Prompt column is {width}"));
    }

    [Fact]
    public void Every_type_and_property_the_format_file_names_exists()
    {
        var format = XDocument.Load(Path.Combine(TestPaths.ModuleSources, "ReasonTools.format.ps1xml"));
        var assemblies = new[] { typeof(Core.Inference.ReasonResult).Assembly, typeof(InvokeReasonCommand).Assembly };
        Type Resolve(string name) => assemblies.Select(a => a.GetType(name)).FirstOrDefault(t => t is not null)
            ?? throw new Xunit.Sdk.XunitException($"The format file names {name}, which no ReasonTools assembly has.");

        foreach (var view in format.Descendants("View"))
        {
            var viewTypes = view.Element("ViewSelectedBy")!.Elements("TypeName").Select(n => Resolve(n.Value)).ToList();
            var entries = view.Descendants().Where(e => e.Name.LocalName is "TableRowEntry" or "ListEntry").ToList();
            var selectedElsewhere = entries.SelectMany(e => e.Element("EntrySelectedBy")?.Elements("TypeName") ?? [])
                .Select(n => Resolve(n.Value)).ToHashSet();
            foreach (var entry in entries)
            {
                var types = entry.Element("EntrySelectedBy") is { } selectedBy
                    ? selectedBy.Elements("TypeName").Select(n => Resolve(n.Value)).ToList()
                    : viewTypes.Where(t => !selectedElsewhere.Contains(t)).ToList();
                foreach (var property in entry.Descendants("PropertyName").Select(p => p.Value))
                    Assert.All(types, t => Assert.True(t.GetProperty(property) is not null,
                        $"View {view.Element("Name")!.Value}: {t.Name} has no property {property}"));
            }
        }
    }

    [Fact]
    public void The_help_file_documents_every_cmdlet_and_parameter_with_an_example()
    {
        var help = XDocument.Load(TestPaths.HelpFile);
        var commands = help.Root!.Elements(Command + "command")
            .ToDictionary(c => c.Element(Command + "details")!.Element(Command + "name")!.Value);
        Assert.Equal(CmdletNames.Order(), commands.Keys.Order());
        foreach (var type in TestPaths.CmdletTypes)
        {
            var attribute = type.GetCustomAttribute<CmdletAttribute>()!;
            var command = commands[$"{attribute.VerbName}-{attribute.NounName}"];
            Assert.False(string.IsNullOrWhiteSpace(command.Element(Command + "details")!.Element(Maml + "description")!.Value));
            Assert.False(string.IsNullOrWhiteSpace(command.Element(Maml + "description")!.Value));

            var documented = command.Element(Command + "parameters")!.Elements(Command + "parameter")
                .ToDictionary(p => p.Element(Maml + "name")!.Value);
            foreach (var property in type.GetProperties().Where(p => p.GetCustomAttributes<ParameterAttribute>().Any()))
            {
                Assert.True(documented.TryGetValue(property.Name, out var parameter), $"{type.Name}: -{property.Name} is not in the help");
                Assert.False(string.IsNullOrWhiteSpace(parameter!.Element(Maml + "description")!.Value), $"-{property.Name} has an empty description");
            }
            if (attribute.SupportsShouldProcess) Assert.Contains("WhatIf", documented.Keys);

            var examples = command.Element(Command + "examples")!.Elements(Command + "example").ToList();
            Assert.NotEmpty(examples);
            Assert.All(examples, e => Assert.Contains(attribute.VerbName + "-" + attribute.NounName, e.Element(Dev + "code")!.Value, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void The_help_file_states_pipeline_input_and_positions_as_the_cmdlets_declare_them()
    {
        var invoke = XDocument.Load(TestPaths.HelpFile).Root!.Elements(Command + "command")
            .Single(c => c.Element(Command + "details")!.Element(Command + "name")!.Value == "Invoke-Reason");
        var parameters = invoke.Element(Command + "parameters")!.Elements(Command + "parameter")
            .ToDictionary(p => p.Element(Maml + "name")!.Value);
        Assert.Equal("0", parameters["Prompt"].Attribute("position")!.Value);
        Assert.Equal("True (ByValue)", parameters["InputObject"].Attribute("pipelineInput")!.Value);
        Assert.Equal("True (ByPropertyName)", parameters["Path"].Attribute("pipelineInput")!.Value);
        Assert.Equal("FullName, PSPath", parameters["Path"].Attribute("aliases")!.Value);
        Assert.Equal("Int32", parameters["MaxTokens"].Element(Dev + "type")!.Element(Maml + "name")!.Value);
        Assert.Equal(2, invoke.Element(Command + "syntax")!.Elements(Command + "syntaxItem").Count());
    }

    private static List<string> FormatSchemaErrors(string formatXml)
    {
        var schemas = new XmlSchemaSet();
        using (var reader = XmlReader.Create(TestPaths.FormatSchema)) schemas.Add(null, reader);
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity} line {e.Exception?.LineNumber}: {e.Message}");
        using var validating = XmlReader.Create(new StringReader(formatXml), settings);
        while (validating.Read()) { }
        return errors;
    }
}
