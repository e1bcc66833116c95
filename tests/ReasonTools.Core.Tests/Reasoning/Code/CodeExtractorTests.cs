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

    private const string HelperThenMain =
        "A Fenwick tree first:\n```python\nclass Fenwick:\n    def __init__(self, n):\n        self.t = [0] * (n + 1)\n```\n" +
        "Then the program:\n```python\nimport sys\nf = Fenwick(4)\nprint(len(f.t))\n```\n";

    [Fact]
    public void A_program_prompt_joins_the_helper_block_the_main_block_uses_in_the_answers_order()
    {
        Assert.Equal("class Fenwick:\n    def __init__(self, n):\n        self.t = [0] * (n + 1)\n\nimport sys\nf = Fenwick(4)\nprint(len(f.t))\n",
            CodeExtractor.Extract(HelperThenMain, CodeLanguage.Python, join: true));
        Assert.Equal("import sys\nf = Fenwick(4)\nprint(len(f.t))\n", CodeExtractor.Extract(HelperThenMain, CodeLanguage.Python));
    }

    [Fact]
    public void Joining_leaves_out_a_first_try_the_last_block_redefines_and_a_usage_example()
    {
        var answer = "```python\ndef solve(a):\n    return a\n```\nUsage:\n```python\nprint(solve(3))\n```\nFixed:\n```python\ndef solve(a):\n    return a + 1\nprint(solve(int(input())))\n```\n";
        Assert.Equal("def solve(a):\n    return a + 1\nprint(solve(int(input())))\n", CodeExtractor.Extract(answer, CodeLanguage.Python, join: true));
        var js = "```js\nfunction gcd(a, b) { return b ? gcd(b, a % b) : a; }\n```\n```js\nconst lcm = (a, b) => a / gcd(a, b) * b;\n```\n```js\nconsole.log(lcm(4, 6));\n```\n";
        Assert.Equal("function gcd(a, b) { return b ? gcd(b, a % b) : a; }\n\nconst lcm = (a, b) => a / gcd(a, b) * b;\n\nconsole.log(lcm(4, 6));\n",
            CodeExtractor.Extract(js, CodeLanguage.JavaScript, join: true));
    }

    [Fact]
    public void Join_is_a_prompt_set_field_of_the_python_and_javascript_graders_only()
    {
        var set = PromptSet.Parse("""{ "prompts": [ { "id": "a", "prompt": "p", "grader": "python", "join": true, "tests": [ { "stdin": "", "stdout": "1" } ] } ] }""", "x.json");
        Assert.True(set.Prompts[0].Tests!.JoinBlocks);
        var text = Assert.Throws<PromptSetException>(() => PromptSet.Parse("""{ "prompts": [ { "id": "a", "prompt": "p", "expected": "1", "join": true } ] }""", "x.json"));
        Assert.Contains("prompts[0].join belongs to the python and javascript graders, not text", text.Message);
        var type = Assert.Throws<PromptSetException>(() => PromptSet.Parse("""{ "prompts": [ { "id": "a", "prompt": "p", "grader": "python", "join": 1, "tests": "assert True" } ] }""", "x.json"));
        Assert.Contains("prompts[0].join must be true or false", type.Message);
    }
}
