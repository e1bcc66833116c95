using System.Diagnostics;

namespace ReasonTools.Core.Reasoning.Grading.Code;

/// <summary>
/// Runs code with the user's own rights, only where no sandbox exists and the user allowed it: a fresh temporary
/// folder as working folder, the wall-time and output limits of the host, and nothing else.
/// </summary>
internal sealed class UnsandboxedRunner : ICodeSandbox
{
    public string Isolation => "none (allowed by the user)";

    public async Task<SandboxRun> RunAsync(SandboxCommand command, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("reasontools-code-");
        try
        {
            foreach (var (name, text) in command.Files) await File.WriteAllTextAsync(Path.Combine(folder.FullName, name), text, cancellationToken).ConfigureAwait(false);
            var start = new ProcessStartInfo(command.Program) { WorkingDirectory = folder.FullName };
            foreach (var argument in command.Arguments) start.ArgumentList.Add(argument.Replace(SandboxCommand.TaskFolder, folder.FullName, StringComparison.Ordinal));
            return await LimitedProcess.RunAsync(start, command.Stdin, command.Limits, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
