using System.Management.Automation;
using System.Text;
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
    public void Import_Module_exposes_the_nine_cmdlets()
    {
        var result = Shell.Run("Get-Command -Module ReasonTools | Sort-Object Name | ForEach-Object Name");
        Assert.Empty(result.Errors);
        Assert.Equal(["Compare-ReasonModel", "Export-ReasonReport", "Get-ReasonBackend", "Get-ReasonHardware", "Get-ReasonModel", "Install-ReasonBackend", "Invoke-Reason", "Save-ReasonModel", "Stop-ReasonModel"],
            result.Output.Cast<string>());
    }

    [Fact]
    public void The_manifest_passes_Test_ModuleManifest()
    {
        var result = Shell.Run($"(Test-ModuleManifest {Quote(TestPaths.Manifest)} -ErrorAction Stop).ExportedCmdlets.Keys | Sort-Object");
        Assert.Empty(result.Errors);
        Assert.Equal(9, result.Output.Count);
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
        // Unloaded first: an earlier test may have left the model resident, and this run must show its loading.
        var result = Shell.Run($"Stop-ReasonModel; Invoke-Reason {Quote(model.Question)} -Model {Quote(SyntheticModels.GetFile(ScriptKind.ClosedChain))} -Stream -Temperature 0 -ContextSize 512");
        Assert.Empty(result.Errors);
        var answer = Assert.IsType<ReasonResult>(Assert.Single(result.Output));
        Assert.Equal("5", answer.FinalAnswer);
        Assert.Equal(FinishReason.Stop, answer.FinishReason);
        Assert.Contains("The answer is \\boxed{5}.", Shell.Host.Written[before..], StringComparison.Ordinal);
        Assert.DoesNotContain("Two plus three", Shell.Host.Written[before..], StringComparison.Ordinal); // the chain only with -ShowThinking
        Assert.Contains(result.Progress, p => p.StatusDescription.StartsWith("Loading", StringComparison.Ordinal));
        Assert.Contains(result.Progress, p => p.StatusDescription.StartsWith("Processing the prompt: ", StringComparison.Ordinal));
        Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);
    }

    [Fact]
    public void Draft_gives_the_models_own_greedy_text_and_the_result_carries_the_draft_counts()
    {
        var model = SyntheticModels.Get(ScriptKind.ClosedChain);
        var file = Quote(SyntheticModels.GetFile(ScriptKind.ClosedChain));
        var draft = Quote(SyntheticModels.GetDraftFile(ScriptKind.ClosedChain, 0));

        var result = Shell.Run($"Invoke-Reason {Quote(model.Question)} -Model {file} -Temperature 0 -ContextSize 512 -KeepAlive 0 -Draft None; " +
                               $"Invoke-Reason {Quote(model.Question)} -Model {file} -Temperature 0 -ContextSize 512 -KeepAlive 0 -Draft {draft}");

        Assert.Empty(result.Errors);
        var plain = Assert.IsType<ReasonResult>(result.Output[0]);
        var drafted = Assert.IsType<ReasonResult>(result.Output[1]);
        Assert.Equal(plain.Thinking, drafted.Thinking);
        Assert.Equal(plain.Answer, drafted.Answer);
        Assert.Null(plain.Timings.DraftModel);
        Assert.StartsWith("ReasonTools Synthetic R1", drafted.Timings.DraftModel);
        Assert.True(drafted.Timings.DraftedTokens > 0);
        Assert.Equal(drafted.Timings.DraftedTokens, drafted.Timings.AcceptedDraftTokens);
    }

    [Theory]
    [InlineData("Invoke-Reason 'q' -Model ./no-such-model.gguf", "ModelNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("Invoke-Reason 'q' -Model 32b", "ModelNotDownloaded", ErrorCategory.ObjectNotFound)]
    [InlineData("Invoke-Reason 'q' -Model no-such-model", "UnknownModel", ErrorCategory.ObjectNotFound)]
    [InlineData("Invoke-Reason 'q'", "ModelNotDownloaded", ErrorCategory.ObjectNotFound)]
    [InlineData("Save-ReasonModel 99b -WhatIf", "UnknownModel", ErrorCategory.ObjectNotFound)]
    [InlineData("Save-ReasonModel 70B -Quantization F16 -WhatIf", "InvalidArgument", ErrorCategory.InvalidArgument)]
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
        var error = Assert.Single(result.Errors);
        Assert.Equal("missing", error.TargetObject);
        Assert.Collection(result.Output,
            row => Assert.Equal("5", Assert.IsType<ComparisonRow>(row).FinalAnswer),
            row => Assert.True(Assert.IsType<ComparisonRow>(row).NotRun),
            summary => Assert.Equal(Path.GetFileNameWithoutExtension(file), Assert.IsType<ComparisonSummary>(summary).Model),
            summary => Assert.Contains("could not run", Assert.IsType<ComparisonSummary>(summary).NotRunReason, StringComparison.Ordinal));
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
    public void Get_ReasonHardware_Model_words_the_verdict_as_reason_hardware_does_and_takes_size_quantization_names()
    {
        var run = Shell.Run("Get-ReasonHardware -Model 32b-q8_0");
        Assert.Empty(run.Errors);
        var answer = Assert.IsType<ModelVerdict>(Assert.Single(run.Output));

        Assert.Equal("DeepSeek-R1-Distill-Qwen-32B", answer.Model);
        Assert.Equal("Q8_0", answer.Quantization);
        Assert.Matches(@"^(No|Yes|Yes, slowly): DeepSeek-R1-Distill-Qwen-32B Q8_0 ", answer.Verdict);
        Assert.Contains("this machine allows (90% of ", answer.Verdict);
        Assert.Equal(answer.CanRun ? answer.Recommended ? FitVerdict.Fits : FitVerdict.Slow : FitVerdict.DoesNotFit, answer.Fit);
        Assert.Equal(answer.Fit == FitVerdict.DoesNotFit, answer.Verdict.StartsWith("No:", StringComparison.Ordinal));
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

    /// <summary>Copies the synthetic model into the fake model folder under <paramref name="fileName"/> for the duration of a test.</summary>
    private sealed class PlacedModel : IDisposable
    {
        public PlacedModel(string folder, string fileName)
        {
            Path = System.IO.Path.Combine(folder, fileName);
            File.Copy(SyntheticModels.GetFile(ScriptKind.ClosedChain), Path, overwrite: true);
        }

        public string Path { get; }

        public void Dispose() => File.Delete(Path);
    }

    [Fact]
    public void Get_ReasonModel_lists_what_the_locator_finds_filters_by_name_and_warns_about_unreadable_files()
    {
        using var model = new PlacedModel(fixture.ModelFolder, "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf");
        var broken = Path.Combine(fixture.ModelFolder, "broken.gguf");
        File.WriteAllText(broken, "not a model");
        try
        {
            var result = Shell.Run("Get-ReasonModel -Verbose");
            Assert.Empty(result.Errors);
            var entry = Assert.IsType<Core.Models.ModelListingEntry>(Assert.Single(result.Output));
            Assert.Equal(model.Path, entry.Path);
            Assert.Equal(new FileInfo(model.Path).Length, entry.SizeBytes);
            Assert.Equal("configured", entry.Source);
            Assert.NotNull(entry.CanRun);
            Assert.Contains(result.Warnings, w => w.Contains("broken.gguf", StringComparison.Ordinal));
            Assert.Contains(result.Verbose, v => v.Contains(fixture.ModelFolder, StringComparison.Ordinal));

            Assert.Single(Shell.Run("Get-ReasonModel -Name *1.5b-q4_k_m*, nothing").Output);
            Assert.Empty(Shell.Run("Get-ReasonModel *7B*").Output);
            var table = (string)Shell.Run("Get-ReasonModel | Format-Table | Out-String -Width 300").Output.Single()!;
            Assert.Contains("Size(GB)", table, StringComparison.Ordinal);
            Assert.Contains(model.Path, table, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    [Fact]
    public void A_model_found_by_the_locator_runs_by_name_and_Invoke_Reason_without_Model_picks_one()
    {
        using var model = new PlacedModel(fixture.ModelFolder, "tiny-closed-chain-Q4_K_M.gguf");
        var before = Shell.Host.Written.Length;
        var named = Shell.Run("Invoke-Reason 'Why?' -Model tiny-closed-chain-Q4_K_M -WhatIf");
        Assert.Empty(named.Errors);
        Assert.Contains("What if: Run tiny-closed-chain-Q4_K_M.gguf on this prompt:", Shell.Host.Written[before..], StringComparison.Ordinal);

        using var distill = new PlacedModel(fixture.ModelFolder, "DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf");
        before = Shell.Host.Written.Length;
        var best = Shell.Run("Invoke-Reason 'Why?' -WhatIf -Verbose");
        Assert.Empty(best.Errors);
        Assert.Contains(best.Verbose, v => v.StartsWith($"Using {distill.Path} (", StringComparison.Ordinal));
        Assert.Contains("What if: Run DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf on this prompt:", Shell.Host.Written[before..], StringComparison.Ordinal);
    }

    [Fact]
    public void Compare_ReasonModel_Size_not_on_this_machine_writes_an_error_and_a_not_run_summary_that_say_how_to_download_it()
    {
        var result = Shell.Run("Compare-ReasonModel -Size 7B -Prompt 'q'");
        var error = Assert.Single(result.Errors);
        Assert.Contains("Save-ReasonModel -Model 7B", error.ToString(), StringComparison.Ordinal);
        var row = Assert.IsType<ComparisonRow>(result.Output[0]);
        Assert.Equal("R1-Qwen-7B", row.Model);
        Assert.Null(row.Note);
        var summary = Assert.IsType<ComparisonSummary>(result.Output[^1]);
        Assert.Null(summary.Accuracy);
        Assert.Contains("could not run", summary.NotRunReason, StringComparison.Ordinal);
        Assert.Contains("not on this machine", summary.NotRunReason, StringComparison.Ordinal);
        Assert.Contains("Save-ReasonModel -Model 7B", summary.NotRunReason, StringComparison.Ordinal);
    }

    [Fact]
    public void Save_ReasonModel_WhatIf_names_the_model_its_size_and_the_folder_and_downloads_nothing()
    {
        var folder = Path.Combine(fixture.ModelFolder, "..", "save-target");
        var before = Shell.Host.Written.Length;
        var result = Shell.Run($"Save-ReasonModel deepseek-r1:7b -Quantization Q8_0 -Path {Quote(folder)} -WhatIf");
        Assert.Empty(result.Errors);
        Assert.Empty(result.Output);
        var written = Shell.Host.Written[before..];
        Assert.Contains("What if: Download DeepSeek-R1-Distill-Qwen-7B Q8_0 (", written, StringComparison.Ordinal);
        Assert.Contains(Path.GetFullPath(folder), written, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
    }

    private static FakeModelHub Hub(out Core.Models.CatalogFile file, out byte[] content, string? listedSha256 = null, int? stallAfterBytes = null)
    {
        file = Core.Models.ModelCatalog.Get("1.5b").Model.File("Q4_K_M")!;
        content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("not really a model, but bytes to download. ", 2000)));
        return new FakeModelHub(file.Repository, new Dictionary<string, (byte[], string?)> { [file.FileNames.Single()] = (content, listedSha256) })
        {
            StallAfterBytes = stallAfterBytes,
        };
    }

    private void WithEndpoint(Uri endpoint, Action test)
    {
        var saved = Environment.GetEnvironmentVariable("HF_ENDPOINT");
        Environment.SetEnvironmentVariable("HF_ENDPOINT", endpoint.ToString());
        try
        {
            test();
        }
        finally
        {
            Environment.SetEnvironmentVariable("HF_ENDPOINT", saved);
        }
    }

    [Fact]
    public void Save_ReasonModel_downloads_with_progress_writes_the_DownloadedModel_and_does_not_download_twice()
    {
        using var hub = Hub(out var file, out var content);
        var folder = Directory.CreateTempSubdirectory("reasontools-save-").FullName;
        try
        {
            WithEndpoint(hub.Url, () =>
            {
                var result = Shell.Run($"Save-ReasonModel 1.5B -Path {Quote(folder)}");
                Assert.Empty(result.Errors);
                var saved = Assert.IsType<Core.Models.DownloadedModel>(Assert.Single(result.Output));
                Assert.Equal(Path.Combine(folder, file.FileNames.Single()), saved.Path);
                Assert.False(saved.AlreadyPresent);
                Assert.Equal(content, File.ReadAllBytes(saved.Path));
                Assert.Contains(result.Progress, p => p.Activity == "Save-ReasonModel" && p.StatusDescription.Contains(" of ", StringComparison.Ordinal)
                                                      && p.CurrentOperation == file.FileNames.Single());
                Assert.Equal(ProgressRecordType.Completed, result.Progress[^1].RecordType);

                var again = Shell.Run($"Save-ReasonModel 1.5B -Path {Quote(folder)}");
                Assert.True(Assert.IsType<Core.Models.DownloadedModel>(Assert.Single(again.Output)).AlreadyPresent);
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Stopping_Save_ReasonModel_cancels_the_download_and_keeps_the_partial_file_for_resuming()
    {
        using var hub = Hub(out var file, out _, stallAfterBytes: 4096);
        var folder = Directory.CreateTempSubdirectory("reasontools-save-").FullName;
        var part = Path.Combine(folder, file.FileNames.Single()) + Core.Models.ModelDownloader.PartialSuffix;
        try
        {
            WithEndpoint(hub.Url, () =>
            {
                var sawPart = false;
                var result = Shell.Run($"Save-ReasonModel 1.5B -Path {Quote(folder)}", shell =>
                {
                    // Stop once the download has started writing, as Ctrl+C would.
                    sawPart = SpinWait.SpinUntil(() => File.Exists(part), TimeSpan.FromSeconds(30));
                    shell.Stop();
                });
                Assert.True(sawPart, "the download never wrote its partial file");
                Assert.NotNull(result.Stopped);
                Assert.Empty(result.Output);
                Assert.True(File.Exists(part));
                Assert.False(File.Exists(Path.Combine(folder, file.FileNames.Single())));
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Save_ReasonModel_reports_a_damaged_download_as_ChecksumMismatch_and_keeps_no_file()
    {
        using var hub = Hub(out var file, out _, listedSha256: new string('0', 64));
        var folder = Directory.CreateTempSubdirectory("reasontools-save-").FullName;
        try
        {
            WithEndpoint(hub.Url, () =>
            {
                var error = Shell.Run($"Save-ReasonModel 1.5B -Path {Quote(folder)}").Errors.Single();
                Assert.StartsWith("ChecksumMismatch,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
                Assert.False(string.IsNullOrWhiteSpace(error.ErrorDetails?.RecommendedAction));
                Assert.False(File.Exists(Path.Combine(folder, file.FileNames.Single())));
            });
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int Count(string text, string part) => (text.Length - text.Replace(part, "", StringComparison.Ordinal).Length) / part.Length;
}

/// <summary>
/// One hosted PowerShell for all tests of the collection (opening a runspace takes a second or two), with the model
/// locator pointed at an empty temporary tree instead of this machine's model folders, so that what the cmdlets find
/// is what a test puts in <see cref="ModelFolder"/>.
/// </summary>
public sealed class HostedFixture : IDisposable
{
    private static readonly string[] ModelVariables =
        ["REASONTOOLS_MODELS", "REASONTOOLS_SETTINGS", "XDG_DATA_HOME", "OLLAMA_MODELS", "HF_HUB_CACHE", "HF_HOME"];

    private readonly Dictionary<string, string?> _saved = ModelVariables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
    private readonly string _root = Directory.CreateTempSubdirectory("reasontools-pshome-").FullName;

    public HostedFixture()
    {
        ModelFolder = Path.Combine(_root, "models");
        Directory.CreateDirectory(ModelFolder);
        Environment.SetEnvironmentVariable("REASONTOOLS_MODELS", ModelFolder);
        Environment.SetEnvironmentVariable("REASONTOOLS_SETTINGS", Path.Combine(_root, "settings.json"));
        Environment.SetEnvironmentVariable("XDG_DATA_HOME", Path.Combine(_root, "data"));
        Environment.SetEnvironmentVariable("OLLAMA_MODELS", Path.Combine(_root, "ollama"));
        Environment.SetEnvironmentVariable("HF_HUB_CACHE", Path.Combine(_root, "hf"));
        Environment.SetEnvironmentVariable("HF_HOME", null);
        Shell = new HostedPowerShell();
    }

    internal HostedPowerShell Shell { get; }

    /// <summary>The folder $env:REASONTOOLS_MODELS names; empty unless a test puts a model there (and takes it out again).</summary>
    public string ModelFolder { get; }

    public void Dispose()
    {
        Shell.Dispose();
        foreach (var (name, value) in _saved) Environment.SetEnvironmentVariable(name, value);
        Directory.Delete(_root, recursive: true);
    }
}

[CollectionDefinition(Name)]
public sealed class HostedCollection : ICollectionFixture<HostedFixture>
{
    public const string Name = "Hosted PowerShell";
}
