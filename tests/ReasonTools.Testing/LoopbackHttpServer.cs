using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ReasonTools.Testing;

/// <summary>
/// A minimal HTTP/1.1 server on 127.0.0.1 for download tests: one request per connection, replies chosen by a
/// handler, and replies that promise a full body but close the connection part-way (a dropped download).
/// </summary>
public sealed class LoopbackHttpServer : IDisposable
{
    public sealed record Request(string Method, string Target, string Path, IReadOnlyDictionary<string, string> Headers)
    {
        public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
    }

    /// <summary>A reply; <paramref name="DropAfter"/> closes the connection after that many body bytes.</summary>
    public sealed record Reply(int Status, byte[] Body, string? ContentRange = null, long? DropAfter = null, string ContentType = "application/octet-stream")
    {
        public static Reply Text(int status, string text) => new(status, Encoding.UTF8.GetBytes(text), ContentType: "text/plain");

        public static Reply Json(string json) => new(200, Encoding.UTF8.GetBytes(json), ContentType: "application/json");

        /// <summary>The file, or the part a "bytes=N-" range asks for.</summary>
        public static Reply File(byte[] bytes, Request request, long? dropAfter = null)
        {
            if (request.Header("Range") is { } range && range.StartsWith("bytes=", StringComparison.Ordinal) && range.EndsWith('-'))
            {
                var start = long.Parse(range[6..^1], System.Globalization.CultureInfo.InvariantCulture);
                if (start >= bytes.Length) return new Reply(416, [], $"bytes */{bytes.Length}");
                return new Reply(206, bytes[(int)start..], $"bytes {start}-{bytes.Length - 1}/{bytes.Length}", dropAfter);
            }
            return new Reply(200, bytes, DropAfter: dropAfter);
        }
    }

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<Request, Reply> _handler;
    private readonly CancellationTokenSource _stop = new();

    public LoopbackHttpServer(Func<Request, Reply> handler)
    {
        _handler = handler;
        _listener.Start();
        _ = AcceptLoopAsync();
    }

    public Uri BaseUri => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");

    public ConcurrentQueue<Request> Requests { get; } = new();

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) { return; }
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var head = await ReadHeadAsync(stream);
                var lines = head.Split("\r\n");
                var parts = lines[0].Split(' ');
                var headers = lines.Skip(1).Where(l => l.Contains(':')).ToDictionary(
                    l => l[..l.IndexOf(':')].Trim().ToLowerInvariant(), l => l[(l.IndexOf(':') + 1)..].Trim());
                // A proxy request names the whole address ("GET http://host/path HTTP/1.1").
                var path = parts[1].StartsWith("http", StringComparison.Ordinal) ? new Uri(parts[1]).PathAndQuery : parts[1];
                var request = new Request(parts[0], parts[1], path, headers);
                Requests.Enqueue(request);
                var reply = _handler(request);
                var header = new StringBuilder()
                    .Append($"HTTP/1.1 {reply.Status} {(reply.Status < 300 ? "OK" : "Error")}\r\n")
                    .Append($"Content-Type: {reply.ContentType}\r\nContent-Length: {reply.Body.Length}\r\nConnection: close\r\nAccept-Ranges: bytes\r\n");
                if (reply.ContentRange is not null) header.Append($"Content-Range: {reply.ContentRange}\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(header.Append("\r\n").ToString()));
                var length = (int)Math.Min(reply.Body.Length, reply.DropAfter ?? long.MaxValue);
                await stream.WriteAsync(reply.Body.AsMemory(0, length));
                await stream.FlushAsync();
            }
            catch (IOException)
            {
                // The client went away.
            }
        }
    }

    private static async Task<string> ReadHeadAsync(NetworkStream stream)
    {
        var bytes = new List<byte>();
        var one = new byte[1];
        while (bytes.Count < 65536 && await stream.ReadAsync(one) == 1)
        {
            bytes.Add(one[0]);
            if (bytes.Count >= 4 && bytes[^1] == '\n' && bytes[^2] == '\r' && bytes[^3] == '\n' && bytes[^4] == '\r') break;
        }
        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        _stop.Dispose();
    }
}
