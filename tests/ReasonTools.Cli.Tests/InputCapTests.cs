using System.Diagnostics;
using ReasonTools.Testing;

namespace ReasonTools.Cli.Tests;

/// <summary>Big inputs are refused early and cheaply: the cap holds, and a prompt is not tokenized whole only to be refused.</summary>
public sealed class InputCapTests
{
    [Fact]
    public async Task A_15_MB_file_for_a_4096_token_context_is_refused_without_gigabytes_of_memory()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rt-big-{Guid.NewGuid():N}.txt");
        var line = string.Concat(Enumerable.Range(0, 20).Select(i => $"word{i} ")) + "\n";
        using (var writer = new StreamWriter(path))
            while (writer.BaseStream.Length < 15_000_000) writer.Write(line);
        try
        {
            var psi = new ProcessStartInfo("dotnet", $"\"{ReasonCli.AppDll}\" run --model \"{SyntheticModels.GetFile(ScriptKind.ClosedChain)}\" --file \"{path}\" --prompt Summarize --context 4096 --threads 1 --gpu-layers 0")
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            };
            using var process = Process.Start(psi)!;
            var stderr = process.StandardError.ReadToEndAsync();
            _ = process.StandardOutput.ReadToEndAsync();
            long peakKb = 0;
            var watch = Stopwatch.StartNew();
            while (!process.WaitForExit(50) && watch.Elapsed < TimeSpan.FromSeconds(120))
                peakKb = Math.Max(peakKb, PeakKb(process.Id));
            Assert.True(process.HasExited, "reason did not finish in 120 s");

            Assert.Equal(1, process.ExitCode);
            var said = await stderr;
            Assert.Contains("at least", said);
            Assert.Contains("context holds 4096", said);
            Assert.True(peakKb < 1_000_000, $"peak RSS {peakKb / 1024} MiB");
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static long PeakKb(int pid)
    {
        try
        {
            var hwm = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return hwm is null ? 0 : long.Parse(hwm.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    [Fact]
    public async Task A_prompt_set_over_the_16_MiB_cap_is_bad_input()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rt-big-set-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\"name\":\"big\",\"prompts\":[{\"id\":\"a\",\"prompt\":\"" + new string('x', 17 * 1024 * 1024) + "\"}]}");
        try
        {
            var run = await InProcessReason.RunAsync($"compare --model \"{SyntheticModels.GetFile(ScriptKind.ClosedChain)}\" --prompts \"{path}\"");
            Assert.Equal(1, run.ExitCode);
            Assert.Contains("over the limit", run.Stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
