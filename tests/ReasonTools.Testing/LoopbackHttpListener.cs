using System.Net;
using System.Net.Sockets;

namespace ReasonTools.Testing;

/// <summary>HttpListener-based test servers start here: on a free port of 127.0.0.1, never another address.</summary>
public static class LoopbackHttpListener
{
    /// <summary>A started listener on a free loopback port, and the base address it serves.</summary>
    public static (HttpListener Listener, Uri Url) Start()
    {
        // HttpListener cannot bind port 0; ask the OS for a free port first.
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var listener = new HttpListener();
        listener.Prefixes.Add(url.ToString());
        listener.Start();
        return (listener, url);
    }
}
