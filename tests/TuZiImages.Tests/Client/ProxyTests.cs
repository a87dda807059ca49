using System.Net.Http;
using System.Net;
using System.Threading.Tasks;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Requests;
using TuZiImages.Core.Transport;
using TuZiImages.Core;
using TuZiImages.TestServer.Proxy;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Client;

/// <summary>
/// Requests through a forward proxy on loopback, which counts what it saw: which hosts, and whether the key
/// crossed it readable. The key may cross a proxy only inside a CONNECT tunnel, or in clear when allowed.
/// </summary>
public class ProxyTests
{
    private static GenerationRequest Fox(string? format = null) => new() { Prompt = "a red fox", Model = "gpt-image-1", [BodyFields.ResponseFormat] = format };

     [Fact]
    public async Task Allowed_explicitly_a_plain_http_API_is_reached_through_the_proxy_and_so_are_the_downloads_without_the_key()
    {
        await using var h = await ClientHarness.StartAsync();
        await using var proxy = new LoopbackForwardProxy(ClientHarness.ApiKey);

        var response = await h.Client(o =>
        {
            o.Proxy = new ProxySettings { Address = proxy.Address };
            o.AllowUnencryptedAuthentication = true;
        }).GenerateAsync(Fox("url"), h.SaveHere("fox"));

        Assert.Single(response.Images);
        var seen = proxy.Requests;
        var api = Assert.Single(seen, r => r.Host == h.Server.ApiBaseAddress.Authority);
        Assert.Equal("POST", api.Method);
        Assert.True(api.AuthorizationInClear, "allowed, the key crosses the proxy in clear: that is what the switch allows");
        var download = Assert.Single(seen, r => r.Host == h.Server.ResultBaseAddress.Authority);
        Assert.Equal("GET", download.Method);
        Assert.False(download.AuthorizationInClear);
        Assert.Equal(1, proxy.SecretSightings);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task An_https_API_is_reached_through_a_CONNECT_tunnel_and_the_key_never_crosses_the_proxy_readable()
    {
        await using var h = await ClientHarness.StartAsync();
        await using var proxy = new LoopbackForwardProxy(ClientHarness.ApiKey);
        // The fake service speaks plain http, so the TLS handshake inside the tunnel fails: what matters is
        // what the proxy was asked for and what it could read.
        var https = new UriBuilder(h.Server.ApiBaseAddress) { Scheme = "https" }.Uri;

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client(o =>
        {
            o.BaseAddress = https;
            o.MaxRetries = 0;
            o.Proxy = new ProxySettings { Address = proxy.Address };
        }).GenerateAsync(Fox(), h.SaveHere()));

        Assert.Equal(TuZiErrorKind.Network, e.Kind);
        var tunnel = Assert.Single(proxy.Requests);
        Assert.Equal("CONNECT", tunnel.Method);
        Assert.Equal(https.Authority, tunnel.Target);
        Assert.False(tunnel.AuthorizationInClear);
        Assert.Equal(0, proxy.SecretSightings);
        Assert.DoesNotContain(ClientHarness.ApiKey, e.ToString());
    }

    [Fact]
    public async Task A_proxy_that_wants_credentials_gets_them_and_without_them_the_407_is_named_as_the_proxys()
    {
        await using var h = await ClientHarness.StartAsync();
        await using var proxy = new LoopbackForwardProxy(ClientHarness.ApiKey) { RequiredCredential = "alice:s3cret" };

        var refused = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client(o =>
        {
            o.Proxy = new ProxySettings { Address = proxy.Address };
            o.AllowUnencryptedAuthentication = true;
        }).GenerateAsync(Fox(), h.SaveHere("refused")));

        Assert.Equal(TuZiErrorKind.Authentication, refused.Kind);
        Assert.Equal(407, refused.StatusCode);
        Assert.Contains("proxy " + proxy.Address.GetLeftPart(UriPartial.Authority), refused.Message);
        Assert.Contains("-ProxyCredential", refused.RecommendedAction);
        Assert.Equal(1, refused.Attempts);
        Assert.Empty(h.Server.Requests);

        var response = await h.Client(o =>
        {
            o.Proxy = new ProxySettings { Address = proxy.Address, Credential = new NetworkCredential("alice", "s3cret") };
            o.AllowUnencryptedAuthentication = true;
        }).GenerateAsync(Fox(), h.SaveHere("allowed"));

        Assert.Single(response.Images);
        Assert.Contains(proxy.Requests, r => r.ProxyAuthorization && r.Status == 200);
        Assert.Single(h.Server.Requests);
        Assert.Null(h.Server.Requests[0].Header("Proxy-Authorization"));
    }

    [Fact]
    public async Task A_download_the_proxy_refuses_with_407_says_the_proxy_wants_credentials()
    {
        await using var h = await ClientHarness.StartAsync();
        await using var proxy = new LoopbackForwardProxy(ClientHarness.ApiKey)
        {
            RequiredCredential = "alice:s3cret", RequiredOnlyFor = h.Server.ResultBaseAddress.Authority,
        };

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client(o =>
        {
            o.Proxy = new ProxySettings { Address = proxy.Address };
            o.AllowUnencryptedAuthentication = true;
        }).GenerateAsync(Fox("url"), h.SaveHere("fox")));

        Assert.Equal(TuZiErrorKind.Authentication, e.Kind);
        Assert.Equal(407, e.StatusCode);
        Assert.Contains("the proxy asks for credentials", e.Message);
        Assert.Contains("-ProxyCredential", e.RecommendedAction);
        Assert.Contains(proxy.Requests, r => r.Host == h.Server.ResultBaseAddress.Authority && r.Status == 407);
    }

    [Fact]
    public async Task A_tunnel_refused_with_407_is_named_as_the_proxys_too()
    {
        await using var h = await ClientHarness.StartAsync();
        await using var proxy = new LoopbackForwardProxy(ClientHarness.ApiKey) { RequiredCredential = "alice:s3cret" };
        var https = new UriBuilder(h.Server.ApiBaseAddress) { Scheme = "https" }.Uri;

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client(o =>
        {
            o.BaseAddress = https;
            o.Proxy = new ProxySettings { Address = proxy.Address };
        }).GenerateAsync(Fox(), h.SaveHere()));

        Assert.Equal(TuZiErrorKind.Authentication, e.Kind);
        Assert.Contains("proxy " + proxy.Address.GetLeftPart(UriPartial.Authority), e.Message);
        Assert.Contains("407", e.Message);
        // Credentials do not appear between tries: the refusal is final at once, not after the retries.
        Assert.Equal("CONNECT", Assert.Single(proxy.Requests).Method);
        Assert.Equal(1, e.Attempts);
        Assert.Equal(0, proxy.SecretSightings);
    }

    [Fact]
    public async Task Without_a_proxy_setting_nothing_goes_through_the_proxy_and_NoProxy_goes_direct()
    {
        await using var h = await ClientHarness.StartAsync();
        await using var proxy = new LoopbackForwardProxy(ClientHarness.ApiKey);

        await h.Client(o => o.Proxy = new ProxySettings { Disabled = true }).GenerateAsync(Fox(), h.SaveHere("direct"));

        Assert.Empty(proxy.Requests);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task Every_request_says_it_expects_no_100_continue_even_one_that_asked_for_it()
    {
        // The one place: the pooled client's pipeline. .NET would send "Expect: 100-continue" for this request.
        await using var h = await ClientHarness.StartAsync();
        var client = HttpClientPool.ForApi(h.Server.ApiBaseAddress, ProxySettings.Default);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(h.Server.ApiBaseAddress, "v1/images/generations"))
        {
            Content = new StringContent("""{"prompt":"a red fox","model":"gpt-image-1"}""", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.ExpectContinue = true;
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ClientHarness.ApiKey);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Assert.Single(h.Server.Requests).Header("Expect"));
        Assert.False(request.Headers.ExpectContinue);
    }

    [Fact]
    public void Clients_are_pooled_per_proxy_so_a_new_proxy_or_credential_gets_its_own()
    {
        var api = new Uri("https://api.example.test/");
        var proxy = new Uri("http://proxy.example.test:8080/");
        var viaProxy = HttpClientPool.ForApi(api, new ProxySettings { Address = proxy });

        Assert.Same(viaProxy, HttpClientPool.ForApi(api, new ProxySettings { Address = proxy }));
        Assert.NotSame(viaProxy, HttpClientPool.ForApi(api, ProxySettings.Default));
        Assert.NotSame(viaProxy, HttpClientPool.ForApi(api, new ProxySettings { Disabled = true }));
        Assert.NotSame(viaProxy, HttpClientPool.ForApi(api, new ProxySettings { Address = proxy, Credential = new NetworkCredential("alice", "one") }));
        Assert.NotSame(HttpClientPool.ForApi(api, new ProxySettings { Address = proxy, Credential = new NetworkCredential("alice", "one") }),
            HttpClientPool.ForApi(api, new ProxySettings { Address = proxy, Credential = new NetworkCredential("alice", "two") }));
        Assert.Same(HttpClientPool.ForDownloads(new ProxySettings { Address = proxy }), HttpClientPool.ForDownloads(new ProxySettings { Address = proxy }));
        Assert.NotSame(HttpClientPool.ForDownloads(new ProxySettings { Address = proxy }), HttpClientPool.ForDownloads(ProxySettings.Default));
    }
}
