using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Reflection;
using TuZiImages.Core.Platform;

namespace TuZiImages.Core.Transport;

/// <summary>
/// One HttpClient per API origin and proxy for the life of the process, so connections are reused across requests
/// and across cmdlet invocations. The API client never follows redirects (a redirect would carry the key to
/// another host); the download client follows them but never has the key to give. Downloads go through the
/// same proxy as the API, as a browser's would.
/// </summary>
internal static class HttpClientPool
{
    private const int ConnectionsPerServer = 256;
    private static readonly ConcurrentDictionary<string, HttpClient> ApiClients = new(StringComparer.OrdinalIgnoreCase);
    private static readonly ConcurrentDictionary<string, HttpClient> DownloadClients = new(StringComparer.Ordinal);

    public static readonly string UserAgent = "TuZiImages/" + (typeof(HttpClientPool).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0");

    // The proxy is part of the key: a client's handler keeps the proxy it was made with.
    public static HttpClient ForApi(Uri baseAddress, ProxySettings proxy) =>
        ApiClients.GetOrAdd(baseAddress.GetLeftPart(UriPartial.Authority) + "|" + proxy.PoolKey, _ => Create(followRedirects: false, proxy));

    public static HttpClient ForDownloads(ProxySettings proxy) =>
        DownloadClients.GetOrAdd(proxy.PoolKey, _ => Create(followRedirects: true, proxy));

    private static HttpClient Create(bool followRedirects, ProxySettings proxy)
    {
        TlsProtocols.EnsureTls12();
        var handler = new HttpClientHandler
        {
            AllowAutoRedirect = followRedirects,
            AutomaticDecompression = DecompressionMethods.GZip | DecompressionMethods.Deflate,
            UseCookies = false,
        };
        proxy.Apply(handler);
        try
        {
            // .NET Framework's default of 2 connections per host would quietly serialise a batch. Its in-box
            // handler (4.7.2) applies this to the host's ServicePoint; the 4.x System.Net.Http package threw.
            handler.MaxConnectionsPerServer = ConnectionsPerServer;
        }
        catch (PlatformNotSupportedException)
        {
        }
        HttpMessageHandler pipeline = new NoExpectContinueHandler(HostSupport.IsNetFramework ? new CancellableBodyHandler(handler) : handler);
        // Each attempt has its own timeout; the client-wide one (100 s by default) would kill 4K jobs.
        var client = new HttpClient(pipeline) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.ParseAdd(UserAgent);
        return client;
    }
}
