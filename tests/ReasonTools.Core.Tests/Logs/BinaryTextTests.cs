using ReasonTools.Core.Logs;

namespace ReasonTools.Core.Tests.Logs;

public sealed class BinaryTextTests
{
    [Fact]
    public void Text_with_a_stray_bell_or_colour_codes_is_text()
    {
        Assert.Equal(-1, BinaryText.Start("build failed\a\n\u001b[31mERROR\u001b[0m disk full\n" + new string('x', 200), out _));
    }

    [Fact]
    public void Binary_data_starts_at_its_first_zero_or_at_a_run_of_control_characters()
    {
        Assert.Equal(6, BinaryText.Start("line\r\n\0rest", out var zero));
        Assert.True(zero);
        Assert.Equal(5, BinaryText.Start("text\n\u0001\u0002\u0003\u0004\u0005\u0006", out zero));
        Assert.False(zero);
    }
}
