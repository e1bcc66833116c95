using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using ReasonTools.Testing;

namespace ReasonTools.PowerShell.Tests;

/// <summary>
/// A Hugging Face stand-in on 127.0.0.1 serving one repository: its file listing (with the SHA-256 each file is listed
/// with) and the files themselves, so that Save-ReasonModel downloads without a network.
/// </summary>
internal sealed class FakeModelHub : IDisposable
{
    private readonly HttpListener _listener;
    private readonly Task _loop;
    private readonly string _repository;
    private readonly Dictionary<string, (byte[] Content, string ListedSha256)> _files;
    private readonly ManualResetEventSlim _released = new();

    /// <param name="repository">The repository, as the catalog names it.</param>
    /// <param name="files">Each file's name, content, and the SHA-256 the listing gives (the true one unless a test lies).</param>
    public FakeModelHub(string repository, IReadOnlyDictionary<string, (byte[] Content, string? ListedSha256)> files)
    {
        _repository = repository;
        _files = files.ToDictionary(f => f.Key, f => (f.Value.Content, f.Value.ListedSha256 ?? Sha256(f.Value.Content)));
        (_listener, Url) = LoopbackHttpListener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public Uri Url { get; }

    /// <summary>When set, a file's body stops after this many bytes until the hub is disposed (a stalled download).</summary>
    public int? StallAfterBytes { get; init; }

    public static string Sha256(byte[] content) => Convert.ToHexString(SHA256.HashData(content)).ToLowerInvariant();

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            try
            {
                Answer(context);
            }
            catch (HttpListenerException)
            {
                // The client went away; the next request is answered as usual.
            }
        }
    }

    private void Answer(HttpListenerContext context)
    {
        var path = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath);
        var response = context.Response;
        byte[] body;
        if (path == $"/api/models/{_repository}/tree/main")
        {
            body = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(_files.Select(f => new
            {
                type = "file",
                path = f.Key,
                size = f.Value.Content.Length,
                lfs = new { oid = f.Value.ListedSha256, size = f.Value.Content.Length },
            })));
            response.ContentType = "application/json";
        }
        else if (path.StartsWith($"/{_repository}/resolve/main/", StringComparison.Ordinal)
                 && _files.TryGetValue(path[$"/{_repository}/resolve/main/".Length..], out var file))
        {
            body = file.Content;
        }
        else
        {
            response.StatusCode = 404;
            body = Encoding.UTF8.GetBytes("not found");
        }
        response.ContentLength64 = body.Length;
        if (StallAfterBytes is { } stall && response.StatusCode == 200 && response.ContentType is null)
        {
            response.OutputStream.Write(body.AsSpan(0, stall));
            response.OutputStream.Flush();
            _released.Wait();
            response.Abort();
            return;
        }
        response.OutputStream.Write(body);
        response.Close();
    }

    public void Dispose()
    {
        _released.Set();
        _listener.Stop();
        _listener.Close();
        _loop.Wait(TimeSpan.FromSeconds(5));
        _released.Dispose();
    }
}
