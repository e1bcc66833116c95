using ReasonTools.Core.Comparison;
using ReasonTools.Core.Reasoning.Grading.Code;

namespace ReasonTools.Core.Tests.Reasoning.Code;

/// <summary>Which sandbox a machine gets, and what a row says when there is none.</summary>
public sealed class CodeSandboxChoiceTests
{
    [Theory]
    [InlineData(true, false, SandboxKind.Bubblewrap)]
    [InlineData(false, true, SandboxKind.WindowsJob)]
    [InlineData(false, false, SandboxKind.None)]
    public void Linux_gets_bubblewrap_windows_a_job_object_and_other_systems_nothing(bool linux, bool windows, SandboxKind expected) =>
        Assert.Equal(expected, CodeSandboxes.For(linux, windows));

    [Fact]
    public void Without_a_sandbox_the_code_is_refused_as_data_naming_the_setting_that_allows_it()
    {
        var sandbox = CodeSandboxes.Resolve(new CodeExecutionOptions(), (null, "bubblewrap (bwrap) is not installed"), () => throw new InvalidOperationException("not allowed"), out var refusal);

        Assert.Null(sandbox);
        Assert.NotNull(refusal);
        Assert.Equal(SettingNames.AllowUnsandboxedCode, refusal.Setting);
        Assert.Equal(SettingNames.AllowUnsandboxedCode, Assert.Single(refusal.NextSteps).Setting);
        Assert.Equal("code not run: no sandbox is available (bubblewrap (bwrap) is not installed); <allowUnsandboxedCode> runs generated code with your own rights",
            refusal.Describe(new Marker()));
    }

    [Fact]
    public void Allowed_unsandboxed_code_runs_in_the_limited_runner_and_a_sandbox_is_preferred_when_there_is_one()
    {
        var limited = new UnsandboxedRunner();
        Assert.Same(limited, CodeSandboxes.Resolve(new CodeExecutionOptions { AllowUnsandboxed = true }, (null, "none here"), () => limited, out var refusal));
        Assert.Null(refusal);
        var isolated = new UnsandboxedRunner();
        Assert.Same(isolated, CodeSandboxes.Resolve(new CodeExecutionOptions { AllowUnsandboxed = true }, (isolated, ""), () => limited, out _));
    }

    [Fact]
    public void A_row_whose_code_was_refused_is_worded_by_the_front()
    {
        var refusal = CodeSandboxes.Refusal("no bwrap");
        var row = new ComparisonRow { Model = "m", PromptId = "p", Note = refusal.Message, CodeRefusal = refusal };

        var worded = row.WordFailure(e => ((ReasonFailure)e).Describe(new Marker()));

        Assert.Contains("<allowUnsandboxedCode> runs generated code", worded.Note, StringComparison.Ordinal);
    }

    private sealed class Marker : IFailureWording
    {
        public string Setting(string name, string? value = null) => $"<{name}>";
        public string Download(string size, string? quantization) => "<download>";
        public string LogAnalysisTask => "<logs>";
    }
}
