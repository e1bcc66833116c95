using System.Text.RegularExpressions;
using ReasonTools.Core.Comparison;
using ReasonTools.Core.Gguf;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Logs;
using ReasonTools.Core.Models;
using ReasonTools.Core.Native;
using ReasonTools.Core.Remote;

namespace ReasonTools.Core.Tests.Failures;

public sealed partial class ReasonFailureTests
{
    private const long GiB = 1L << 30;

    public static TheoryData<Exception, FailureKind> Failures() => new()
    {
        { new GgufFormatException(4, "bad magic"), FailureKind.BadInput },
        { new PromptTooLongException(5000, 4096), FailureKind.BadInput },
        { new LogBudgetException(900, 800), FailureKind.BadInput },
        { new LogInputException("app.log", "binary data"), FailureKind.BadInput },
        { new PromptSetException("set.json", 2, "prompts", "is missing"), FailureKind.BadInput },
        { new AmbiguousModelException("7b", []), FailureKind.BadInput },
        { new IOException("disk gone"), FailureKind.BadInput },
        { new UnauthorizedAccessException("denied"), FailureKind.BadInput },
        { new ModelFileNotFoundException("/m.gguf", "Model file not found: /m.gguf"), FailureKind.ModelNotFound },
        { new UnknownModelException("99b"), FailureKind.ModelNotFound },
        { new ModelNotDownloadedException("32b", ModelCatalog.Get("32b").Model, null, []), FailureKind.ModelNotFound },
        { new ModelDownloadException("connection reset"), FailureKind.ModelNotFound },
        { new InsufficientDiskSpaceException("/models", 5_000_000_000, 1_000_000_000), FailureKind.DoesNotFit },
        { new LlamaNativeLibraryException("libllama missing"), FailureKind.NativeRuntime },
        { new DecodeException("context full", 1), FailureKind.NativeRuntime },
        { new OperationCanceledException(), FailureKind.Cancelled },
        { new RemoteModelException(RemoteErrorKind.Timeout, "no data"), FailureKind.Remote },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Every_failure_of_the_core_has_one_kind(Exception error, FailureKind kind) =>
        Assert.Equal(kind, ReasonFailure.KindOf(error));

    [Fact]
    public void A_defect_is_no_user_failure() =>
        Assert.Null(ReasonFailure.KindOf(new InvalidCastException("bug")));

    [Fact]
    public void A_model_that_does_not_fit_carries_its_sizes_and_next_steps_and_asks_the_front_for_option_names()
    {
        var catalog = ModelCatalog.Get("32b").Model;
        var error = Assert.Throws<ModelDoesNotFitException>(() =>
            FitGuard.EnsureFits(catalog.Spec(catalog.File("Q4_K_M")!), MachineProfile.CpuOnly(24 * GiB, 40), new ChoiceOptions { Fit = new FitOptions { ContextSize = 32768 } }));

        Assert.Equal(FailureKind.DoesNotFit, error.Kind);
        Assert.Equal(catalog.Name, error.Model);
        Assert.Equal("Q4_K_M", error.Quantization);
        Assert.True(error.RequiredBytes > 0);
        var context = Assert.Single(error.NextSteps, s => s.Kind == NextStepKind.ChangeSetting);
        Assert.Equal(SettingNames.ContextSize, context.Setting);
        Assert.Contains($"<contextSize={context.Value}>", error.Describe(new MarkerWording()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_download_suggestion_is_data_the_front_words()
    {
        var error = new ModelNotDownloadedException("7b-q8_0", ModelCatalog.Get("7b").Model, "Q8_0", []);
        Assert.Equal(new NextStep(NextStepKind.Download) { Model = "7b", Quantization = "Q8_0" }, error.NextSteps[0]);
        Assert.Contains("<download 7b Q8_0>", error.Describe(new MarkerWording()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_comparison_row_of_a_model_that_could_not_run_is_worded_by_the_front()
    {
        var failure = new ComparisonFailure(new ModelNotDownloadedException("32b", ModelCatalog.Get("32b").Model, null, []), WhileOpening: true);
        var row = new ComparisonRow { Model = "32b", PromptId = "1", Note = failure.Note(failure.Error.Message), Failure = failure };

        // A model that never ran says why once, in its summary; its rows carry no note of their own.
        Assert.Same(row, row.WordFailure(_ => "never used"));
        var summary = new ComparisonSummary("32b", null, null, null, null) { Failure = failure, NotRunReason = failure.Note(failure.Error.Message) };
        var worded = summary.WordFailure(e => ((ReasonFailure)e).Describe(new MarkerWording()));

        Assert.StartsWith("model could not run: ", worded.NotRunReason, StringComparison.Ordinal);
        Assert.Contains("<download 32b >", worded.NotRunReason, StringComparison.Ordinal);
        var answered = new ComparisonRow { Model = "m", PromptId = "1", Note = "graded as a number" };
        Assert.Same(answered, answered.WordFailure(_ => "never used"));
    }

    // These files build argument lists for other programs (bubblewrap, Chromium, the build's fetch script): their
    // "--flags" are those programs' options, not a front's.
    private static readonly HashSet<string> CommandLinesOfOtherPrograms =
    [
        "Reasoning/Grading/Code/BubblewrapSandbox.cs",
        "Reasoning/Grading/Code/BrowserGrader.cs",
        "Native/LlamaNativeLibrary.cs",
    ];

    /// <summary>Core's messages name no option of a front: no "--flag", no "-Parameter", no "reason pull".</summary>
    [Fact]
    public void Core_messages_hold_no_front_vocabulary()
    {
        var core = Path.Combine(RepoRoot(), "src", "ReasonTools.Core");
        var offenders = new List<string>();
        foreach (var file in Directory.EnumerateFiles(core, "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")))
        {
            if (CommandLinesOfOtherPrograms.Contains(Path.GetRelativePath(core, file).Replace('\\', '/'))) continue;
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                var line = lines[i].TrimStart();
                if (line.StartsWith("//", StringComparison.Ordinal)) continue;
                foreach (Match literal in StringLiteral().Matches(line))
                    if (FrontWords().IsMatch(literal.Value)) offenders.Add($"{Path.GetRelativePath(core, file)}:{i + 1}: {literal.Value}");
            }
        }
        Assert.Empty(offenders);
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "ReasonTools.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("ReasonTools.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    // "--context", "-ContextSize", "reason pull", "Save-ReasonModel"
    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z-]+|(?<![\w-])-[A-Z][a-z]+[A-Z]\w*|\breason (?:pull|run|compare|hardware)\b|\b[A-Z][a-z]+-Reason\w*")]
    private static partial Regex FrontWords();

    private sealed class MarkerWording : IFailureWording
    {
        public string Setting(string name, string? value = null) => value is null ? $"<{name}>" : $"<{name}={value}>";
        public string Download(string size, string? quantization) => $"<download {size} {quantization}>";
        public string LogAnalysisTask => "<logs>";
    }
}
