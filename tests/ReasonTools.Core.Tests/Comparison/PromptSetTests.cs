using ReasonTools.Core.Comparison;
using ReasonTools.Core.Reasoning.Grading;

namespace ReasonTools.Core.Tests.Comparison;

public class PromptSetTests
{
    private static PromptSetException Fails(string json, string source = "math.json") =>
        Assert.Throws<PromptSetException>(() => PromptSet.Parse(json, source));

    [Fact]
    public void Reads_the_documented_shape()
    {
        var set = PromptSet.Parse("""
            {
              "name": "demo",
              "prompts": [
                { "id": "a", "prompt": "2+2?", "expected": "4", "grader": "number" },
                { "id": "b", "prompt": "Pick one", "expected": "C", "grader": "Choice" },
                { "id": "c", "prompt": "Say hi", "expected": "hi" },
                { "id": "d", "prompt": "Explain." },
                { "id": "e", "prompt": "Digits?", "expected": 1170, "grader": "number" },
                { "id": "f", "prompt": "Pattern", "expected": "^a+$", "grader": "regex" }
              ]
            }
            """, "demo.json");
        Assert.Equal("demo", set.Name);
        Assert.Equal(6, set.Prompts.Count);
        Assert.Equal(new PromptSetItem("a", "2+2?", "4", GraderKind.Number), set.Prompts[0]);
        Assert.Equal(GraderKind.Choice, set.Prompts[1].Grader);
        Assert.Equal(GraderKind.Text, set.Prompts[2].Grader);
        Assert.False(set.Prompts[3].IsGraded);
        Assert.Null(set.Prompts[3].Grade("anything"));
        Assert.Equal("1170", set.Prompts[4].Expected);
        Assert.True(set.Prompts[0].Grade("\\boxed{4}" [7..^1])!.Correct);
        Assert.False(set.Prompts[0].Grade("5")!.Correct);
    }

    [Fact]
    public void Comments_trailing_commas_and_a_byte_order_mark_are_accepted_and_name_defaults_to_the_file()
    {
        var set = PromptSet.Parse("\uFEFF{ // hand-written\n \"prompts\": [ { \"id\": \"x\", \"prompt\": \"p\", }, ], }", "mine.json");
        Assert.Equal("mine", set.Name);
        Assert.Single(set.Prompts);
    }

    [Fact]
    public void Unknown_grader_names_the_file_line_field_and_choices()
    {
        var e = Fails("""
            {
              "name": "math",
              "prompts": [
                { "id": "a", "prompt": "p" },
                { "id": "b", "prompt": "p" },
                { "id": "c", "prompt": "p",
                  "grader": "numbr", "expected": "1" }
              ]
            }
            """);
        Assert.Equal("math.json line 7: prompts[2].grader \"numbr\" is not one of text, number, choice, regex, python, javascript, browser", e.Message);
        Assert.Equal(7, e.Line);
        Assert.Equal("prompts[2].grader", e.Field);
        Assert.Equal("math.json", e.SourceName);
    }

    [Fact]
    public void Duplicate_ids_are_rejected_naming_the_first()
    {
        var e = Fails("{\"prompts\": [\n{\"id\": \"q1\", \"prompt\": \"p\"},\n{\"id\": \"Q1\", \"prompt\": \"p\"}\n]}");
        Assert.Equal(3, e.Line);
        Assert.Contains("prompts[1].id \"Q1\" repeats the id of prompts[0] (line 2)", e.Message);
    }

    [Theory]
    [InlineData("{\"prompts\": [{\"id\": \"a\", \"prompt\": \"   \"}]}", "prompts[0].prompt is empty")]
    [InlineData("{\"prompts\": [{\"id\": \"a\"}]}", "prompts[0].prompt is missing")]
    [InlineData("{\"prompts\": [{\"prompt\": \"p\"}]}", "prompts[0].id is missing")]
    [InlineData("{\"prompts\": [{\"id\": \"\", \"prompt\": \"p\"}]}", "prompts[0].id is empty")]
    [InlineData("{\"prompts\": [{\"id\": 3, \"prompt\": \"p\"}]}", "prompts[0].id must be a string, not a number")]
    [InlineData("{\"prompts\": []}", "prompts is empty")]
    [InlineData("{\"name\": \"x\"}", "prompts is missing")]
    [InlineData("{\"prompts\": {}}", "prompts must be an array, not an object")]
    [InlineData("{\"prompts\": [\"just text\"]}", "prompts[0] must be an object")]
    [InlineData("[]", "must be a JSON object")]
    [InlineData("", "is empty")]
    [InlineData("{\"prompts\": [{\"id\": \"a\", \"prompt\": \"p\", \"expeced\": \"1\"}]}", "prompts[0] has an unknown field \"expeced\"")]
    [InlineData("{\"promts\": []}", "unknown field \"promts\"")]
    [InlineData("{\"prompts\": [{\"id\": \"a\", \"prompt\": \"p\", \"expected\": \"\"}]}", "prompts[0].expected is empty")]
    [InlineData("{\"prompts\": [{\"id\": \"a\", \"prompt\": \"p\", \"expected\": \"abc\", \"grader\": \"number\"}]}", "prompts[0].expected \"abc\": the number grader cannot read")]
    [InlineData("{\"prompts\": [{\"id\": \"a\", \"prompt\": \"p\", \"expected\": \"G\", \"grader\": \"choice\"}]}", "one letter A-E")]
    [InlineData("{\"prompts\": [{\"id\": \"a\", \"prompt\": \"p\", \"expected\": \"([\", \"grader\": \"regex\"}]}", "not a valid .NET regular expression")]
    [InlineData("{\"prompts\": [{\"id\": \"a\", \"prompt\": \"p\", \"expected\": true}]}", "prompts[0].expected must be a string or a number, not true/false")]
    [InlineData("{\"prompts\": [{\"id\": \"a\", \"prompt\": \"p\", \"id\": \"b\"}]}", "prompts[0].id appears twice")]
    [InlineData("{\"prompts\": [{\"id\": \"a\", \"prompt\": \"p\"}]} extra", "not valid JSON")]
    public void Bad_files_get_clear_errors(string json, string expectedPart)
    {
        var e = Fails(json);
        Assert.Contains(expectedPart, e.Message);
        Assert.StartsWith("math.json", e.Message);
    }

    [Fact]
    public void Broken_json_reports_its_line()
    {
        var e = Fails("{\n  \"prompts\": [\n    { \"id\": \"a\", \"prompt\": \"p\" }\n    { \"id\": \"b\" }\n  ]\n}");
        Assert.Equal(4, e.Line);
        Assert.Contains("not valid JSON", e.Message);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(e.InnerException);
    }

    [Fact]
    public void Missing_file_is_a_prompt_set_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-set-{Guid.NewGuid():N}.json");
        var e = Assert.Throws<PromptSetException>(() => PromptSet.Load(path));
        Assert.Contains("not found", e.Message);
        Assert.Null(e.Line);
    }

    [Fact]
    public void Load_reads_a_file_and_names_it_in_errors()
    {
        var path = Path.Combine(Path.GetTempPath(), $"set-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(path, "{\"prompts\": [{\"id\": \"a\", \"prompt\": \"p\", \"grader\": \"x\"}]}");
            var e = Assert.Throws<PromptSetException>(() => PromptSet.Load(path));
            Assert.StartsWith(Path.GetFileName(path) + " line 1:", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Deeply_nested_input_is_rejected_without_crashing()
    {
        var json = "{\"prompts\": [{\"id\": \"a\", \"prompt\": \"p\", \"x\": " + new string('[', 5000) + new string(']', 5000) + "}]}";
        Assert.Throws<PromptSetException>(() => PromptSet.Parse(json, "deep.json"));
    }
}

public class PromptSetHostileInputTests
{
    [Theory]
    [InlineData("{\"prompts\": [{\"id\": \"\\ud800\", \"prompt\": \"p\"}]}")]
    [InlineData("{\"\\udc00\": 1}")]
    [InlineData("{\"prompts\": [{\"id\": \"a\", \"prompt\": \"p\", \"expected\": 1e999999, \"grader\": \"number\"}]}")]
    public void Odd_json_is_a_prompt_set_error(string json)
    {
        var e = Assert.Throws<PromptSetException>(() => PromptSet.Parse(json, "odd.json"));
        Assert.StartsWith("odd.json", e.Message);
    }
}
