using System.Runtime.Versioning;
using ReasonTools.Core.Native;

namespace ReasonTools.Core.Reasoning.Grading.Code;

/// <summary>
/// Windows limits for generated code: each run goes into its own job object with a cap on user-mode CPU time (per
/// process and for the job), committed memory (per process and for the job), active processes, kill on close (nothing
/// outlives the run), no error dialogs, and every UI restriction (other processes' windows, clipboard, system and
/// display settings, global atoms, desktops, logging off); a fresh temporary folder is the working folder and TEMP.
/// A job object cannot take away the user's file access or network (that needs an AppContainer or a restricted token,
/// not done), so it is no isolation: it is used only where the user allowed unsandboxed code. Built and its layouts
/// tested on Linux, never run on Windows here.
/// </summary>
internal sealed class WindowsJobSandbox : ICodeSandbox
{
    /// <summary>ERROR_NOT_ENOUGH_QUOTA: the exit code Windows gives a process killed at the job's CPU-time limit.</summary>
    private const int NotEnoughQuota = 1816;

    public string Isolation => "Windows job object (limits only; allowed by the user)";

    [SupportedOSPlatform("windows")]
    public Task<SandboxRun> RunAsync(SandboxCommand command, CancellationToken cancellationToken) =>
        TaskFolder.RunInAsync(command, async start =>
        {
            foreach (var variable in new[] { "TEMP", "TMP", "USERPROFILE", "HOME" }) start.Environment[variable] = start.WorkingDirectory;
            using var job = Kernel32.CreateJob();
            Kernel32.SetLimits(job, Limits(command.Limits));
            Kernel32.SetUiRestrictions(job, new JobObjectBasicUiRestrictions { UiRestrictionsClass = JobUiLimits.All });
            var run = await LimitedProcess.RunAsync(start, command.Stdin, command.Limits, cancellationToken, p => Kernel32.Assign(job, p.SafeHandle)).ConfigureAwait(false);
            return run.LimitHit is null && run.ExitCode == NotEnoughQuota
                ? run with { LimitHit = $"CPU-time limit: used more than {command.Limits.CpuSeconds} s of CPU" }
                : run;
        }, cancellationToken);

    /// <summary>The job limits for <paramref name="limits"/> (pure; tested on every OS).</summary>
    internal static JobObjectExtendedLimitInformation Limits(SandboxLimits limits)
    {
        var cpu = limits.CpuSeconds * 10_000_000L;
        return new JobObjectExtendedLimitInformation
        {
            BasicLimitInformation = new JobObjectBasicLimitInformation
            {
                PerProcessUserTimeLimit = cpu,
                PerJobUserTimeLimit = cpu,
                ActiveProcessLimit = (uint)limits.Processes,
                LimitFlags = JobLimitFlags.ProcessTime | JobLimitFlags.JobTime | JobLimitFlags.ActiveProcess | JobLimitFlags.ProcessMemory
                             | JobLimitFlags.JobMemory | JobLimitFlags.DieOnUnhandledException | JobLimitFlags.KillOnJobClose,
            },
            ProcessMemoryLimit = (nuint)limits.MemoryBytes,
            JobMemoryLimit = (nuint)limits.MemoryBytes,
        };
    }
}
