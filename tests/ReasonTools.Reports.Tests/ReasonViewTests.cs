using System.Xml.Linq;
using ReasonTools.Core.Inference;

namespace ReasonTools.Reports.Tests;

public class ReasonViewTests
{
    private static readonly string[] TimingFields =
    [
        "loadMs", "promptTokens", "promptMs", "promptTokensPerSecond", "generatedTokens", "thinkingTokens", "answerTokens",
        "generationMs", "tokensPerSecond", "timeToFirstTokenMs", "timeToFirstAnswerTokenMs", "totalMs",
    ];

    [Fact]
    public void Thinking_is_a_collapsed_details_block_with_numbered_steps_and_its_token_count()
    {
        var root = Xml.Fragment(HtmlReport.Fragment(Samples.Reason()));

        var details = Assert.Single(root.All("details"), d => (string?)d.Attribute("class") == "rt-thinking");
        Assert.Null(details.Attribute("open"));
        Assert.Contains("262 tokens", details.Element("summary")!.Value);
        Assert.Contains("3 steps", details.Element("summary")!.Value);
        var steps = Assert.Single(details.All("ol")).Elements("li").Select(li => li.Value).ToArray();
        Assert.Equal(["Okay, speed is distance over time.", "120 km divided by 1.5 h.", "120 / 1.5 = 80, so the average speed is 80 km/h."], steps);
    }

    [Fact]
    public void Answer_comes_before_the_thinking_with_the_final_answer_highlighted()
    {
        var root = Xml.Fragment(HtmlReport.Fragment(Samples.Reason()));
        var order = root.Descendants().Select(e => (string?)e.Attribute("class")).ToList();

        Assert.True(order.IndexOf("rt-answer") < order.IndexOf("rt-thinking"), "the answer must come first");
        Assert.Equal("80", Assert.Single(root.All("mark")).Value);
    }

    [Fact]
    public void Without_a_final_answer_nothing_is_highlighted_and_the_answer_text_still_shows()
    {
        var root = Xml.Fragment(HtmlReport.Fragment(Samples.Reason() with { FinalAnswer = null }));

        Assert.Empty(root.All("mark"));
        Assert.Contains("120 km ÷ 1.5 h", root.WithClass("rt-answer").Single().Value);
    }

    [Fact]
    public void Without_steps_the_whole_chain_is_shown_inside_the_details_block()
    {
        var result = Samples.Reason() with { Steps = [] };
        var details = Assert.Single(Xml.Fragment(HtmlReport.Fragment(result)).All("details"), d => (string?)d.Attribute("class") == "rt-thinking");

        Assert.Empty(details.All("ol"));
        Assert.Contains("120 km divided by 1.5 h.", details.Value);
    }

    [Fact]
    public void Timing_table_has_every_timing_field_and_shows_missing_ones_as_a_dash()
    {
        var result = Samples.Reason(loadMs: null);
        var table = Assert.Single(Xml.Fragment(HtmlReport.Fragment(result)).WithClass("rt-timings"));
        var cells = table.Descendants("td").Where(td => td.Attribute("data-field") is not null)
            .ToDictionary(td => (string)td.Attribute("data-field")!, td => td.Value);

        Assert.Equal(TimingFields.Order(), cells.Keys.Order());
        Assert.Equal("—", cells["loadMs"]);
        Assert.Equal("—", cells["timeToFirstAnswerTokenMs"]);
        Assert.Equal("22.1 tokens/s", cells["tokensPerSecond"]);
        Assert.Equal("226 tokens/s", cells["promptTokensPerSecond"]);
        Assert.Equal("260 ms", cells["timeToFirstTokenMs"]);
        Assert.Equal("16.2 s", cells["totalMs"]);
        Assert.Equal("311", cells["generatedTokens"]);
    }

    [Theory]
    [InlineData(FinishReason.Length, "length")]
    [InlineData(FinishReason.Loop, "loop")]
    [InlineData(FinishReason.Cancelled, "cancelled")]
    public void A_finish_other_than_stop_is_flagged(FinishReason reason, string contractName)
    {
        var root = Xml.Fragment(HtmlReport.Fragment(Samples.Reason(reason)));
        var flag = Assert.Single(root.Descendants(), e => (string?)e.Attribute("data-flag") == "finishReason");

        Assert.Equal(contractName, (string?)flag.Attribute("data-value"));
        Assert.Contains(contractName, flag.Value);
    }

    [Fact]
    public void A_normal_stop_and_a_complete_chain_carry_no_flag()
    {
        var root = Xml.Fragment(HtmlReport.Fragment(Samples.Reason()));
        Assert.DoesNotContain(root.Descendants(), e => e.Attribute("data-flag") is not null);
    }

    [Fact]
    public void An_incomplete_chain_is_flagged()
    {
        var root = Xml.Fragment(HtmlReport.Fragment(Samples.Reason(FinishReason.Length, complete: false)));
        var flag = Assert.Single(root.Descendants(), e => (string?)e.Attribute("data-flag") == "reasoningIncomplete");
        Assert.Contains("</think> never came", flag.Value);
    }

    [Fact]
    public void Injected_markup_in_any_field_renders_as_text()
    {
        var html = HtmlReport.Fragment(Samples.Reason(hostile: Samples.Hostile));
        var root = Xml.Fragment(html);

        Xml.AssertNothingInjected(root);
        Assert.Contains(Samples.Hostile, root.WithClass("rt-prompt").Single().Value);
        Assert.Contains(Samples.Hostile, Assert.Single(root.All("h2")).Value);
        Assert.Equal("80" + Samples.Hostile, Assert.Single(root.All("mark")).Value);
    }

    [Fact]
    public void Control_characters_from_a_model_do_not_break_the_markup()
    {
        var result = Samples.Reason() with { Answer = "bad byte \u0001 here \uD800 lone surrogate" };
        var root = Xml.Fragment(HtmlReport.Fragment(result));
        Assert.Contains("bad byte \uFFFD here \uFFFD lone surrogate", root.Value);
    }

    [Fact]
    public void The_document_is_well_formed_and_self_contained()
    {
        var html = HtmlReport.Document(Samples.Reason());
        var doc = Xml.Document(html);

        Assert.Equal("DeepSeek-R1-Distill-Qwen-7B: reasoning", doc.All("title").First().Value);
        Assert.Empty(doc.All("script"));
        Assert.Empty(doc.All("link"));
        Assert.Empty(doc.All("img"));
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/", ""));
        Assert.DoesNotContain("https://", html);
        Assert.Contains("prefers-color-scheme: dark", html);
    }

    [Fact]
    public void Every_style_rule_is_scoped_to_the_report()
    {
        var style = Xml.Fragment(HtmlReport.Fragment(Samples.Reason())).Element("style")!.Value;
        var selectors = style.Replace("@media (prefers-color-scheme: dark){", "")
            .Split('}').Select(rule => rule.Split('{')[0].Trim()).Where(s => s.Length > 0);

        Assert.All(selectors.SelectMany(s => s.Split(',')), s => Assert.StartsWith(".rt-report", s.Trim()));
    }
}

public class ReasonViewFirstScreenTests
{
    [Fact]
    public void A_long_prompt_is_folded_and_a_short_one_is_open()
    {
        var longPrompt = Samples.Reason() with { Prompt = "Find the root cause.\n" + string.Join('\n', Enumerable.Repeat("2026-01-01 ERROR db timeout", 200)) };
        var folded = Xml.Fragment(HtmlReport.Fragment(longPrompt)).WithClass("rt-prompt").Single();
        Assert.Equal("details", folded.Name.LocalName);
        Assert.Null(folded.Attribute("open"));
        var open = Xml.Fragment(HtmlReport.Fragment(Samples.Reason() with { Prompt = "Is 1001 prime?" })).WithClass("rt-prompt").Single();
        Assert.Equal("open", (string?)open.Attribute("open"));
    }

    [Fact]
    public void The_final_answer_is_plain_text_with_the_raw_latex_in_its_title()
    {
        var result = Samples.Reason() with { FinalAnswer = @"\text{12 chickens}" };
        var mark = Xml.Fragment(HtmlReport.Fragment(result)).WithClass("rt-final-answer").Single();
        Assert.Equal("12 chickens", mark.Value);
        Assert.Equal(@"\text{12 chickens}", (string?)mark.Attribute("title"));
        Assert.Contains("Final answer: 12 chickens", TextReport.Render(result));
    }

    [Fact]
    public void Styles_set_text_alignment_themselves_so_a_notebook_page_cannot_right_align_the_report()
    {
        Assert.Contains(".rt-report,.rt-report div,.rt-report p,.rt-report li,.rt-report summary,.rt-report caption{text-align:left;}", HtmlReport.Fragment(Samples.Reason()));
        Assert.Contains(".rt-report table th,.rt-report table td{", HtmlReport.Fragment(Samples.Reason()));
    }
}
