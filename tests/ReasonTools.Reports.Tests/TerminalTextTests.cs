using ReasonTools.Reports;

namespace ReasonTools.Reports.Tests;

public sealed class TerminalTextTests
{
    [Theory]
    [InlineData("title \u001b]0;owned\u0007 here", "title ␛]0;owned␇ here")]
    [InlineData("\u001b[2J\u001b[H cleared", "␛[2J␛[H cleared")]
    [InlineData("\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\", "␛]8;;https://evil.example/␛\\click␛]8;;␛\\")]
    [InlineData("c1 \u009b31m csi", "c1 \uFFFD31m csi")]
    [InlineData("del\u007f", "del␡")]
    [InlineData("over\rwrite", "over␍write")]
    public void Control_characters_become_visible_placeholders(string raw, string shown) =>
        Assert.Equal(shown, TerminalText.Clean(raw));

    [Fact]
    public void Newlines_tabs_text_and_windows_line_ends_are_kept()
    {
        const string Plain = "line one\n\tindented — ünïcode √ <think>\n";
        Assert.Same(Plain, TerminalText.Clean(Plain));
        Assert.Equal("a\nb\n", TerminalText.Clean("a\r\nb\r\n"));
    }
}
