using ReasonTools.Core.Reasoning.Grading.Code;

namespace ReasonTools.Core.Tests.Reasoning.Code;

public sealed class ProgramVerdictTests
{
    [Fact]
    public void A_program_killed_by_a_signal_is_said_to_have_crashed_with_that_signal()
    {
        var reason = ProgramVerdict.CaseFailure(new SandboxRun(128 + 11, "", "", null), "42");

        Assert.Equal("crashed with SIGSEGV, a segmentation fault (exit 139): no error message", reason);
    }

    [Fact]
    public void A_program_that_exits_with_its_own_code_is_said_to_have_exited_with_it_and_its_error()
    {
        var reason = ProgramVerdict.AssertionFailure(new SandboxRun(1, "", "Traceback (most recent call last):\nValueError: bad input\n", null));

        Assert.Equal("exited with code 1: ValueError: bad input", reason);
    }

    [Fact]
    public void A_limit_the_sandbox_hit_is_the_reason_whatever_the_exit_code()
    {
        var reason = ProgramVerdict.CaseFailure(new SandboxRun(128 + 9, "", "", "wall-time limit: still running after 5 s"), "42");

        Assert.Equal("wall-time limit: still running after 5 s", reason);
    }
}
