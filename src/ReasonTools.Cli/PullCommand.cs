using System.CommandLine;
using ReasonTools.Core.Models;

namespace ReasonTools.Cli;

/// <summary><c>reason pull</c>: download a catalog model from Hugging Face, resumable and checksum-verified.</summary>
internal static class PullCommand
{
    public static Command Create() => Create(ModelEnvironment.Current, options => options);

    /// <summary>
    /// The command over <paramref name="environment"/>: on a terminal one progress line is redrawn, otherwise a line is
    /// written every few seconds. <paramref name="configure"/> adjusts the download options (tests).
    /// </summary>
    internal static Command Create(ModelEnvironment environment, Func<DownloadOptions, DownloadOptions> configure)
    {
        var model = new Argument<string>("model") { Description = $"The catalog model to download: {ModelOptionWords.Catalog}." };
        var quant = new Option<string?>("--quant", "-q") { Description = $"Quantization: {string.Join(", ", ModelCatalog.Quantizations)} (default: the one the name gives, else {ModelDownloader.DefaultQuantization})." };
        var dir = new Option<string?>("--dir") { Description = "Folder to save into (default: ReasonTools' models folder, which every command searches)." };
        var command = new Command("pull", "Download a DeepSeek-R1-Distill GGUF from Hugging Face: resumes after interruption, verifies the SHA-256, checks free space first.")
        {
            model, quant, dir,
        };
        command.SetAction(async (parse, ct) =>
        {
            var stdout = CliConsole.Out(parse);
            var stderr = CliConsole.Error(parse);
            try
            {
                var folder = parse.GetValue(dir) ?? environment.DefaultModelFolder;
                using var downloader = new ModelDownloader(configure(DownloadOptions.FromEnvironment(environment)));
                var progress = new ProgressLine(stderr, CliConsole.IsTerminal(stderr));
                var pulled = await downloader.PullAsync(parse.GetValue(model)!, parse.GetValue(quant), folder, progress, ct);
                progress.Finish();
                await stderr.WriteLineAsync(pulled.AlreadyPresent
                    ? $"{pulled.Model.Name} {pulled.File.Quantization} is already downloaded."
                    : $"Saved {pulled.Model.Name} {pulled.File.Quantization} ({string.Join(", ", pulled.Files.Select(Path.GetFileName))}), SHA-256 verified.");
                if (!IsSearched(environment, folder))
                    await stderr.WriteLineAsync($"Note: {folder} is not searched for models; add it to REASONTOOLS_MODELS or to modelFolders in {environment.SettingsFile}, " +
                                                "or pass the file's path with --model.");
                await stdout.WriteLineAsync(pulled.Path);
                return ExitCodes.Success;
            }
            catch (OperationCanceledException)
            {
                await stderr.WriteLineAsync("reason: cancelled; the partial download is kept, and the same pull resumes it.");
                return ExitCodes.Cancelled;
            }
            catch (Exception e)
            {
                return CliErrors.Report(e, stderr);
            }
        });
        return command;
    }

    private static bool IsSearched(ModelEnvironment environment, string folder)
    {
        var full = Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar);
        var comparison = OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        return environment.ConfiguredFolders(new List<string>()).Append(environment.DefaultModelFolder)
            .Select(f => Path.GetFullPath(f).TrimEnd(Path.DirectorySeparatorChar))
            .Any(root => full.Equals(root, comparison) || full.StartsWith(root + Path.DirectorySeparatorChar, comparison));
    }

    // One redrawn line on a terminal; a line every five seconds when stderr is a file or pipe.
    private sealed class ProgressLine(TextWriter stderr, bool interactive) : IProgress<DownloadProgress>
    {
        private DateTime _lastLine = DateTime.MinValue;
        private bool _drawn;

        public void Report(DownloadProgress value)
        {
            if (interactive)
            {
                stderr.Write($"\r{value.FileName}: {value}".PadRight(100));
                _drawn = true;
            }
            else if (DateTime.UtcNow - _lastLine >= TimeSpan.FromSeconds(5) || value.BytesDone == value.TotalBytes)
            {
                _lastLine = DateTime.UtcNow;
                stderr.WriteLine($"{value.FileName}: {value}");
            }
        }

        public void Finish()
        {
            if (_drawn) stderr.WriteLine();
        }
    }
}
