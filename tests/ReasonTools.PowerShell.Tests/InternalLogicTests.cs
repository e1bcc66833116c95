using System.Management.Automation;
using System.Runtime.CompilerServices;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Gguf;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Models;
using ReasonTools.Core.Native;
using ReasonTools.PowerShell.Internal;

namespace ReasonTools.PowerShell.Tests;

public sealed class PipelineDocumentsTests
{
    [Fact]
    public void Piped_lines_become_one_document_in_order()
    {
        var documents = new PipelineDocuments();
        foreach (var line in new[] { "first", "", "ERROR disk full", "last" }) documents.AddLine(line);
        var document = Assert.Single(documents.ToDocuments());
        Assert.Equal(PipelineDocuments.PipedTextName, document.Name);
        Assert.Equal("first\n\nERROR disk full\nlast", document.Text);
    }

    [Fact]
    public void Files_are_kept_in_arrival_order_once_each_apart_from_piped_text()
    {
        var documents = new PipelineDocuments();
        documents.AddFile("/var/log/b.log");
        documents.AddFile("/var/log/a.log");
        documents.AddFile("/var/log/b.log");
        Assert.Equal(["/var/log/b.log", "/var/log/a.log"], documents.Files);
        Assert.Empty(documents.ToDocuments());
    }

    [Fact]
    public void Nothing_piped_gives_no_document_and_null_lines_are_ignored()
    {
        var documents = new PipelineDocuments();
        documents.AddLine(null);
        Assert.Empty(documents.ToDocuments());
    }
}

public sealed class UpdatePumpTests
{
    private static async IAsyncEnumerable<int> Numbers(int count, Exception? failAtEnd, [EnumeratorCancellation] CancellationToken ct = default)
    {
        for (var i = 0; i < count; i++)
        {
            ct.ThrowIfCancellationRequested();
            await Task.Yield();
            yield return i;
        }
        if (failAtEnd is not null) throw failAtEnd;
    }

    [Fact]
    public void Items_arrive_on_the_draining_thread_in_order()
    {
        var drainingThread = Environment.CurrentManagedThreadId;
        var threads = new HashSet<int>();
        using var pump = UpdatePump<int>.Start(ct => Numbers(200, null, ct), CancellationToken.None);
        var items = new List<int>();
        foreach (var item in pump.Drain())
        {
            threads.Add(Environment.CurrentManagedThreadId);
            items.Add(item);
        }
        Assert.Equal(Enumerable.Range(0, 200), items);
        Assert.Equal([drainingThread], threads);
    }

    [Fact]
    public void The_workers_exception_is_rethrown_after_the_items_before_it()
    {
        using var pump = UpdatePump<int>.Start(ct => Numbers(3, new GgufFormatException(0, "bad magic"), ct), CancellationToken.None);
        var items = new List<int>();
        var error = Assert.Throws<GgufFormatException>(() => { foreach (var i in pump.Drain()) items.Add(i); });
        Assert.Equal([0, 1, 2], items);
        Assert.Contains("bad magic", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stopping_ends_the_drain_with_a_cancellation()
    {
        using var stop = new CancellationTokenSource();
        using var pump = UpdatePump<int>.Start(ct => Numbers(int.MaxValue, null, ct), stop.Token);
        var seen = 0;
        Assert.ThrowsAny<OperationCanceledException>(() =>
        {
            foreach (var _ in pump.Drain())
                if (++seen == 5) stop.Cancel();
        });
        Assert.True(seen >= 5);
    }

    [Fact]
    public void Disposing_cancels_the_worker_and_waits_for_it()
    {
        var finished = false;
        async IAsyncEnumerable<int> Endless([EnumeratorCancellation] CancellationToken ct = default)
        {
            try
            {
                while (true)
                {
                    await Task.Delay(1, ct);
                    yield return 1;
                }
            }
            finally
            {
                finished = true;
            }
        }
        var pump = UpdatePump<int>.Start(Endless, CancellationToken.None);
        using (var items = pump.Drain().GetEnumerator()) Assert.True(items.MoveNext());
        pump.Dispose();
        Assert.True(finished);
    }
}

public sealed class ReasonErrorsTests
{
    [Theory]
    [InlineData("ModelNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("InvalidGguf", ErrorCategory.InvalidData)]
    [InlineData("NativeLibraryMissing", ErrorCategory.NotInstalled)]
    [InlineData("PromptTooLong", ErrorCategory.LimitsExceeded)]
    [InlineData("LogBudget", ErrorCategory.LimitsExceeded)]
    [InlineData("InvalidPromptSet", ErrorCategory.InvalidData)]
    [InlineData("ModelLoadFailed", ErrorCategory.InvalidData)]
    [InlineData("OperationCancelled", ErrorCategory.OperationStopped)]
    [InlineData("UnknownModel", ErrorCategory.ObjectNotFound)]
    [InlineData("ModelNotDownloaded", ErrorCategory.ObjectNotFound)]
    [InlineData("AmbiguousModel", ErrorCategory.InvalidArgument)]
    [InlineData("ModelFileNotFound", ErrorCategory.ObjectNotFound)]
    [InlineData("ChecksumMismatch", ErrorCategory.InvalidResult)]
    [InlineData("InsufficientDiskSpace", ErrorCategory.ResourceUnavailable)]
    [InlineData("DownloadFailed", ErrorCategory.ConnectionError)]
    [InlineData("InvalidArgument", ErrorCategory.InvalidArgument)]
    [InlineData("InvalidRemoteModel", ErrorCategory.InvalidArgument)]
    [InlineData("RemoteUnreachable", ErrorCategory.ConnectionError)]
    [InlineData("RemoteKeyRejected", ErrorCategory.PermissionDenied)]
    [InlineData("ReadError", ErrorCategory.ReadError)]
    public void Each_core_failure_has_its_own_id_and_category(string id, ErrorCategory category)
    {
        Exception error = id switch
        {
            "ModelNotFound" => new Core.Models.ModelFileNotFoundException("/m.gguf", "Model file not found: /m.gguf"),
            "InvalidGguf" => new GgufFormatException(0, "bad magic"),
            "NativeLibraryMissing" => new LlamaNativeLibraryException("libllama not found"),
            "PromptTooLong" => new PromptTooLongException(5000, 4096),
            "LogBudget" => new Core.Logs.LogBudgetException("The question and instructions alone take 965 tokens."),
            "InvalidPromptSet" => new PromptSetException("math.json", 3, "prompts[0].grader", "is not a grader"),
            "ModelLoadFailed" => new ModelLoadException("llama.cpp refused the file"),
            "OperationCancelled" => new OperationCanceledException(),
            "UnknownModel" => new Core.Models.UnknownModelException("99b"),
            "ModelNotDownloaded" => NotDownloaded("32b", null),
            "AmbiguousModel" => new Core.Models.AmbiguousModelException("7b", [Local("/a/7b-Q4_K_M.gguf", "Q4_K_M"), Local("/b/7b-Q8_0.gguf", "Q8_0")]),
            "ModelFileNotFound" => new Core.Models.RemoteFileNotFoundException(new Uri("https://huggingface.co/x/y"), "404 for x/y"),
            "ChecksumMismatch" => new Core.Models.ChecksumMismatchException("m.gguf", "aa", "bb"),
            "InsufficientDiskSpace" => new Core.Models.InsufficientDiskSpaceException("/models", 5_000_000_000, 1_000_000_000),
            "DownloadFailed" => new Core.Models.ModelDownloadException("connection reset"),
            "InvalidRemoteModel" => new Core.Remote.RemoteModelException(Core.Remote.RemoteErrorKind.InvalidReference, "no '#model'"),
            "RemoteUnreachable" => new Core.Remote.RemoteModelException(Core.Remote.RemoteErrorKind.Unreachable, "connection refused"),
            "RemoteKeyRejected" => new Core.Remote.RemoteModelException(Core.Remote.RemoteErrorKind.KeyRejected, "401"),
            "ReadError" => new IOException("disk gone"),
            _ => new Core.ReasonFailure(Core.FailureKind.BadInput, "The prompt is empty.") { Setting = Core.SettingNames.Prompt },
        };
        var spec = ReasonErrors.Classify(error);
        Assert.Equal(id == "LogBudget" ? "PromptTooLong" : id, spec.Id);
        Assert.Equal(category, spec.Category);
        Assert.False(string.IsNullOrWhiteSpace(spec.RecommendedAction));
    }

    private static Core.Models.ModelNotDownloadedException NotDownloaded(string size, string? quantization) =>
        new(size, Core.Models.ModelCatalog.Get(size).Model, quantization, []);

    private static Core.Models.LocalModel Local(string path, string quantization) =>
        new(Core.Models.ModelCatalog.Get("7b").Model.Name, path, Core.Models.ModelSource.Path, null, "qwen2", 7_000_000_000, quantization,
            131072, 4_000_000_000, [path], true, Core.Models.ModelCatalog.Get("7b").Model, null);

    [Theory]
    [InlineData(null, "Save-ReasonModel -Model 32B")]
    [InlineData("Q8_0", "Save-ReasonModel -Model 32B -Quantization Q8_0")]
    [InlineData("q4_k_m", "Save-ReasonModel -Model 32B")]
    public void A_model_that_is_not_downloaded_recommends_the_Save_ReasonModel_to_run(string? quantization, string command)
    {
        var spec = ReasonErrors.Classify(NotDownloaded("32b", quantization));
        Assert.Equal("ModelNotDownloaded", spec.Id);
        Assert.Contains(command, spec.RecommendedAction, StringComparison.Ordinal);
        Assert.Contains(command, spec.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("reason pull", spec.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void No_runnable_local_model_names_the_download_in_PowerShell_words()
    {
        var catalog = Core.Models.ModelCatalog.Get("1.5b").Model;
        var q8 = Core.Models.ModelCandidate.FromCatalog(catalog, catalog.File("Q8_0")!);
        var download = new Core.Models.ModelChoice(q8, Core.Models.FitEstimator.Estimate(q8.Spec, Core.Models.MachineProfile.CpuOnly(16_000_000_000, 60)), true, "fits");
        var spec = ReasonErrors.Classify(new Core.Models.NoRunnableModelException(0, download));
        Assert.Equal("ModelNotDownloaded", spec.Id);
        Assert.Equal(ErrorCategory.ObjectNotFound, spec.Category);
        Assert.Contains("Save-ReasonModel -Model 1.5B -Quantization Q8_0,", spec.Message, StringComparison.Ordinal);
        Assert.Contains("pass -Model with", spec.Message, StringComparison.Ordinal);
        Assert.Contains("Save-ReasonModel -Model 1.5B -Quantization Q8_0", spec.RecommendedAction, StringComparison.Ordinal);
    }

    [Fact]
    public void Failures_name_the_modules_parameters_not_the_CLIs_options()
    {
        var tooLong = ReasonErrors.Classify(new PromptTooLongException(5000, 4096));
        Assert.Contains("(-ContextSize)", tooLong.Message, StringComparison.Ordinal);
        var disk = ReasonErrors.Classify(new Core.Models.InsufficientDiskSpaceException("/models", 2, 1));
        Assert.Contains("with -Path", disk.Message, StringComparison.Ordinal);
        var quantization = ReasonErrors.Classify(new Core.ReasonFailure(Core.FailureKind.BadInput, "7B has no Q3_K file.") { Setting = Core.SettingNames.Quantization });
        Assert.Equal("InvalidArgument", quantization.Id);
        Assert.Contains("-Quantization", quantization.RecommendedAction, StringComparison.Ordinal);
        Assert.All(new[] { tooLong, disk, quantization }, s => Assert.DoesNotContain("--", s.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void A_comparison_row_whose_code_was_not_run_names_AllowUnsandboxedCode()
    {
        var refusal = Core.Reasoning.Grading.Code.CodeSandboxes.Refusal("no bwrap");
        var row = new ComparisonRow { Model = "m", PromptId = "p", Note = refusal.Message, CodeRefusal = refusal };

        var note = row.WordFailure(ReasonErrors.Describe).Note;

        Assert.Contains("no sandbox is available (no bwrap); -AllowUnsandboxedCode runs generated code", note, StringComparison.Ordinal);
        Assert.DoesNotContain("--", note, StringComparison.Ordinal);
    }

    [Fact]
    public void An_ambiguous_name_lists_every_candidate()
    {
        var spec = ReasonErrors.Classify(new Core.Models.AmbiguousModelException("7b", [Local("/a/7b-Q4_K_M.gguf", "Q4_K_M"), Local("/b/7b-Q8_0.gguf", "Q8_0")]));
        Assert.Contains("/a/7b-Q4_K_M.gguf", spec.Message, StringComparison.Ordinal);
        Assert.Contains("/b/7b-Q8_0.gguf", spec.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_ids_are_PascalCase_and_distinct_across_kinds_of_failure()
    {
        Exception[] errors =
        [
            new Core.Models.ModelFileNotFoundException("/x", "x"), new GgufFormatException(0, "x"), new LlamaNativeLibraryException("x"),
            new ModelLoadException("x"), new LlamaException("x"), new PromptTooLongException(2, 1),
            new Core.ReasonFailure(Core.FailureKind.BadInput, "x"), new UnauthorizedAccessException("x"), new IOException("x"), new InvalidCastException("x"),
            new Core.Remote.RemoteModelException(Core.Remote.RemoteErrorKind.RateLimited, "x"), new Core.Remote.RemoteModelException(Core.Remote.RemoteErrorKind.ServerError, "x"),
            NotDownloaded("7b", null), new Core.Models.AmbiguousModelException("7b", []), new Core.Models.ChecksumMismatchException("m", "a", "b"),
            new Core.Models.InsufficientDiskSpaceException("/m", 2, 1), new Core.Models.RemoteFileNotFoundException(new Uri("https://h/x"), "x"),
            new Core.Models.ModelDownloadException("x"),
        ];
        var ids = errors.Select(e => ReasonErrors.Classify(e).Id).ToList();
        Assert.All(ids, id => Assert.Matches("^[A-Z][a-z]+(?:[A-Z][a-z]+)+$", id));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void The_error_record_carries_the_target_message_and_recommended_action()
    {
        var record = ReasonErrors.ToErrorRecord(new GgufFormatException(0, "bad magic"), "/models/x.gguf");
        Assert.Equal("InvalidGguf", record.FullyQualifiedErrorId);
        Assert.Equal("/models/x.gguf", record.TargetObject);
        Assert.Contains("bad magic", record.ErrorDetails.Message, StringComparison.Ordinal);
        Assert.Contains("download it again", record.ErrorDetails.RecommendedAction, StringComparison.Ordinal);
        Assert.IsType<GgufFormatException>(record.Exception);
    }
}

public sealed class ProgressTests
{
    private static ReasonUpdate Token(bool thinking) => new(ReasonUpdateKind.Token) { IsThinking = thinking, Text = "x" };

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.499, 49)]
    [InlineData(1.0, 100)]
    [InlineData(1.7, 100)]
    [InlineData(-0.2, 0)]
    [InlineData(double.NaN, 0)]
    public void Fractions_become_whole_clamped_percentages(double fraction, int percent) =>
        Assert.Equal(percent, ReasonProgress.Percent(fraction));

    [Fact]
    public void Load_and_prompt_progress_are_reported_only_when_they_change()
    {
        var progress = new ReasonProgress("r1-7b.gguf", null);
        Assert.Equal(new ProgressState("Loading r1-7b.gguf", 50), progress.Next(new ReasonUpdate(ReasonUpdateKind.LoadProgress) { Progress = 0.5 }));
        Assert.Null(progress.Next(new ReasonUpdate(ReasonUpdateKind.LoadProgress) { Progress = 0.501 }));
        Assert.Equal(new ProgressState("Processing the prompt", 10), progress.Next(new ReasonUpdate(ReasonUpdateKind.PromptProgress) { Progress = 0.1 }));
    }

    [Fact]
    public void Generation_is_reported_every_few_tokens_and_when_the_answer_starts()
    {
        var progress = new ReasonProgress("m", maxTokens: 100);
        var reports = Enumerable.Range(0, 40).Select(i => progress.Next(Token(thinking: i < 20))).ToList();
        var shown = reports.Where(r => r is not null).Select(r => r!).ToList();
        Assert.Equal(new ProgressState("Thinking: 1 token", 1), shown[0]);
        Assert.Contains(new ProgressState("Answering: 21 tokens", 21), shown);
        Assert.True(shown.Count < 8, $"{shown.Count} progress lines for 40 tokens");
    }

    [Fact]
    public void A_new_stage_of_a_long_log_is_reported_and_restarts_the_token_count()
    {
        var progress = new ReasonProgress("m", null);
        for (var i = 0; i < 5; i++) progress.Next(Token(thinking: true));
        Assert.Equal(new ProgressState("Analysing part 2 of 3 of the log", 33),
            progress.Next(new ReasonUpdate(ReasonUpdateKind.Stage) { Text = "analysing part 2 of 3 of the log", Progress = 1 / 3.0 }));
        Assert.Equal(new ProgressState("Thinking: 1 token", -1), progress.Next(Token(thinking: true)));
    }

    [Fact]
    public void Without_a_token_limit_generation_progress_has_no_percentage()
    {
        var progress = new ReasonProgress("m", null);
        Assert.Equal(-1, progress.Next(Token(thinking: true))!.PercentComplete);
    }

    [Fact]
    public void Comparison_progress_is_the_share_of_finished_cells()
    {
        var state = ComparisonProgress.Overall(new ComparisonUpdate(ComparisonUpdateKind.PromptStarted) { Model = "r1-7b", PromptId = "gsm-3", Completed = 3, Total = 12 });
        Assert.Equal(25, state.PercentComplete);
        Assert.Equal("r1-7b, prompt gsm-3 (3 of 12 done)", state.Status);
        Assert.Equal(0, ComparisonProgress.Overall(new ComparisonUpdate(ComparisonUpdateKind.ModelLoading) { Model = "m", Total = 0 }).PercentComplete);
    }
}

public sealed class TokenEchoTests
{
    private static string Render(TokenEcho echo, params (bool Thinking, string Text)[] tokens) =>
        string.Concat(tokens.SelectMany(t => echo.Token(t.Thinking, t.Text)).Concat(echo.Finish())
            .Select(s => s.Dim ? $"[{s.Text}]" : s.Text));

    [Fact]
    public void Thinking_is_dim_and_separated_from_the_answer()
    {
        var text = Render(new TokenEcho(streamAnswer: true, showThinking: true), (true, "\nadd 2 and 3"), (true, "\n"), (false, "\n\nThe answer"), (false, " is 5."));
        Assert.Equal("[add 2 and 3][\n]\nThe answer is 5.\n", text);
    }

    [Fact]
    public void Stream_alone_writes_only_the_answer()
    {
        var text = Render(new TokenEcho(streamAnswer: true, showThinking: false), (true, "secret chain"), (false, "Five."));
        Assert.Equal("Five.\n", text);
    }

    [Fact]
    public void Show_thinking_alone_writes_only_the_chain()
    {
        var text = Render(new TokenEcho(streamAnswer: false, showThinking: true), (true, "chain"), (false, "Five."));
        Assert.Equal("[chain]\n", text);
    }

    [Fact]
    public void Without_either_switch_nothing_is_written()
    {
        var echo = new TokenEcho(false, false);
        Assert.True(echo.IsSilent);
        Assert.Equal("", Render(echo, (true, "chain"), (false, "Five.")));
    }
}

public sealed class ModelReferenceTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("reasontools-completion-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Completion_offers_gguf_files_of_the_folder_then_catalog_sizes_smallest_first()
    {
        foreach (var name in new[] { "r1-7b.gguf", "r1-1.5b.gguf", "notes.txt", "7b-notes.gguf" })
            File.WriteAllText(Path.Combine(_folder, name), "");
        Assert.Equal(["7b-notes.gguf", "r1-1.5b.gguf", "r1-7b.gguf", "1.5b", "7b", "8b", "14b", "32b", "70b"], Texts(""));
        Assert.Equal(["7b-notes.gguf", "7b", "70b"], Texts("7"));
        Assert.Equal(["r1-1.5b.gguf", "r1-7b.gguf"], Texts("R1"));
    }

    [Fact]
    public void Completion_offers_the_models_the_locator_found_by_name_source_name_or_path()
    {
        var store = Directory.CreateDirectory(Path.Combine(_folder, "store")).FullName;
        var blob = Path.Combine(store, "sha256-abc");
        var fromOllama = Found("DeepSeek R1 Distill Qwen 7B", blob, ModelSource.Ollama, "deepseek-r1:7b");
        var fromFolder = Found("DeepSeek R1 Distill Qwen 1.5B", Path.Combine(store, "r1-1.5b.gguf"), ModelSource.Configured, null);
        IReadOnlyList<LocalModel> found = [fromOllama, fromFolder];

        var all = ModelReference.Complete("", _folder, found).ToList();
        Assert.Equal([fromFolder.Path, blob], all.Where(c => c.Kind == ModelCompletionKind.Found).Select(c => c.Text));
        Assert.Contains("deepseek-r1:7b", all.Single(c => c.Text == blob).Description);
        Assert.Equal([blob], Texts("deepseek-r1", found));
        Assert.Equal([fromFolder.Path], Texts("DeepSeek R1 Distill Qwen 1", found));
        Assert.Equal([blob], Texts(store + Path.DirectorySeparatorChar + "sha", found));
        // A found file that is also in the folder being completed is offered once, as the folder's file.
        var local = Found("Local", Path.Combine(_folder, "here.gguf"), ModelSource.Configured, null);
        File.WriteAllText(local.Path, "");
        Assert.Equal(["here.gguf"], Texts("here", [local]));
    }

    private List<string> Texts(string word, IReadOnlyList<LocalModel>? found = null) =>
        ModelReference.Complete(word, _folder, found ?? []).Select(c => c.Text).ToList();

    private static LocalModel Found(string name, string path, ModelSource source, string? sourceName) =>
        new(name, path, source, sourceName, "qwen2", 7_000_000_000, "Q4_K_M", 4096, 1, [path], true, null, null);

    [Fact]
    public void Completion_follows_a_folder_in_the_word()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "models"));
        File.WriteAllText(Path.Combine(_folder, "models", "big.gguf"), "");
        Assert.Equal([Path.Combine("models", "big.gguf")], Texts("models/b"));
    }

    [Fact]
    public void Completions_with_spaces_or_quotes_are_quoted()
    {
        Assert.Equal("'my model.gguf'", ModelReference.Quote("my model.gguf"));
        Assert.Equal("'it''s.gguf'", ModelReference.Quote("it's.gguf"));
        Assert.Equal("r1-7b.gguf", ModelReference.Quote("r1-7b.gguf"));
    }

    // Stands in for the model locator: "7b" is here, "32b" is not, anything else is unknown.
    private static string FakeLocal(string reference) => reference.ToLowerInvariant() switch
    {
        "7b" or "deepseek-r1:7b" => "/models/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf",
        "32b" => throw new Core.Models.ModelNotDownloadedException(reference, Core.Models.ModelCatalog.Get("32b").Model, null, []),
        _ when reference.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase) => throw new Core.Models.ModelFileNotFoundException(reference, $"Model file not found: {reference}"),
        _ => throw new Core.Models.UnknownModelException(reference),
    };

    [Theory]
    [InlineData("7b")]
    [InlineData("deepseek-r1:7b")]
    public void A_name_that_is_not_a_file_is_resolved_among_the_local_models(string value)
    {
        Assert.Equal("/models/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf", ModelReference.ResolvePath(value, p => Path.Combine(_folder, p), FakeLocal));
    }

    [Fact]
    public void A_catalog_model_that_is_not_here_is_ModelNotDownloaded_and_an_unknown_name_UnknownModel()
    {
        var missing = Assert.Throws<Core.Models.ModelNotDownloadedException>(() => ModelReference.ResolvePath("32b", p => Path.Combine(_folder, p), FakeLocal));
        Assert.Equal("ModelNotDownloaded", ReasonErrors.Classify(missing).Id);
        var unknown = Assert.Throws<Core.Models.UnknownModelException>(() => ModelReference.ResolvePath("nonsense", p => Path.Combine(_folder, p), FakeLocal));
        Assert.Equal("UnknownModel", ReasonErrors.Classify(unknown).Id);
    }

    [Fact]
    public void A_missing_file_is_reported_where_the_session_stands()
    {
        var error = Assert.Throws<Core.Models.ModelFileNotFoundException>(() => ModelReference.ResolvePath("./x.gguf", p => Path.Combine(_folder, p), FakeLocal));
        Assert.Contains(Path.Combine(_folder, "./x.gguf"), error.Message, StringComparison.Ordinal);
        Assert.Equal("ModelNotFound", ReasonErrors.Classify(error).Id);
    }

    [Theory]
    [InlineData("openai:https://api.deepseek.com/v1#deepseek-reasoner")]
    [InlineData("ollama:http://localhost:11434#deepseek-r1:7b")]
    public void A_remote_reference_passes_through_untouched(string value)
    {
        Assert.Equal(value, ModelReference.ResolvePath(value, p => Path.Combine(_folder, p), _ => throw new InvalidOperationException("searched locally")));
        Assert.DoesNotContain("#", ModelReference.DisplayName(value), StringComparison.Ordinal);
    }

    [Fact]
    public void A_local_model_is_named_by_its_file_name()
    {
        Assert.Equal("DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf", ModelReference.DisplayName("/models/DeepSeek-R1-Distill-Qwen-7B-Q4_K_M.gguf"));
    }

    [Fact]
    public void A_path_resolves_through_the_sessions_location_and_a_file_named_like_a_size_wins()
    {
        File.WriteAllText(Path.Combine(_folder, "x.gguf"), "");
        Assert.Equal(Path.Combine(_folder, "x.gguf"), ModelReference.ResolvePath("x.gguf", p => Path.Combine(_folder, p), FakeLocal));
        File.WriteAllText(Path.Combine(_folder, "7b"), "");
        Assert.Equal(Path.Combine(_folder, "7b"), ModelReference.ResolvePath("7b", p => Path.Combine(_folder, p), FakeLocal));
    }
}

public sealed class ReportContentsTests
{
    private static ComparisonRow Row(string model, string prompt, bool correct) => new()
    {
        Model = model, PromptId = prompt, Correct = correct, FinishReason = FinishReason.Stop, TokensPerSecond = 10,
    };

    [Fact]
    public void Rows_are_gathered_into_one_comparison_and_summaries_are_recomputed()
    {
        ComparisonRow[] rows = [Row("a", "p1", true), Row("b", "p1", false)];
        var contents = new ReportContents();
        foreach (var row in rows) Assert.True(contents.Add(row));
        Assert.True(contents.Add(new ComparisonSummary("a", 0.5, 1, 2, 3)));
        var expected = Reports.HtmlReport.Document("T",
            Reports.HtmlReport.Fragment(new ComparisonResult("comparison", rows, ComparisonRunner.Summarize(rows))));
        Assert.Equal(expected, contents.Render("T"));
    }

    [Fact]
    public void Objects_without_a_view_are_refused_and_nothing_is_empty()
    {
        var contents = new ReportContents();
        Assert.False(contents.Add("just text"));
        Assert.False(contents.Add(42));
        Assert.True(contents.IsEmpty);
        Assert.True(contents.Add(new ComparisonSummary("a", 1, 10, 0, 0)));
        Assert.True(contents.IsEmpty);
    }
}

public sealed class DownloadProgressRecordTests
{
    [Fact]
    public void A_download_reports_its_share_seconds_left_and_the_progress_line()
    {
        var progress = new Core.Models.DownloadProgress("m.gguf", 450_000_000, 1_000_000_000, 38_200_000, TimeSpan.FromSeconds(14.2));
        var record = DownloadProgressRecord.Create(1, "Save-ReasonModel", progress);
        Assert.Equal(45, record.PercentComplete);
        Assert.Equal(15, record.SecondsRemaining);
        Assert.Equal(progress.ToString(), record.StatusDescription);
        Assert.Equal("m.gguf", record.CurrentOperation);
    }

    [Fact]
    public void An_unknown_size_or_time_left_is_minus_one()
    {
        var record = DownloadProgressRecord.Create(1, "Save-ReasonModel", new Core.Models.DownloadProgress("m.gguf", 10, 0, 0, null));
        Assert.Equal(-1, record.PercentComplete);
        Assert.Equal(-1, record.SecondsRemaining);
    }
}

public sealed class ModelNameFilterTests
{
    private static Core.Models.ModelListingEntry Entry(string name, string path, string? sourceName = null) =>
        new(name, path, [path], "ollama", sourceName, "qwen2", 1_500_000_000, "Q4_K_M", 131072, 1_100_000_000, true, "1.5B", true, Core.Hardware.Placement.Cpu, 2_000_000_000, 30);

    private static List<WildcardPattern> Patterns(params string[] names) => names.Select(n => WildcardPattern.Get(n, WildcardOptions.IgnoreCase)).ToList();

    [Fact]
    public void Wildcards_match_the_name_the_file_name_or_the_source_name_in_any_case()
    {
        var entry = Entry("DeepSeek-R1-Distill-Qwen-1.5B", "/blobs/sha256-abc", "deepseek-r1:1.5b");
        Assert.True(ModelNameFilter.Matches(entry, []));
        Assert.True(ModelNameFilter.Matches(entry, Patterns("*qwen-1.5b")));
        Assert.True(ModelNameFilter.Matches(entry, Patterns("deepseek-r1:*")));
        Assert.True(ModelNameFilter.Matches(entry, Patterns("sha256-abc")));
        Assert.True(ModelNameFilter.Matches(Entry("X", "/m/r1-7b.gguf"), Patterns("r1-7b")));
    }

    [Fact]
    public void A_pattern_that_matches_nothing_filters_the_entry_out()
    {
        var entry = Entry("DeepSeek-R1-Distill-Qwen-1.5B", "/m/DeepSeek-R1-Distill-Qwen-1.5B-Q4_K_M.gguf");
        Assert.False(ModelNameFilter.Matches(entry, Patterns("*7B*")));
        Assert.False(ModelNameFilter.Matches(entry, Patterns("Qwen")));
    }
}

public sealed class VerboseThreadShareTests
{
    private static ReasonUpdate Completed(ThreadChoice choice) => new(ReasonUpdateKind.Completed)
    {
        Result = new ReasonResult
        {
            Model = new ModelInfo("m", null, null, null, null, null),
            Prompt = "p",
            Thinking = "",
            Answer = "a",
            Timings = new ReasonTimings(),
            Settings = new GenerationSettings(0.6f, 0.95f, 1, 512, choice.Threads, 0, 100) { ThreadChoice = choice },
        },
    };

    [Fact]
    public void Verbose_says_when_the_cores_were_shared_with_other_generations()
    {
        Assert.Contains("Threads: 1 (2 generations share 2 cores).", new VerboseRun(threadsGiven: false).Next(Completed(new ThreadChoice(1, 2, 2, Explicit: false))));
    }

    [Fact]
    public void Verbose_adds_nothing_about_threads_for_a_generation_alone()
    {
        Assert.DoesNotContain(new VerboseRun(threadsGiven: false).Next(Completed(new ThreadChoice(2, 2, 1, Explicit: false))), l => l.StartsWith("Threads:", StringComparison.Ordinal));
    }
}
