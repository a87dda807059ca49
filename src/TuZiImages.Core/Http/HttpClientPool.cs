using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Reflection;
using TuZiImages.Core.Platform;

namespace TuZiImages.Core.Http;

/// <summary>
/// One HttpClient per API origin for the life of the process, so connections are reused across requests and
/// across cmdlet invocations. The API client never follows redirects (a redirect would carry the key to
/// another host); the download client follows them but never has the key to give.
/// </summary>
internal static class HttpClientPool
{
    private const int ConnectionsPerServer = 256;
    private static readonly ConcurrentDictionary<string, HttpClient> ApiClients = new(StringComparer.OrdinalIgnoreCase);
    private static readonly Lazy<HttpClient> DownloadClient = new(() => Create(followRedirects: true));

    public static readonly string UserAgent = "TuZiImages/" + (typeof(HttpClientPool).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0");

    public static HttpClient ForApi(Uri baseAddress) =>
        ApiClients.GetOrAdd(baseAddress.GetLeftPart(UriPartial.Authority), _ => Create(followRedirects: false));

    public static HttpClient ForDownloads => DownloadClient.Value;

    private static HttpClient Create(bool followRedirects)
    {
        TlsProtocols.EnsureModernProtocols();
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = followRedirects,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseCookies = false,
        };
        try
        {
            // .NET Framework's default of 2 connections per host would quietly serialise a batch. Its in-box
            // handler (4.7.2) applies this to the host's ServicePoint; the 4.x System.Net.Http package threw.
            handler.MaxConnectionsPerServer = ConnectionsPerServer;
        }
        catch (PlatformNotSupportedException)
        {
        }
        HttpMessageHandler pipeline = HostSupport.IsNetFramework ? new CancellableBodyHandler(handler) : handler;
        // Each attempt has its own timeout; the client-wide one (100 s by default) would kill 4K jobs.
        var client = new HttpClient(pipeline) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        return client;
    }
}
