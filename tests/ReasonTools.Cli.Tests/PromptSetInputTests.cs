using ReasonTools.Testing;

namespace ReasonTools.Cli.Tests;

public sealed class PromptSetInputTests
{
    [Fact]
    public async Task A_malformed_prompt_set_is_bad_input_naming_file_line_and_field_without_a_type_name()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rt-bad-set-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, "{\n  \"name\": \"x\",\n  \"prompts\": [\n    { \"id\": \"a\", \"prompt\": \"q\", \"grader\": \"telepathy\" }\n  ]\n}\n");
        try
        {
            var run = await InProcessReason.RunAsync($"compare --model \"{SyntheticModels.GetFile(ScriptKind.ClosedChain)}\" --prompts \"{path}\" --threads 1");

            Assert.Equal(1, run.ExitCode);
            Assert.Contains($"{Path.GetFileName(path)} line 4", run.Stderr);
            Assert.Contains("grader", run.Stderr);
            Assert.DoesNotContain("Exception", run.Stderr);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
