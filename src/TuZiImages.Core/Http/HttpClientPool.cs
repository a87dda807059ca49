using System;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Http;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.Core.Platform;

namespace TuZiImages.Core.Http;

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

/// <summary>
/// Every request the module sends says it expects no 100-continue. .NET Framework's ServicePointManager turns
/// Expect: 100-continue on for every POST by default, and its HttpClientHandler changes that (on the host's
/// ServicePoint) only when the request says so: each POST would otherwise wait up to 350 ms for a "100 Continue"
/// before sending its body, and some servers never send one. .NET sends none unless asked; this states it anyway.
/// In .NET Framework the setting lands on the host's ServicePoint, so other code in the session that talks to the
/// same host sends no Expect either: harmless, since a server must accept a body sent without one.
/// </summary>
internal sealed class NoExpectContinueHandler : DelegatingHandler
{
    public NoExpectContinueHandler(HttpMessageHandler inner) : base(inner)
    {
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.ExpectContinue = false;
        return base.SendAsync(request, cancellationToken);
    }
}
