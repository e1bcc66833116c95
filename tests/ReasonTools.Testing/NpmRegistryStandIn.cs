using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using ReasonTools.Core.Native;

namespace ReasonTools.Testing;

/// <summary>A loopback stand-in for the npm registry serving node-llama-cpp packages of the pinned version.</summary>
public static class NpmRegistryStandIn
{
    private static string Version => LlamaNativeLibrary.PinnedNpmVersion;

    /// <summary>A node-llama-cpp package as npm serves it: a gzip'd tar with the libraries under package/bins/&lt;platform&gt;/.</summary>
    public static byte[] Package(string platform, params string[] libraries)
    {
        using var memory = new MemoryStream();
        using (var gzip = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
        using (var tar = new TarWriter(gzip))
        {
            void Add(string name, string text)
            {
                var entry = new PaxTarEntry(TarEntryType.RegularFile, name) { DataStream = new MemoryStream(Encoding.UTF8.GetBytes(text)) };
                tar.WriteEntry(entry);
            }
            Add("package/package.json", $"{{\"name\":\"@node-llama-cpp/{platform}\",\"version\":\"{Version}\"}}");
            Add($"package/bins/{platform}/_nlcBuildMetadata.json", "{}");
            foreach (var library in libraries) Add($"package/bins/{platform}/{library}", "ELF " + library);
        }
        return memory.ToArray();
    }

    public static string Integrity(byte[] bytes) => "sha512-" + Convert.ToBase64String(SHA512.HashData(bytes));

    /// <summary>A registry serving the given packages (name -> tarball, published integrity); anything else is a 404.</summary>
    public static LoopbackHttpServer Serve(Dictionary<string, (byte[] Tarball, string Integrity)> packages, long? dropAfter = null)
    {
        LoopbackHttpServer? server = null;
        server = new LoopbackHttpServer(request =>
        {
            var path = Uri.UnescapeDataString(request.Path);
            foreach (var (name, (tarball, integrity)) in packages)
            {
                if (path == $"/@node-llama-cpp/{name}/{Version}")
                    return LoopbackHttpServer.Reply.Json($"{{\"name\":\"@node-llama-cpp/{name}\",\"version\":\"{Version}\",\"dist\":{{\"tarball\":\"{server!.BaseUri}tarballs/{name}-{Version}.tgz\",\"integrity\":\"{integrity}\"}}}}");
                if (path == $"/tarballs/{name}-{Version}.tgz") return LoopbackHttpServer.Reply.File(tarball, request, dropAfter);
            }
            return LoopbackHttpServer.Reply.Text(404, "{\"error\":\"Not found\"}");
        });
        return server;
    }
}
