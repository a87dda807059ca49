using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;
using TuZiImages.TestServer;

namespace TuZiImages.EngineTests.Money;

/// <summary>Get-TuZiBalance and the prices of Get-TuZiModel, as a user meets them in the engine.</summary>
[Trait("Category", "Engine")]
public sealed class BalanceTests
{
    private const string Connection = "-BaseUri $BaseUri -ApiKey $ApiKey";

    private static EngineRun Run(EngineSession engine, string command) =>
        engine.Run("param($BaseUri, $ApiKey) " + command, ("BaseUri", engine.BaseUri), ("ApiKey", engine.ApiKey));

    [Fact]
    public async Task The_balance_is_one_object_of_dollars_that_grows_used_as_images_are_made_and_shows_as_a_table()
    {
        await using var engine = await EngineSession.StartAsync(new FakeServerOptions { Billing = new BillingMode { LimitUsd = 5m } });
        engine.Run("'a red fox', 'a blue whale' | New-TuZiImage -ResponseFormat b64_json").ThrowIfFailed();

        var run = Run(engine, $"Get-TuZiBalance {Connection}");
        Run(engine, $"Get-TuZiBalance {Connection} | Out-Default").ThrowIfFailed();

        run.ThrowIfFailed();
        var balance = Assert.Single(run.OutputOf("TuZiImages.Core.TuZiBalance"));
        Assert.Equal(5m, balance.Prop<decimal>("LimitUsd"));
        Assert.Equal(0.2m, balance.Prop<decimal>("UsedUsd"));
        Assert.Equal(4.8m, balance.Prop<decimal>("RemainingUsd"));
        Assert.Null(balance.Prop("ExpiresAt"));
        string table = Regex.Replace(engine.HostUI.Text, @"\x1b\[[0-9;]*m", "");
        Assert.Matches(@"LimitUsd\s+UsedUsd\s+RemainingUsd\s+ExpiresAt\s+Service", table);
        Assert.Matches(@"5\.00\s+0\.20\s+4\.80\s+never\s+http://127\.0\.0\.1", table);
        Assert.DoesNotContain(engine.ApiKey, run.AllText());
    }

    [Fact]
    public async Task A_refused_key_and_a_service_without_billing_endpoints_are_clear_errors()
    {
        await using var refusing = await EngineSession.StartAsync(new FakeServerOptions { ExpectedApiKey = "sk-the-right-one" });
        await using var without = await EngineSession.StartAsync(new FakeServerOptions { Billing = new BillingMode { Endpoints = false } });

        var refused = Run(refusing, $"Get-TuZiBalance {Connection}");
        var missing = Run(without, $"Get-TuZiBalance {Connection}");

        Assert.Empty(refused.Output);
        Assert.Null(refused.Terminating);
        var auth = Assert.Single(refused.Errors);
        Assert.Equal("TuZiImages.AuthenticationFailed,TuZiImages.Commands.GetTuZiBalanceCommand", auth.FullyQualifiedErrorId);
        Assert.DoesNotContain(refusing.ApiKey, refused.AllText());
        var none = Assert.Single(missing.Errors);
        Assert.Equal("TuZiImages.BadRequest,TuZiImages.Commands.GetTuZiBalanceCommand", none.FullyQualifiedErrorId);
        Assert.Matches(@"reports no balance or usage: GET /v1/dashboard/billing/(subscription|usage) answered HTTP 404\.", none.Exception.Message);
    }

    [Fact]
    public async Task Get_TuZiModel_shows_the_default_groups_price_per_request_and_none_for_token_priced_models()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = Run(engine, $"Get-TuZiModel {Connection} -Verbose");

        run.ThrowIfFailed();
        var models = run.OutputOf("TuZiImages.Core.TuZiModel").ToDictionary(m => m.Prop<string>("Id")!);
        Assert.Equal(0.05m, models["gpt-image-1"].Prop<decimal?>("PriceUsd"));
        Assert.Equal("default", models["gpt-image-1"].Prop<string>("PriceGroup"));
        Assert.Null(models["gpt-image-1.5"].Prop("PriceUsd")); // token-priced
        Assert.Null(models["deepseek-v3"].Prop("PriceUsd"));
        Assert.Contains(run.Verbose, v => v.Contains("the default group's") && v.Contains("your key's own group can multiply"));
        // The price list is the service's public page: asked without the key.
        Assert.All(engine.Server.Billing.Requests, pricing =>
        {
            Assert.Equal("/api/pricing", pricing.Path);
            Assert.Null(pricing.Header("Authorization"));
        });
        // The table shows PriceUsd: SurfaceTests.Get_TuZiModel_shows_as_a_table_of_owner_created_price_and_id.
    }

    [Fact]
    public async Task Without_a_price_list_Get_TuZiModel_lists_the_models_and_New_TuZiImage_works_without_a_budget()
    {
        await using var engine = await EngineSession.StartAsync(new FakeServerOptions { Billing = new BillingMode { Endpoints = false } });

        var models = Run(engine, $"Get-TuZiModel {Connection}");
        var plain = engine.Run("New-TuZiImage 'a red fox' -ResponseFormat b64_json -Verbose");

        models.ThrowIfFailed();
        Assert.Equal(engine.Server.Options.Models, models.Output.Select(m => m.Prop<string>("Id")));
        Assert.All(models.Output, m => Assert.Null(m.Prop("PriceUsd")));
        plain.ThrowIfFailed();
        Assert.Single(plain.Results);
        Assert.Contains(plain.Verbose, v => v.StartsWith("The service's usage could not be read: ") && v.Contains("404"));
    }
}
