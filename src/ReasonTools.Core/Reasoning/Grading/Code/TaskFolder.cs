using System.Diagnostics;

namespace ReasonTools.Core.Reasoning.Grading.Code;

/// <summary>
/// The runners without a sandbox of their own (unsandboxed, Windows job): each run gets a fresh temporary folder with
/// the command's files as its working folder, and the folder is removed afterwards whatever happened.
/// </summary>
internal static class TaskFolder
{
    /// <summary>Runs <paramref name="run"/> with the start info of <paramref name="command"/> in a fresh folder.</summary>
    public static async Task<SandboxRun> RunInAsync(SandboxCommand command, Func<ProcessStartInfo, Task<SandboxRun>> run, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateTempSubdirectory("reasontools-code-");
        try
        {
            foreach (var (name, text) in command.Files) await File.WriteAllTextAsync(Path.Combine(folder.FullName, name), text, cancellationToken).ConfigureAwait(false);
            var start = new ProcessStartInfo(command.Program) { WorkingDirectory = folder.FullName };
            foreach (var argument in command.Arguments) start.ArgumentList.Add(argument.Replace(SandboxCommand.TaskFolder, folder.FullName, StringComparison.Ordinal));
            return await run(start).ConfigureAwait(false);
        }
        finally
        {
            try { folder.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
