using System;
using System.Linq;
using System.Threading.Tasks;
using TuZiImages.Core;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Requests;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Client;

/// <summary>The balance, the usage and the price list, through the same sender as every call, against the fake's new-api endpoints.</summary>
public class BillingTests
{
    [Fact]
    public async Task The_balance_is_the_limit_and_the_usage_in_dollars_with_the_key_and_the_expiry()
    {
        var expires = new DateTimeOffset(2027, 3, 1, 0, 0, 0, TimeSpan.Zero);
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            Billing = new BillingMode { LimitUsd = 10m, AccessUntil = expires.ToUnixTimeSeconds() },
        });
        await h.Client().GenerateAsync(new GenerationRequest { Prompt = "a red fox", Count = 3, [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere());

        var balance = await h.Client().GetBalanceAsync();

        Assert.Equal(10m, balance.LimitUsd);
        Assert.Equal(0.3m, balance.UsedUsd); // 30 cents: three images at $0.10
        Assert.Equal(9.7m, balance.RemainingUsd);
        Assert.Equal(expires, balance.ExpiresAt);
        Assert.Equal(h.Server.ApiBaseAddress.ToString().TrimEnd('/'), balance.Service);
        var reads = h.Server.Billing.Requests;
        Assert.Equal(new[] { "/v1/dashboard/billing/subscription", "/v1/dashboard/billing/usage" }, reads.Select(r => r.Path).OrderBy(p => p).ToArray());
        Assert.All(reads, r => Assert.Equal("Bearer " + ClientHarness.ApiKey, r.Header("Authorization")));
        Assert.Equal("$9.70 of $10.00 left", balance.ToString());
    }

    [Fact]
    public async Task A_key_that_never_expires_has_no_expiry_and_a_base_address_in_v1_is_not_doubled()
    {
        await using var h = await ClientHarness.StartAsync();

        var balance = await h.Client(o => o.BaseAddress = new Uri(h.Server.ApiBaseAddress, "v1/")).GetBalanceAsync();

        Assert.Null(balance.ExpiresAt);
        Assert.Equal(25m, balance.RemainingUsd);
        Assert.All(h.Server.Billing.Requests, r => Assert.StartsWith("/v1/dashboard/billing/", r.Path));
    }

    [Fact]
    public async Task A_service_without_billing_endpoints_says_it_reports_no_balance()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions { Billing = new BillingMode { Endpoints = false } });

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client().GetBalanceAsync());

        Assert.Equal(TuZiErrorKind.BadRequest, e.Kind);
        Assert.Equal(404, e.StatusCode);
        Assert.Contains("reports no balance or usage", e.Message);
        Assert.Contains("-BudgetUsd", e.RecommendedAction);
    }

    [Fact]
    public async Task New_apis_error_in_a_200_answer_is_an_error_and_a_failing_gateway_is_retried()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Match = "/billing/usage", Status = 502 });
        h.Server.EnqueueFault(new FaultSpec { Match = "/billing/subscription", Status = 200, Body = "{\"error\":{\"message\":\"token not found\",\"type\":\"upstream_error\"}}" });

        var usage = await h.Client().ReadUsageUsdAsync();
        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client().GetBalanceAsync());

        Assert.Equal(0m, usage);
        Assert.Equal(new[] { "502", "200" }, h.Server.Billing.Requests.Take(2).Select(r => r.Outcome).ToArray());
        Assert.Equal(TuZiErrorKind.Server, e.Kind);
        Assert.Contains("token not found", e.Message);
    }

    [Fact]
    public async Task Models_carry_the_published_price_per_request_read_without_the_key()
    {
        await using var h = await ClientHarness.StartAsync();

        var models = (await h.Client().ListPricedModelsAsync()).ToDictionary(m => m.Id);

        Assert.Equal(0.10m, models["gemini-3-pro-image-preview"].PriceUsd);
        Assert.Equal("default", models["gemini-3-pro-image-preview"].PriceGroup);
        Assert.Equal(0.05m, models["gpt-image-1"].PriceUsd);
        Assert.Null(models["gpt-image-1.5"].PriceUsd);  // token-priced
        Assert.Null(models["gpt-image-1.5"].PriceGroup);
        Assert.Null(models["flux-kontext-pro"].PriceUsd); // charged, but not published
        var pricing = Assert.Single(h.Server.Billing.Requests);
        Assert.Equal("/api/pricing", pricing.Path);
        Assert.Null(pricing.Header("Authorization"));
        Assert.Contains(h.Log, line => line.StartsWith("Prices: 5 model(s) have a published price per request"));
    }

    [Fact]
    public async Task A_price_is_its_groups_the_default_one_unless_the_model_is_not_offered_to_it()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec
        {
            Match = "/api/pricing", Status = 200, Body = """
                {"success":true,"group_ratio":{"default":2,"vip":0.5},"data":[
                  {"model_name":"gpt-image-1","quota_type":1,"model_price":0.05,"enable_groups":["default","vip"]},
                  {"model_name":"dall-e-3","quota_type":1,"model_price":"0.08","enable_groups":["vip"]},
                  {"model_name":"gemini-2.5-flash-image","quota_type":1,"model_price":0.04,"enable_groups":["all"]},
                  {"model_name":"deepseek-v3","quota_type":0,"model_ratio":0.5,"model_price":0}]}
                """,
        });

        var models = (await h.Client().ListPricedModelsAsync()).ToDictionary(m => m.Id);

        Assert.Equal((0.10m, "default"), (models["gpt-image-1"].PriceUsd!.Value, models["gpt-image-1"].PriceGroup!));
        Assert.Equal((0.04m, "vip"), (models["dall-e-3"].PriceUsd!.Value, models["dall-e-3"].PriceGroup!));
        Assert.Equal(0.08m, models["gemini-2.5-flash-image"].PriceUsd);
        Assert.Null(models["deepseek-v3"].PriceUsd);
    }

    [Fact]
    public async Task A_service_without_a_price_list_still_lists_its_models()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions { Billing = new BillingMode { Endpoints = false } });

        var models = await h.Client().ListPricedModelsAsync();

        Assert.Equal(h.Server.Options.Models, models.Select(m => m.Id));
        Assert.All(models, m => Assert.Null(m.PriceUsd));
        Assert.Contains(h.Log, line => line.StartsWith("No prices: ") && line.Contains("404"));
    }
}
