using ReasonTools.Testing;

namespace ReasonTools.PowerShell.Tests;

/// <summary>
/// The hostile-model corpus (truncation at every KiB) through Invoke-Reason in the hosted session: each file is an
/// error record with an id, nothing ends the process, and the session still answers afterwards.
/// </summary>
[Collection(HostedCollection.Name)]
public sealed class HostileFileTests(HostedFixture fixture)
{
    private static readonly string[] BadInputIds = ["InvalidGguf", "InvalidModel", "ModelLoadFailed"];

    [Fact]
    public void Every_hostile_model_is_an_error_record_and_the_session_stays_usable()
    {
        var shell = fixture.Shell;
        var folder = Path.Combine(Path.GetTempPath(), $"rt-hostile-ps-{Guid.NewGuid():N}");
        try
        {
            var corpus = HostileModels.WriteAll(folder, truncationStep: 1024);
            var failures = new List<string>();
            foreach (var (model, path) in corpus)
            {
                var result = shell.Run($"Invoke-Reason 'hi' -Model '{path}' -Threads 1 -MaxTokens 4 -GpuLayers 0");
                var id = result.Errors.Count == 1 ? result.Errors[0].FullyQualifiedErrorId.Split(',')[0] : null;
                if (id is null || !BadInputIds.Contains(id)) failures.Add($"{model.Name}: {result.Errors.Count} errors, id {id}, {result.Output.Count} outputs");
                else if (model.MustMention is { } key && !result.Errors[0].ToString().Contains(key, StringComparison.Ordinal)) failures.Add($"{model.Name}: '{result.Errors[0]}' does not name {key}");
                var alive = shell.Run("1 + 1");
                if (alive.Output.Count != 1 || (int)alive.Output[0]! != 2) failures.Add($"{model.Name}: the session no longer answers");
            }
            Assert.True(failures.Count == 0, string.Join("\n", failures));
            Assert.True(corpus.Count > 500, $"only {corpus.Count} files");

            var valid = Path.Combine(folder, "valid.gguf");
            File.WriteAllBytes(valid, HostileModels.Valid());
            var after = shell.Run($"Invoke-Reason 'What is 2 + 3?' -Model '{valid}' -Threads 1 -GpuLayers 0");
            Assert.Empty(after.Errors);
            Assert.Single(after.Output);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void Piped_text_echoed_by_WhatIf_reaches_the_host_without_escape_sequences()
    {
        var shell = fixture.Shell;
        var model = SyntheticModels.GetFile(ScriptKind.ClosedChain);
        var before = shell.Host.Written.Length;

        var result = shell.Run($"\"ERROR `e]0;owned`a`e[2J\" | Invoke-Reason 'Why?' -Model '{model}' -WhatIf");

        Assert.Empty(result.Errors);
        var written = shell.Host.Written[before..];
        Assert.Contains("ERROR ␛]0;owned␇␛[2J", written, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', written);
    }
}
