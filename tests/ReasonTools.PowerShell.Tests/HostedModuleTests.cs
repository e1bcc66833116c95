using System.Management.Automation;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Hardware;
using ReasonTools.Core.Inference;
using ReasonTools.Testing;

namespace ReasonTools.PowerShell.Tests;

/// <summary>
/// The assembled module imported into PowerShell 7 hosted in this process: what a user at a prompt sees.
/// Model runs use the tiny scripted synthetic models, through the real llama.cpp.
/// </summary>
[Collection(HostedCollection.Name)]
public sealed class HostedModuleTests(HostedFixture fixture)
{
    private HostedPowerShell Shell => fixture.Shell;

    private static string Quote(string path) => "'" + path.Replace("'", "''", StringComparison.Ordinal) + "'";

    [Fact]
    public void Import_Module_exposes_the_four_cmdlets()
    {
        var result = Shell.Run("Get-Command -Module ReasonTools | Sort-Object Name | ForEach-Object Name");
        Assert.Empty(result.Errors);
        Assert.Equal(["Compare-ReasonModel", "Export-ReasonReport", "Get-ReasonHardware", "Invoke-Reason"], result.Output.Cast<string>());
    }

    [Fact]
    public void The_manifest_passes_Test_ModuleManifest()
    {
        var result = Shell.Run($"(Test-ModuleManifest {Quote(TestPaths.Manifest)} -ErrorAction Stop).ExportedCmdlets.Keys | Sort-Object");
        Assert.Empty(result.Errors);
        Assert.Equal(4, result.Output.Count);
    }

    [Fact]
    public void Get_Help_shows_the_generated_examples_and_parameter_help()
    {
        var result = Shell.Run("$h = Get-Help Invoke-Reason -Full; $h.Synopsis; @($h.Examples.Example).Count; ($h.Parameters.Parameter | Where-Object Name -eq Path).pipelineInput");
        Assert.Empty(result.Errors);
        Assert.Equal("Asks a DeepSeek-R1 reasoning model a question and returns its reasoning chain and answer apart.", result.Output[0]);
        Assert.True((int)result.Output[1]! >= 3);
        Assert.Equal("True (ByPropertyName)", result.Output[2]);
        var about = Shell.Run("Get-Help about_ReasonTools | Out-String");
        Assert.Contains("Invoke-Reason", (string)about.Output.Single()!, StringComparison.Ordinal);
    }

    [Fact]
    public void WhatIf_prints_the_exact_prompt_with_piped_lines_as_one_document_and_runs_nothing()
    {
        var model = SyntheticModels.GetFile(ScriptKind.ClosedChain);
        var before = Shell.Host.Written.Length;
        var result = Shell.Run($"'line one', 'ERROR disk full' | Invoke-Reason 'Why did it fail?' -Model {Quote(model)} -WhatIf");
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        var written = Shell.Host.Written[before..];
        Assert.Contains($"What if: Run {Path.GetFileName(model)} on this prompt:", written, StringComparison.Ordinal);
        Assert.Contains("Why did it fail?\n\ninput:\n```\nline one\nERROR disk full\n```", written, StringComparison.Ordinal);
        Assert.Contains("<｜Assistant｜>", written, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_piped_from_Get_ChildItem_are_read_by_path_and_an_unreadable_one_is_a_non_terminating_error()
    {
        var folder = Directory.CreateTempSubdirectory("reasontools-logs-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "a.log"), "alpha failed");
            File.WriteAllText(Path.Combine(folder, "b.log"), "beta ok");
            var model = SyntheticModels.GetFile(ScriptKind.ClosedChain);
            var before = Shell.Host.Written.Length;
            var result = Shell.Run($"Get-ChildItem {Quote(folder)} -Filter *.log | Invoke-Reason 'Which failed?' -Model {Quote(model)} -WhatIf; " +
                                   $"Invoke-Reason 'Which failed?' -Path {Quote(Path.Combine(folder, "a.log"))}, {Quote(Path.Combine(folder, "missing.log"))} -Model {Quote(model)} -WhatIf");
            var written = Shell.Host.Written[before..];
            Assert.Contains("a.log:\n```\nalpha failed\n```\n\nb.log:\n```\nbeta ok\n```", written, StringComparison.Ordinal);
            var error = Assert.Single(result.Errors);
            Assert.Equal("InputFileUnreadable,ReasonTools.PowerShell.InvokeReasonCommand", error.FullyQualifiedErrorId);
            Assert.Contains("missing.log", error.TargetObject?.ToString(), StringComparison.Ordinal);
            Assert.Equal(2, Count(written, "What if:"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Stopping_the_pipeline_cancels_generation_and_the_next_call_streams_and_returns_its_result()
    {
        var never = SyntheticModels.GetFile(ScriptKind.NeverCloses);
        var firstToken = new ManualResetEventSlim();
        void OnWrite(string _) => firstToken.Set();
        Shell.Host.OnWrite += OnWrite;
        RunResult stopped;
        try
        {
            stopped = Shell.Run($"Invoke-Reason 'Think forever.' -Model {Quote(never)} -ShowThinking -ContextSize 512", shell =>
            {
                Assert.True(firstToken.Wait(TimeSpan.FromMinutes(2)), "no token was streamed");
                shell.Stop();
            });
        }
        finally
        {
            Shell.Host.OnWrite -= OnWrite;
        }
        Assert.Empty(stopped.Output);

        // The next call works, and shows what a normal run gives: the result, the streamed answer, progress.
        var model = SyntheticModels.Get(ScriptKind.ClosedChain);
        var before = Shell.Host.Written.Length;
        var result = Shell.Run($"Invoke-Reason {Quote(model.Question)} -Model {Quote(SyntheticModels.GetFile(ScriptKind.ClosedChain))} -Stream -Temperature 0 -ContextSize 512");
        Assert.Empty(result.Errors);
        var answer = Assert.IsType<ReasonResult>(Assert.Single(result.Output));
        Assert.Equal("5", answer.FinalAnswer);
        Assert.Equal(FinishReason.Stop, answer.FinishReason);
        Assert.Contains("The answer is \\boxed{5}.", Shell.Host.Written[before..], StringComparison.Ordinal);
        Assert.DoesNotContain("Two plus three", Shell.Host.Written[before..], StringComparison.Ordinal); // the chain only with -ShowThinking
        Assert.Contains(result.Progress, p => p.StatusDescription.StartsWith("Loading", StringComparison.Ordinal));
        Assert.Contains(result.Progress, p => p.StatusDescription == "Processing the prompt");
        Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
    }

    [Theory]
    [InlineData("Invoke-Reason 'q' -Model ./no-such-model.gguf", "ModelNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("Invoke-Reason 'q' -Model 32b", "ModelNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("Invoke-Reason 'q'", "ModelNotSpecified", ErrorCategory.InvalidArgument)]
    [InlineData("Compare-ReasonModel -Size 7B -Prompt 'q'", "ModelNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("Compare-ReasonModel -Model ./a.gguf -PromptSet ./no-such-set.json", "InvalidPromptSet", ErrorCategory.InvalidData)]
    [InlineData("Get-ReasonHardware -Model 99b", "UnknownModel", ErrorCategory.ObjectNotFound)]
    [InlineData("'text' | Export-ReasonReport -Path ./never-written.html", "NothingToReport", ErrorCategory.InvalidArgument)]
    public void Failures_are_error_records_with_an_id_a_category_and_a_recommended_action(string script, string id, ErrorCategory category)
    {
        var result = Shell.Run(script);
        var error = result.Errors[^1];
        Assert.StartsWith(id + ",", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(category, error.CategoryInfo.Category);
        Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction), $"{id} has no recommended action");
    }

    [Fact]
    public void An_invalid_model_file_is_reported_as_InvalidGguf_with_the_file_as_target()
    {
        var notAModel = Path.Combine(Path.GetTempPath(), $"reasontools-not-a-model-{Environment.ProcessId}.gguf");
        File.WriteAllText(notAModel, "this is a log file, not a model");
        try
        {
            var error = Shell.Run($"Invoke-Reason 'q' -Model {Quote(notAModel)}").Errors.Single();
            Assert.StartsWith("InvalidGguf,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
            Assert.Equal(notAModel, error.TargetObject);
        }
        finally
        {
            File.Delete(notAModel);
        }
    }

    [Fact]
    public void Compare_ReasonModel_writes_a_row_per_model_and_prompt_then_a_summary_per_model()
    {
        var model = SyntheticModels.Get(ScriptKind.ClosedChain);
        var file = SyntheticModels.GetFile(ScriptKind.ClosedChain);
        var result = Shell.Run($"Compare-ReasonModel -Model {Quote(file)}, ./missing.gguf " +
                               $"-Prompt {Quote(model.Question)} -Temperature 0 -ContextSize 512");
        Assert.Empty(result.Errors);
        Assert.Collection(result.Output,
            row => Assert.Equal("5", Assert.IsType<ComparisonRow>(row).FinalAnswer),
            row => Assert.Contains("could not run", Assert.IsType<ComparisonRow>(row).Note, StringComparison.Ordinal),
            summary => Assert.Equal(Path.GetFileNameWithoutExtension(file), Assert.IsType<ComparisonSummary>(summary).Model),
            summary => Assert.Equal("missing", Assert.IsType<ComparisonSummary>(summary).Model));
        Assert.Contains(result.Progress, p => p.Activity == "Compare-ReasonModel" && p.PercentComplete == 50);
    }

    [Fact]
    public void Get_ReasonHardware_returns_the_report_or_one_verdict()
    {
        var report = Shell.Run("Get-ReasonHardware");
        Assert.Empty(report.Errors);
        var hardware = Assert.IsType<HardwareReport>(Assert.Single(report.Output));
        Assert.NotEmpty(hardware.Models);

        var verdict = Shell.Run("Get-ReasonHardware -Model 1.5B -Quantization Q8_0");
        Assert.Empty(verdict.Errors);
        var answer = Assert.IsType<ModelVerdict>(Assert.Single(verdict.Output));
        Assert.Equal("DeepSeek-R1-Distill-Qwen-1.5B", answer.Model);
        Assert.Equal("Q8_0", answer.Quantization);
        Assert.True(answer.RequiredGB > 1);
        Assert.False(string.IsNullOrWhiteSpace(answer.Verdict));
    }

    [Fact]
    public void Export_ReasonReport_writes_one_html_file_and_passes_its_FileInfo()
    {
        var path = Path.Combine(Path.GetTempPath(), $"reasontools-report-{Environment.ProcessId}.html");
        try
        {
            var result = Shell.Run($"Get-ReasonHardware | Export-ReasonReport -Path {Quote(path)} -Title 'Machine check' -PassThru");
            Assert.Empty(result.Errors);
            Assert.Equal(path, Assert.IsType<FileInfo>(Assert.Single(result.Output)).FullName);
            var html = File.ReadAllText(path);
            Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("Machine check", html, StringComparison.Ordinal);

            var whatIf = Shell.Run($"Remove-Item {Quote(path)}; Get-ReasonHardware | Export-ReasonReport -Path {Quote(path)} -WhatIf");
            Assert.Empty(whatIf.Errors);
            Assert.False(File.Exists(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Tab_completion_of_Model_offers_catalog_sizes()
    {
        var result = Shell.Run("(TabExpansion2 -inputScript 'Invoke-Reason -Model 3' -cursorColumn 22).CompletionMatches.CompletionText");
        Assert.Empty(result.Errors);
        Assert.Contains("32b", result.Output.Cast<string>());

        var hardware = Shell.Run("(TabExpansion2 -inputScript 'Get-ReasonHardware -Model 1' -cursorColumn 27).CompletionMatches.CompletionText");
        Assert.Equal(["1.5b", "14b"], hardware.Output.Cast<string>());
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}

/// <summary>One hosted PowerShell for all tests of the collection (opening a runspace takes a second or two).</summary>
public sealed class HostedFixture : IDisposable
{
    internal HostedPowerShell Shell { get; } = new();

    public void Dispose() => Shell.Dispose();
}

[CollectionDefinition(Name)]
public sealed class HostedCollection : ICollectionFixture<HostedFixture>
{
    public const string Name = "Hosted PowerShell";
}
