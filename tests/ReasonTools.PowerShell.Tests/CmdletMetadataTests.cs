using ReasonTools.Core.Hosting;
using System.Management.Automation;
using System.Reflection;
using System.Xml.Linq;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Models;
using ReasonTools.PowerShell.Internal;

namespace ReasonTools.PowerShell.Tests;

/// <summary>The cmdlets' public shape, read from the built assembly: what Get-Command and tab completion show users.</summary>
public sealed class CmdletMetadataTests
{
    // PowerShell's approved verbs (Get-Verb), from the classes that define them.
    private static readonly HashSet<string> ApprovedVerbs = new[]
        {
            typeof(VerbsCommon), typeof(VerbsCommunications), typeof(VerbsData), typeof(VerbsDiagnostic),
            typeof(VerbsLifecycle), typeof(VerbsOther), typeof(VerbsSecurity),
        }
        .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
        .Select(f => (string)f.GetValue(null)!)
        .ToHashSet(StringComparer.Ordinal);

    private static CmdletAttribute CmdletOf(Type t) => t.GetCustomAttribute<CmdletAttribute>()!;

    private static ParameterAttribute[] Bindings(Type cmdlet, string parameter) =>
        cmdlet.GetProperty(parameter)?.GetCustomAttributes<ParameterAttribute>().ToArray()
        ?? throw new Xunit.Sdk.XunitException($"{cmdlet.Name} has no parameter -{parameter}");

    [Fact]
    public void The_module_has_exactly_the_nine_documented_cmdlets()
    {
        var names = TestPaths.CmdletTypes.Select(t => $"{CmdletOf(t).VerbName}-{CmdletOf(t).NounName}");
        Assert.Equal(["Compare-ReasonModel", "Export-ReasonReport", "Get-ReasonBackend", "Get-ReasonHardware", "Get-ReasonModel", "Install-ReasonBackend", "Invoke-Reason", "Save-ReasonModel", "Stop-ReasonModel"], names);
    }

    [Fact]
    public void Every_cmdlet_is_sealed_named_after_its_verb_and_noun_and_uses_an_approved_verb()
    {
        foreach (var type in TestPaths.CmdletTypes)
        {
            var cmdlet = CmdletOf(type);
            Assert.True(type.IsSealed, $"{type.Name} is not sealed");
            Assert.Equal($"{cmdlet.VerbName}{cmdlet.NounName}Command", type.Name);
            Assert.Contains(cmdlet.VerbName, ApprovedVerbs);
            Assert.StartsWith("Reason", cmdlet.NounName, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_approved_verb_list_rejects_unapproved_verbs()
    {
        Assert.Contains("Invoke", ApprovedVerbs);
        Assert.DoesNotContain("Run", ApprovedVerbs);
        Assert.DoesNotContain("Ask", ApprovedVerbs);
    }

    [Fact]
    public void Every_cmdlet_declares_what_it_outputs()
    {
        var outputs = TestPaths.CmdletTypes.ToDictionary(t => t.Name,
            t => t.GetCustomAttributes<OutputTypeAttribute>().SelectMany(o => o.Type).Select(n => n.Type).ToHashSet());
        Assert.Equal([typeof(ReasonResult)], outputs[nameof(InvokeReasonCommand)]);
        Assert.Equal([typeof(ComparisonRow), typeof(ComparisonSummary)], outputs[nameof(CompareReasonModelCommand)]);
        Assert.Equal([typeof(HardwareReport), typeof(ModelVerdict)], outputs[nameof(GetReasonHardwareCommand)]);
        Assert.Equal([typeof(FileInfo)], outputs[nameof(ExportReasonReportCommand)]);
        Assert.Equal([typeof(ModelListingEntry), typeof(ResidentModel)], outputs[nameof(GetReasonModelCommand)]);
        Assert.Equal([typeof(ResidentModel)], outputs[nameof(StopReasonModelCommand)]);
        Assert.Equal([typeof(DownloadedModel)], outputs[nameof(SaveReasonModelCommand)]);
        Assert.Equal([typeof(ReasonTools.Core.Backends.InstalledBackend)], outputs[nameof(InstallReasonBackendCommand)]);
        Assert.Equal([typeof(ReasonTools.Core.Backends.BackendStatus)], outputs[nameof(GetReasonBackendCommand)]);
    }

    [Fact]
    public void Cmdlets_that_run_a_model_or_write_a_file_support_WhatIf()
    {
        Assert.True(CmdletOf(typeof(InvokeReasonCommand)).SupportsShouldProcess);
        Assert.True(CmdletOf(typeof(ExportReasonReportCommand)).SupportsShouldProcess);
        Assert.True(CmdletOf(typeof(SaveReasonModelCommand)).SupportsShouldProcess);
        Assert.True(CmdletOf(typeof(InstallReasonBackendCommand)).SupportsShouldProcess);
        Assert.False(CmdletOf(typeof(GetReasonBackendCommand)).SupportsShouldProcess);
        Assert.False(CmdletOf(typeof(GetReasonHardwareCommand)).SupportsShouldProcess);
        Assert.False(CmdletOf(typeof(GetReasonModelCommand)).SupportsShouldProcess);
    }

    [Fact]
    public void Invoke_Reason_takes_the_prompt_first_and_binds_text_by_value_and_files_by_property_name()
    {
        var type = typeof(InvokeReasonCommand);
        Assert.Equal(0, Assert.Single(Bindings(type, "Prompt")).Position);
        Assert.Equal(1, Assert.Single(Bindings(type, "Model")).Position);

        var input = Assert.Single(Bindings(type, "InputObject"));
        Assert.True(input.ValueFromPipeline);
        Assert.False(input.ValueFromPipelineByPropertyName);

        var path = Assert.Single(Bindings(type, "Path"));
        Assert.True(path.ValueFromPipelineByPropertyName);
        Assert.False(path.ValueFromPipeline);
        Assert.True(path.Mandatory);
        // Text and files are separate parameter sets, so a Get-Content line (which carries a PSPath) binds as text only.
        Assert.NotEqual(input.ParameterSetName, path.ParameterSetName);
        Assert.Equal(["FullName", "PSPath"], type.GetProperty("Path")!.GetCustomAttribute<AliasAttribute>()!.AliasNames);
        Assert.NotNull(type.GetProperty("Model")!.GetCustomAttribute<ArgumentCompleterAttribute>());

        foreach (var name in new[] { "Task", "MaxTokens", "ContextSize", "Temperature", "Seed", "Threads", "GpuLayers" })
            Assert.NotEmpty(Bindings(type, name));
        Assert.Equal(typeof(SwitchParameter), type.GetProperty("Stream")!.PropertyType);
        Assert.Equal(typeof(SwitchParameter), type.GetProperty("ShowThinking")!.PropertyType);
        Assert.Equal(typeof(ReasonTask), type.GetProperty("Task")!.PropertyType);
    }

    [Fact]
    public void Compare_ReasonModel_takes_models_or_sizes_and_a_prompt_or_a_prompt_set()
    {
        var type = typeof(CompareReasonModelCommand);
        var sets = (string name) => Bindings(type, name).Select(b => b.ParameterSetName).Order().ToArray();
        Assert.Equal(["ModelPrompt", "ModelPromptSet"], sets("Model"));
        Assert.Equal(["SizePrompt", "SizePromptSet"], sets("Size"));
        Assert.Equal(["ModelPrompt", "SizePrompt"], sets("Prompt"));
        Assert.Equal(["ModelPromptSet", "SizePromptSet"], sets("PromptSet"));
        Assert.All(Bindings(type, "Model").Concat(Bindings(type, "Size")), b => Assert.True(b.Mandatory));
        var size = type.GetProperty("Size")!;
        Assert.NotNull(size.GetCustomAttribute<ValidateCatalogSizeAttribute>());
        Assert.Equal(typeof(CatalogSizeCompleter), size.GetCustomAttribute<ArgumentCompleterAttribute>()!.Type);
    }

    [Fact]
    public void Get_ReasonHardware_answers_for_one_model_given_by_position()
    {
        var model = Assert.Single(Bindings(typeof(GetReasonHardwareCommand), "Model"));
        Assert.Equal(0, model.Position);
        Assert.True(model.Mandatory);
        Assert.Equal("Model", model.ParameterSetName);
    }

    [Fact]
    public void Get_ReasonModel_filters_by_wildcard_names_given_by_position()
    {
        var name = Assert.Single(Bindings(typeof(GetReasonModelCommand), "Name"));
        Assert.Equal(0, name.Position);
        Assert.False(name.Mandatory);
        Assert.NotNull(typeof(GetReasonModelCommand).GetProperty("Name")!.GetCustomAttribute<SupportsWildcardsAttribute>());
        Assert.Equal(typeof(string[]), typeof(GetReasonModelCommand).GetProperty("Name")!.PropertyType);
    }

    [Fact]
    public void Save_ReasonModel_takes_the_model_first_and_a_catalog_quantization()
    {
        var model = Assert.Single(Bindings(typeof(SaveReasonModelCommand), "Model"));
        Assert.Equal(0, model.Position);
        Assert.True(model.Mandatory);
        Assert.NotNull(typeof(SaveReasonModelCommand).GetProperty("Model")!.GetCustomAttribute<ArgumentCompleterAttribute>());
        Assert.Equal(ModelCatalog.Quantizations, typeof(SaveReasonModelCommand).GetProperty("Quantization")!.GetCustomAttribute<ValidateSetAttribute>()!.ValidValues);
        Assert.NotEmpty(Bindings(typeof(SaveReasonModelCommand), "Path"));
    }

    [Fact]
    public void Export_ReasonReport_takes_results_from_the_pipeline_and_the_path_first()
    {
        var input = Assert.Single(Bindings(typeof(ExportReasonReportCommand), "InputObject"));
        Assert.True(input.ValueFromPipeline && input.Mandatory);
        Assert.Equal(0, Assert.Single(Bindings(typeof(ExportReasonReportCommand), "Path")).Position);
        Assert.Equal(typeof(SwitchParameter), typeof(ExportReasonReportCommand).GetProperty("PassThru")!.PropertyType);
    }

    [Fact]
    public void Every_parameter_and_cmdlet_has_xml_documentation()
    {
        var documented = XDocument.Load(TestPaths.XmlDocFile).Descendants("member")
            .Where(m => !string.IsNullOrWhiteSpace(m.Element("summary")?.Value))
            .Select(m => m.Attribute("name")!.Value)
            .ToHashSet();
        var missing = new List<string>();
        foreach (var type in TestPaths.CmdletTypes)
        {
            if (!documented.Contains("T:" + type.FullName)) missing.Add(type.Name);
            foreach (var p in type.GetProperties().Where(p => p.GetCustomAttributes<ParameterAttribute>().Any()))
                if (!documented.Contains($"P:{p.DeclaringType!.FullName}.{p.Name}")) missing.Add($"{type.Name}.{p.Name}");
        }
        Assert.Empty(missing);
    }
}
