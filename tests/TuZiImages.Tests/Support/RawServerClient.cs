using System;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;

namespace TuZiImages.Tests.Support;

/// <summary>Plain HTTP to the test server, past the client: its control endpoints and a bare generation request.</summary>
internal sealed class RawServerClient : IDisposable
{
    private readonly HttpClient _http;

    public RawServerClient(Uri apiBaseAddress) => _http = new HttpClient { BaseAddress = apiBaseAddress };

    public HttpClient Http => _http;

    /// <summary>The smallest generation the server takes, with a key.</summary>
    public static HttpRequestMessage Generation() => new(HttpMethod.Post, "v1/images/generations")
    {
        Content = new StringContent("{\"prompt\":\"x\"}", Encoding.UTF8, "application/json"),
        Headers = { { "Authorization", "Bearer k" } },
    };

    public Task<HttpResponseMessage> SendGenerationAsync() => _http.SendAsync(Generation());

    /// <summary>Sets the server's rate-limit mode, as <c>POST /_control/ratelimit</c> takes it.</summary>
    public async Task SetRateLimitAsync(string json) =>
        (await _http.PostAsync("_control/ratelimit", new StringContent(json, Encoding.UTF8, "application/json"))).EnsureSuccessStatusCode();

    public void Dispose() => _http.Dispose();
}
