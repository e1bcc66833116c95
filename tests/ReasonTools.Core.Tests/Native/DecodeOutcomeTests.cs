using ReasonTools.Core.Native;

namespace ReasonTools.Core.Tests.Native;

/// <summary>llama_decode's codes, as llama.h lists them, become statuses and typed failures in one place.</summary>
public sealed class DecodeOutcomeTests
{
    [Theory]
    [InlineData(0, DecodeStatus.Ok)]
    [InlineData(2, DecodeStatus.Aborted)]
    public void Success_and_abort_are_outcomes_the_caller_acts_on(int code, DecodeStatus expected) =>
        Assert.Equal(expected, DecodeOutcome.Check(code, () => throw new InvalidOperationException("llama.cpp's log is read only for a fatal error")));

    [Theory]
    [InlineData(1, DecodeStatus.NoKvSlot, "context is full")]
    [InlineData(-1, DecodeStatus.InvalidBatch, "invalid")]
    [InlineData(-3, DecodeStatus.Error, "ggml_graph_compute failed")]
    [InlineData(7, DecodeStatus.Error, "ggml_graph_compute failed")]
    public void Every_other_code_is_a_decode_failure_with_its_status_and_code(int code, DecodeStatus expected, string words)
    {
        var e = Assert.Throws<DecodeException>(() => DecodeOutcome.Check(code, () => "ggml_graph_compute failed"));
        Assert.Equal(expected, e.Status);
        Assert.Equal(code, e.Code);
        Assert.Equal(FailureKind.NativeRuntime, e.Kind);
        Assert.Contains(words, e.Message);
    }
}
