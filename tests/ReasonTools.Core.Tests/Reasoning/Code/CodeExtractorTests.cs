using ReasonTools.Core.Comparison;
using ReasonTools.Core.Reasoning.Grading.Code;

namespace ReasonTools.Core.Tests.Reasoning.Code;

public sealed class CodeExtractorTests
{
    [Fact]
    public void The_last_block_in_the_language_wins_over_earlier_and_other_language_blocks()
    {
        var answer = "First try:\n```python\nprint(1)\n```\nA shell line:\n```bash\npython3 main.py\n```\nFixed:\n```py\nprint(2)\n```\n";
        Assert.Equal("print(2)\n", CodeExtractor.Extract(answer, CodeLanguage.Python));
    }

    [Fact]
    public void An_untagged_block_is_used_when_none_is_tagged_and_an_unfenced_answer_only_when_it_reads_as_code()
    {
        Assert.Equal("console.log(1)\n", CodeExtractor.Extract("```\nconsole.log(1)\n```", CodeLanguage.JavaScript));
        Assert.Equal("def f():\n    return 1\n", CodeExtractor.Extract("def f():\n    return 1", CodeLanguage.Python));
        Assert.Null(CodeExtractor.Extract("The function returns 1.", CodeLanguage.Python));
        Assert.Null(CodeExtractor.Extract("```bash\nls\n```", CodeLanguage.Python));
    }

    [Fact]
    public void A_code_prompt_without_tests_or_with_an_expected_answer_is_refused_with_the_line_and_field()
    {
        var missing = Assert.Throws<PromptSetException>(() => PromptSet.Parse("""{ "prompts": [ { "id": "a", "prompt": "p", "grader": "python" } ] }""", "x.json"));
        Assert.Contains("prompts[0].tests is missing", missing.Message);
        var wrongField = Assert.Throws<PromptSetException>(() => PromptSet.Parse("""{ "prompts": [ { "id": "a", "prompt": "p", "grader": "browser", "tests": [ { "stdout": "1" } ] } ] }""", "x.json"));
        Assert.Contains("browser grader needs \"checks\"", wrongField.Message);
        var check = Assert.Throws<PromptSetException>(() => PromptSet.Parse("""{ "prompts": [ { "id": "a", "prompt": "p", "grader": "browser", "checks": [ { "waitMs": 5 } ] } ] }""", "x.json"));
        Assert.Contains("checks nothing", check.Message);
    }
}
