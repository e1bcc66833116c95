using ReasonTools.Core;
using ReasonTools.Core.Gguf;
using ReasonTools.Core.Inference;
using ReasonTools.Core.Models;
using ReasonTools.Core.Native;
using ReasonTools.Core.Remote;

namespace ReasonTools.Cli.Tests;

/// <summary>The CLI's one classification: each kind of failure gets its documented exit code and reason's own words.</summary>
public sealed class CliErrorsTests
{
    public static TheoryData<Exception, int> Failures() => new()
    {
        { new ReasonFailure(FailureKind.BadInput, "The prompt is empty."), ExitCodes.BadInput },
        { new GgufFormatException(0, "bad magic"), ExitCodes.BadInput },
        { new IOException("disk gone"), ExitCodes.BadInput },
        { new RemoteModelException(RemoteErrorKind.InvalidReference, "no #model"), ExitCodes.BadInput },
        { new ModelFileNotFoundException("/m.gguf", "Model file not found: /m.gguf"), ExitCodes.ModelUnavailable },
        { new UnknownModelException("99b"), ExitCodes.ModelUnavailable },
        { new InsufficientDiskSpaceException("/models", 2, 1), ExitCodes.ModelUnavailable },
        { new RemoteModelException(RemoteErrorKind.Unreachable, "refused"), ExitCodes.ModelUnavailable },
        { new LlamaNativeLibraryException("libllama missing"), ExitCodes.RuntimeFailure },
        { new RemoteModelException(RemoteErrorKind.StreamInterrupted, "dropped"), ExitCodes.RuntimeFailure },
        { new InvalidCastException("a defect"), ExitCodes.RuntimeFailure },
        { new OperationCanceledException(), ExitCodes.Cancelled },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Each_kind_of_failure_has_its_exit_code(Exception error, int code) => Assert.Equal(code, CliErrors.ExitCode(error));

    [Fact]
    public void Failures_are_worded_with_reasons_options_and_commands()
    {
        Assert.Contains("(--context)", CliErrors.Describe(new PromptTooLongException(5000, 4096)), StringComparison.Ordinal);
        Assert.Contains("--dir", CliErrors.Describe(new InsufficientDiskSpaceException("/models", 2, 1)), StringComparison.Ordinal);
        Assert.Contains("reason pull 7b --quant Q8_0", CliErrors.Describe(new ModelNotDownloadedException("7b-q8_0", ModelCatalog.Get("7b").Model, "Q8_0", [])), StringComparison.Ordinal);
        Assert.EndsWith("Download it with: reason pull 32b", CliErrors.Describe(new ModelNotDownloadedException("32b", ModelCatalog.Get("32b").Model, "q4_k_m", [])), StringComparison.Ordinal);
        Assert.StartsWith("InvalidCastException: ", CliErrors.Describe(new InvalidCastException("a defect")), StringComparison.Ordinal);
        Assert.Contains("no sandbox is available (no bwrap); --allow-unsandboxed-code runs generated code", CliErrors.Describe(Core.Reasoning.Grading.Code.CodeSandboxes.Refusal("no bwrap")), StringComparison.Ordinal);
    }
}
