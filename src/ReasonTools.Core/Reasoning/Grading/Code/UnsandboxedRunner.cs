namespace ReasonTools.Core.Reasoning.Grading.Code;

/// <summary>
/// Runs code with the user's own rights, only where no sandbox exists and the user allowed it: a fresh temporary
/// folder as working folder, the wall-time and output limits of the host, and nothing else.
/// </summary>
internal sealed class UnsandboxedRunner : ICodeSandbox
{
    public string Isolation => "none (allowed by the user)";

    public Task<SandboxRun> RunAsync(SandboxCommand command, CancellationToken cancellationToken) =>
        TaskFolder.RunInAsync(command, start => LimitedProcess.RunAsync(start, command.Stdin, command.Limits, cancellationToken), cancellationToken);
}
