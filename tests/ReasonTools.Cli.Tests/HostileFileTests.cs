using ReasonTools.Testing;

namespace ReasonTools.Cli.Tests;

/// <summary>The hostile-model corpus through the real <c>reason</c> process: every file is refused as bad input, none aborts or hangs.</summary>
public sealed class HostileFileTests
{
    [Fact]
    public void Every_hostile_model_is_refused_with_exit_1_and_a_clean_message()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"rt-hostile-cli-{Guid.NewGuid():N}");
        try
        {
            var corpus = HostileModels.WriteAll(folder, truncationStep: 97 * 1024);
            var failures = new List<string>();
            foreach (var (model, path) in corpus)
            {
                var run = ReasonCli.Run($"run --model \"{path}\" --prompt hi --threads 1 --max-tokens 4 --gpu-layers 0", timeoutMs: 60_000);
                var line = run.Stderr.Trim();
                if (run.ExitCode != 1) failures.Add($"{model.Name}: exit {run.ExitCode}: {line}");
                else if (model.MustMention is { } key && !line.Contains(key, StringComparison.Ordinal)) failures.Add($"{model.Name}: '{line}' does not name {key}");
                else if (line.Contains('\u001b') || line.Contains("Exception")) failures.Add($"{model.Name}: raw text: {line}");
            }
            Assert.True(failures.Count == 0, string.Join("\n", failures));
            Assert.True(corpus.Count > 60, $"only {corpus.Count} files");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_unmodified_model_of_the_corpus_runs_so_each_refusal_is_the_attacks_doing()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rt-hostile-valid-{Guid.NewGuid():N}.gguf");
        File.WriteAllBytes(path, HostileModels.Valid());
        try
        {
            var run = ReasonCli.Run($"run --model \"{path}\" --prompt hi --threads 1 --gpu-layers 0");
            Assert.True(run.ExitCode == 0, run.Stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
