using ReasonTools.Core.Logs;

namespace ReasonTools.Core.Tests.Logs;

public class LogTemplateMaskerTests
{
    private static string Mask(string line)
    {
        var h = LogLineClassifier.Classify(line);
        var buffer = new char[400];
        int n = LogTemplateMasker.Mask(line, h.TimestampStart, h.TimestampLength, buffer);
        return new string(buffer, 0, n);
    }

    [Theory]
    [InlineData("2024-01-15 10:23:45,123 WARN retry 3 of 5 after 1.5 s", "<ts> WARN retry <n> of <n> after <n> s")]
    [InlineData("connect to 10.0.3.7:5432 failed", "connect to <ip> failed")]
    [InlineData("peer fe80::1ff:fe23:4567:890a gone", "peer <ip> gone")]
    [InlineData("request 3f2504e0-4f89-11d3-9a0c-0305e82c3301 done", "request <guid> done")]
    [InlineData("request abcdefab-4f89-11d3-9a0c-0305e82c3301 done", "request <guid> done")]
    [InlineData("object at 0x7ffd5e8c and commit 9fceb02d0ae598e95dc970b74767f19372d61af8", "object at <hex> and commit <hex>")]
    [InlineData("cannot open /var/log/app/today.log: denied", "cannot open <path>: denied")]
    [InlineData("cannot open C:\\Logs\\app.log now", "cannot open <path> now")]
    [InlineData("fetch https://example.com/a?b=1 failed", "fetch <url> failed")]
    [InlineData("worker-12 on thread pool-3-thread-7", "worker-<n> on thread pool-<n>-thread-<n>")]
    [InlineData("\"GET /api/orders/123 HTTP/1.1\" 200", "\"GET /api/orders/<n> HTTP/<n>\" <n>")]
    [InlineData("abcdefg 1 and abcdefgh 2 and /var/lib/dpkg/status", "abcdefg <n> and abcdefgh <n> and <path>")] // digit just inside and past the first eight characters
    [InlineData("Mar  2 06:25:00 host01 dpkg[4242]: status unpacked libc6:amd64 2.36-9+deb12u4", "<ts> host<n> dpkg[<n>]: status unpacked libc<n>:amd<n> <n>-<n>+deb<n>u<n>")]
    public void Masks_variable_parts(string line, string template) => Assert.Equal(template, Mask(line));

    [Fact]
    public void Repeats_with_different_values_share_a_template_and_different_messages_do_not()
    {
        Assert.Equal(Mask("2024-01-15 10:00:00 WARN slow query 120 ms on 10.0.0.1"), Mask("2024-02-01 23:59:59 WARN slow query 9 ms on 192.168.1.20"));
        Assert.NotEqual(Mask("2024-01-15 10:00:00 WARN slow query 120 ms"), Mask("2024-01-15 10:00:00 WARN slow write 120 ms"));
    }

    [Fact]
    public void Output_never_exceeds_the_buffer()
    {
        var line = string.Concat(Enumerable.Repeat("word 12345 /a/b/c 10.0.0.1 ", 200));
        var buffer = new char[64];
        int n = LogTemplateMasker.Mask(line, 0, 0, buffer);
        Assert.InRange(n, 1, 64);
    }
}
