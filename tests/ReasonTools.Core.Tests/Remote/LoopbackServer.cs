using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using ReasonTools.Testing;

namespace ReasonTools.Core.Tests.Remote;

/// <summary>What the loopback server received.</summary>
public sealed record RecordedRequest(string Method, string Path, string Body, string? Authorization);

/// <summary>
/// An HTTP server on 127.0.0.1 inside the test process that answers each path with scripted responses in turn
/// (the last one repeats): recorded-shape streams and faults for the remote clients.
/// </summary>
public sealed class LoopbackServer : IDisposable
{
    private readonly HttpListener _listener;
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Func<HttpListenerContext, Task>>> _routes = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    public LoopbackServer()
    {
        (_listener, Url) = LoopbackHttpListener.Start();
        _loop = Task.Run(AcceptAsync);
    }

    public Uri Url { get; }

    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    /// <summary>Answers <paramref name="path"/> with these responses in order; the last repeats.</summary>
    public LoopbackServer On(string path, params Func<HttpListenerContext, Task>[] responses)
    {
        _routes[path] = new ConcurrentQueue<Func<HttpListenerContext, Task>>(responses);
        return this;
    }

    public int Count(string path) => Requests.Count(r => r.Path == path);

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            string body;
            using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8)) body = await reader.ReadToEndAsync();
            var path = context.Request.Url!.AbsolutePath;
            Requests.Enqueue(new RecordedRequest(context.Request.HttpMethod, path, body, context.Request.Headers["Authorization"]));
            if (!_routes.TryGetValue(path, out var queue) || !queue.TryPeek(out var respond))
            {
                await Json(404, "{\"error\":\"no such path\"}")(context);
                return;
            }
            if (queue.Count > 1) queue.TryDequeue(out _);
            await respond(context);
        }
        catch (Exception)
        {
            // A client that hung up or a scripted abort: nothing to answer.
        }
    }

    public static Func<HttpListenerContext, Task> Json(int status, string body, params (string Name, string Value)[] headers) => async context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        foreach (var (name, value) in headers) context.Response.AddHeader(name, value);
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    };

    /// <summary>Streams lines one write at a time. <paramref name="abort"/> drops the connection after the last line; <paramref name="stallMs"/> waits before closing.</summary>
    public static Func<HttpListenerContext, Task> Stream(IEnumerable<string> lines, string contentType, bool abort = false, int stallMs = 0) => async context =>
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = contentType;
        context.Response.SendChunked = true;
        foreach (var line in lines)
        {
            var bytes = Encoding.UTF8.GetBytes(line);
            await context.Response.OutputStream.WriteAsync(bytes);
            await context.Response.OutputStream.FlushAsync();
        }
        if (stallMs > 0) await Task.Delay(stallMs);
        if (abort) context.Response.Abort();
        else context.Response.Close();
    };

    /// <summary>Server-sent events: one "data:" event per payload.</summary>
    public static Func<HttpListenerContext, Task> Sse(IEnumerable<string> payloads, bool abort = false, int stallMs = 0) =>
        Stream(payloads.Select(p => $"data: {p}\n\n"), "text/event-stream", abort, stallMs);

    /// <summary>Newline-delimited JSON.</summary>
    public static Func<HttpListenerContext, Task> Ndjson(IEnumerable<string> lines, bool abort = false, int stallMs = 0) =>
        Stream(lines.Select(l => l + "\n"), "application/x-ndjson", abort, stallMs);

    public void Dispose()
    {
        _stopping.Cancel();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }
}

/// <summary>
/// A bare TCP server that answers every request with fixed raw bytes and then drops the connection: how a proxy or
/// a crashed server cuts a stream below HTTP (a body shorter than its Content-Length).
/// </summary>
public sealed class DroppingServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<string, string> _respond;

    /// <param name="respond">From the request line ("POST /v1/chat/completions HTTP/1.1") to the raw response.</param>
    public DroppingServer(Func<string, string> respond)
    {
        _respond = respond;
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _ = Task.Run(AcceptAsync);
    }

    public Uri Url { get; }

    private async Task AcceptAsync()
    {
        while (true)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync();
            }
            catch (Exception)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                var received = new List<byte>();
                var buffer = new byte[4096];
                int headerEnd;
                while ((headerEnd = IndexOf(received, "\r\n\r\n"u8.ToArray())) < 0)
                {
                    var n = await stream.ReadAsync(buffer);
                    if (n == 0) return;
                    received.AddRange(buffer.AsSpan(0, n).ToArray());
                }
                var head = Encoding.ASCII.GetString(received.ToArray(), 0, headerEnd);
                var length = head.Split("\r\n").Select(l => l.Split(':', 2))
                    .Where(p => p.Length == 2 && p[0].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    .Select(p => int.Parse(p[1].Trim())).FirstOrDefault();
                while (received.Count < headerEnd + 4 + length)
                {
                    var n = await stream.ReadAsync(buffer);
                    if (n == 0) return;
                    received.AddRange(buffer.AsSpan(0, n).ToArray());
                }
                await stream.WriteAsync(Encoding.UTF8.GetBytes(_respond(head.Split("\r\n")[0])));
                await stream.FlushAsync();
            }
            catch (IOException)
            {
            }
        }
    }

    private static int IndexOf(List<byte> haystack, byte[] needle)
    {
        for (var i = 0; i + needle.Length <= haystack.Count; i++)
        {
            var match = true;
            for (var j = 0; j < needle.Length && match; j++) match = haystack[i + j] == needle[j];
            if (match) return i;
        }
        return -1;
    }

    public void Dispose() => _listener.Stop();
}
