using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Threading.Tasks;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.TestServer;

/// <summary>The fake service's rate-limit modes themselves, over plain HTTP past the client: what the client tests stand on.</summary>
public class RateLimitModeTests
{
    [Fact]
    public async Task The_concurrency_limit_is_set_over_the_control_endpoint_answers_429_with_the_waits_asked_and_is_counted()
    {
        await using var h = await ClientHarness.StartAsync();
        using var raw = new RawServerClient(h.Server.ApiBaseAddress);
        var http = raw.Http;

        await raw.SetRateLimitAsync("{\"admitAtOnce\":0,\"retryAfter\":\"3\",\"retryAfterMs\":250}");
        using var refused = await raw.SendGenerationAsync();
        var stats = JsonDocument.Parse(await http.GetStringAsync("_control/stats")).RootElement;
        (await http.PostAsync("_control/reset", null)).EnsureSuccessStatusCode();
        using var admitted = await raw.SendGenerationAsync();

        Assert.Equal(429, (int)refused.StatusCode);
        Assert.Equal("3", refused.Headers.GetValues("Retry-After").Single());
        Assert.Equal("250", refused.Headers.GetValues("retry-after-ms").Single());
        Assert.Contains("rate_limit_error", await refused.Content.ReadAsStringAsync());
        Assert.Equal(1, stats.GetProperty("rateLimited").GetInt32());
        Assert.Equal(0, stats.GetProperty("maxAdmittedRequests").GetInt32());
        Assert.Equal(200, (int)admitted.StatusCode); // the reset put back the starting mode: no limit
        Assert.True(Assert.Single(h.Server.Requests).Outcome == "200");
    }

    [Fact]
    public async Task The_new_api_limiters_answer_as_new_api_does_and_are_switched_over_control()
    {
        await using var h = await ClientHarness.StartAsync();
        using var raw = new RawServerClient(h.Server.ApiBaseAddress);
        var http = raw.Http;

        await raw.SetRateLimitAsync("{\"windowLimit\":1,\"windowMs\":60000,\"newApi\":true,\"windowCountsRefused\":true}");
        using var admitted = await raw.SendGenerationAsync();
        using var minute = await raw.SendGenerationAsync();
        await raw.SetRateLimitAsync("{\"windowLimit\":1,\"windowMs\":5000,\"newApi\":true}");
        using var secondsAdmitted = await raw.SendGenerationAsync();
        using var seconds = await raw.SendGenerationAsync();
        await raw.SetRateLimitAsync("{\"admitAtOnce\":0,\"newApi\":true}");
        using var inFlight = await raw.SendGenerationAsync();
        var stats = JsonDocument.Parse(await http.GetStringAsync("_control/stats")).RootElement;

        Assert.Equal(200, (int)admitted.StatusCode);
        Assert.Equal(200, (int)secondsAdmitted.StatusCode);
        foreach (var refused in new[] { minute, seconds, inFlight })
        {
            Assert.Equal(429, (int)refused.StatusCode);
            Assert.Null(refused.Headers.RetryAfter);
            Assert.False(refused.Headers.Contains("retry-after-ms"));
            var error = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
            Assert.Equal(new[] { "message", "type", "code" }, error.EnumerateObject().Select(p => p.Name).ToArray());
            Assert.Equal("new_api_error", error.GetProperty("type").GetString());
            Assert.Equal("", error.GetProperty("code").GetString());
            Assert.Matches(@" \(request id: \w+\)$", error.GetProperty("message").GetString());
        }
        Assert.StartsWith("您已达到总请求数限制：1分钟内最多请求1次，包括失败次数，请检查您的请求是否正确 (request id: ", Message(minute));
        Assert.StartsWith("您已达到请求数限制 (request id: ", Message(seconds)); // a window of seconds: no minutes to name
        Assert.StartsWith("You have reached the concurrent request limit: at most 0 in-flight requests (request id: ", Message(inFlight));
        Assert.Equal(3, stats.GetProperty("rateLimited").GetInt32());
        Assert.Equal(1, stats.GetProperty("maxAdmittedInWindow").GetInt32());
    }

    private static string Message(HttpResponseMessage response) =>
        JsonDocument.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult()).RootElement.GetProperty("error").GetProperty("message").GetString()!;
}
