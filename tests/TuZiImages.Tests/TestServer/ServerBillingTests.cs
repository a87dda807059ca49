using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.TestServer;

/// <summary>The fake's money over plain HTTP, past the client: what the billing tests of the client and the engine stand on.</summary>
public class ServerBillingTests
{
    private static async Task<JsonElement> GetJsonAsync(HttpClient http, string path, bool withKey = true)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (withKey)
        {
            request.Headers.Add("Authorization", "Bearer k");
        }
        using var response = await http.SendAsync(request);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static HttpRequestMessage Generation(string model, int n) => new(HttpMethod.Post, "v1/images/generations")
    {
        Content = new StringContent($"{{\"prompt\":\"x\",\"model\":\"{model}\",\"n\":{n}}}", Encoding.UTF8, "application/json"),
        Headers = { { "Authorization", "Bearer k" } },
    };

    [Fact]
    public async Task Usage_grows_in_cents_by_the_models_price_for_each_image_made_and_the_limit_stays()
    {
        await using var h = await ClientHarness.StartAsync();
        using var raw = new RawServerClient(h.Server.ApiBaseAddress);

        (await raw.Http.SendAsync(Generation("gemini-3-pro-image-preview", 1))).EnsureSuccessStatusCode(); // $0.10
        (await raw.Http.SendAsync(Generation("gpt-image-1", 2))).EnsureSuccessStatusCode();                // 2 x $0.05
        (await raw.Http.PostAsync("v1/images/generations", null)).Dispose(); // refused (no key): nothing made, nothing charged
        var usage = await GetJsonAsync(raw.Http, "v1/dashboard/billing/usage?start_date=2026-01-01&end_date=2026-12-31");
        var subscription = await GetJsonAsync(raw.Http, "v1/dashboard/billing/subscription");

        Assert.Equal(20.0m, usage.GetProperty("total_usage").GetDecimal());
        Assert.Equal("list", usage.GetProperty("object").GetString());
        Assert.Equal(25m, subscription.GetProperty("hard_limit_usd").GetDecimal());
        Assert.Equal(0, subscription.GetProperty("access_until").GetInt64());
        Assert.Equal(3, h.Server.Billing.ImagesCharged);
        Assert.Equal(2, h.Server.Billing.Requests.Count);
    }

    [Fact]
    public async Task Late_usage_is_recorded_only_when_the_test_releases_it_and_outlives_a_reset()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions { Billing = new BillingMode { LateUsage = true } });
        using var raw = new RawServerClient(h.Server.ApiBaseAddress);

        (await raw.Http.SendAsync(Generation("gemini-3-pro-image-preview", 1))).EnsureSuccessStatusCode();
        var before = await GetJsonAsync(raw.Http, "v1/dashboard/billing/usage");
        (await raw.Http.PostAsync("_control/billing/release", null)).EnsureSuccessStatusCode();
        h.Server.Reset();
        var after = await GetJsonAsync(raw.Http, "v1/dashboard/billing/usage");

        Assert.Equal(0m, before.GetProperty("total_usage").GetDecimal());
        Assert.Equal(10m, after.GetProperty("total_usage").GetDecimal());
        Assert.Equal(0m, h.Server.Billing.PendingUsd);
        Assert.Single(h.Server.Billing.Requests); // the reset forgot the first reading, not the usage
    }

    [Fact]
    public async Task The_price_list_needs_no_key_and_lists_published_and_token_priced_models_only()
    {
        await using var h = await ClientHarness.StartAsync();
        using var raw = new RawServerClient(h.Server.ApiBaseAddress);
        var set = new StringContent("{\"prices\":{\"gpt-image-1\":{\"usd\":0.2},\"flux-kontext-pro\":{\"usd\":0.3,\"published\":false},\"gpt-4o\":{\"usd\":0.01,\"tokenPriced\":true}}}",
            Encoding.UTF8, "application/json");

        (await raw.Http.PostAsync("_control/billing", set)).EnsureSuccessStatusCode();
        var pricing = await GetJsonAsync(raw.Http, "api/pricing", withKey: false);

        var data = pricing.GetProperty("data").EnumerateArray().ToDictionary(m => m.GetProperty("model_name").GetString()!);
        Assert.Equal(new[] { "gpt-4o", "gpt-image-1" }, data.Keys.OrderBy(k => k).ToArray());
        Assert.Equal(1, data["gpt-image-1"].GetProperty("quota_type").GetInt32());
        Assert.Equal(0.2m, data["gpt-image-1"].GetProperty("model_price").GetDecimal());
        Assert.Equal(0, data["gpt-4o"].GetProperty("quota_type").GetInt32());
        Assert.Equal(1, pricing.GetProperty("group_ratio").GetProperty("default").GetInt32());
        Assert.Null(Assert.Single(h.Server.Billing.Requests).Header("Authorization"));
        Assert.Equal(0.3m, h.Server.Billing.PriceOf("flux-kontext-pro"));
    }

    [Fact]
    public async Task A_service_without_billing_answers_404_and_a_task_is_charged_when_accepted()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions { Billing = new BillingMode { Endpoints = false } });
        using var raw = new RawServerClient(h.Server.ApiBaseAddress);
        using var task = new HttpRequestMessage(HttpMethod.Post, "v1/videos")
        {
            Content = new MultipartFormDataContent { { new StringContent("gemini-3-pro-image-preview-async"), "model" }, { new StringContent("a fox"), "prompt" } },
            Headers = { { "Authorization", "Bearer k" } },
        };

        using var usage = await raw.Http.GetAsync("v1/dashboard/billing/usage");
        using var pricing = await raw.Http.GetAsync("api/pricing");
        (await raw.Http.SendAsync(task)).EnsureSuccessStatusCode();

        Assert.Equal(404, (int)usage.StatusCode);
        Assert.Equal(404, (int)pricing.StatusCode);
        Assert.Equal(0.10m, h.Server.Billing.UsedUsd);
    }
}
