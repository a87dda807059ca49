using System;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace TuZiImages.TestServer.Endpoints;

/// <summary>
/// new-api's money endpoints: the OpenAI-style billing pair its wiki uses for the balance (the key's limit in USD, the
/// key's whole usage in US cents whatever the dates), and the public price list at the origin, which needs no key.
/// Recorded apart from the images requests (<see cref="ServerBilling.Requests"/>), so that reading the price list for
/// -WhatIf is not a request to the images API.
/// </summary>
internal static class Billing
{
    public const string SubscriptionPath = "/v1/dashboard/billing/subscription";
    public const string UsagePath = "/v1/dashboard/billing/usage";
    public const string PricingPath = "/api/pricing";

    public static void Map(IEndpointRouteBuilder app, ServerState state)
    {
        app.MapGet(SubscriptionPath, context => Answer(context, state, needsKey: true, mode => new
        {
            @object = "billing_subscription",
            has_payment_method = true,
            soft_limit_usd = mode.LimitUsd,
            hard_limit_usd = mode.LimitUsd,
            system_hard_limit_usd = mode.LimitUsd,
            access_until = mode.AccessUntil,
        }));
        app.MapGet(UsagePath, context => Answer(context, state, needsKey: true, _ => new
        {
            @object = "list",
            total_usage = state.Billing.UsedUsd * 100,
        }));
        app.MapGet(PricingPath, context => Answer(context, state, needsKey: false, mode => new
        {
            success = true,
            data = mode.Prices.Where(p => p.Value.Published || p.Value.TokenPriced).Select(p => new
            {
                model_name = p.Key,
                quota_type = p.Value.TokenPriced ? 0 : 1,
                model_ratio = p.Value.TokenPriced ? 0.075m : 0m,
                model_price = p.Value.TokenPriced ? 0m : p.Value.Usd,
                completion_ratio = p.Value.TokenPriced ? 4m : 1m,
                enable_groups = new[] { "default" },
            }),
            group_ratio = new { @default = 1 },
            usable_group = new { @default = "默认分组" },
        }));
        app.MapGet("/_control/billing", context => WriteJsonAsync(context, Snapshot(state), ServerJson.Control));
        app.MapPost("/_control/billing", async context =>
        {
            BillingMode? mode;
            try
            {
                mode = await JsonSerializer.DeserializeAsync<BillingMode>(context.Request.Body, ServerJson.Control, context.RequestAborted);
            }
            catch (JsonException ex)
            {
                await ErrorResponses.WriteJsonAsync(context, 400, ex.Message, "billing", cancellation: context.RequestAborted);
                return;
            }

            state.Billing.Mode = mode ?? new BillingMode();
            await WriteJsonAsync(context, Snapshot(state), ServerJson.Control);
        });
        app.MapPost("/_control/billing/release", context =>
        {
            state.Billing.ReleaseUsage();
            return WriteJsonAsync(context, Snapshot(state), ServerJson.Control);
        });
        app.MapGet("/_control/billing/requests", context => WriteJsonAsync(context, state.Billing.Requests, ServerJson.Control));
    }

    private static object Snapshot(ServerState state) => new
    {
        state.Billing.Mode,
        state.Billing.UsedUsd,
        state.Billing.PendingUsd,
        state.Billing.ImagesCharged,
        state.Billing.UsageReads,
    };

    private static Task Answer(HttpContext context, ServerState state, bool needsKey, Func<BillingMode, object> body) =>
        Tasks.Guarded(context, state, c => AnswerAsync(c, state, needsKey, body));

    /// <summary>A fault whose Match names the path (a hold, a 502, a reset) shapes the answer, as for the other endpoints.</summary>
    private static async Task AnswerAsync(HttpContext context, ServerState state, bool needsKey, Func<BillingMode, object> body)
    {
        RecordedRequest record = ImagesEndpoint.Begin(context);
        state.Billing.Record(record);
        if (await Tasks.AnsweredByFaultAsync(context, state, record, state.Faults.Take(record.Path, namedOnly: true), context.RequestAborted))
        {
            return;
        }
        BillingMode mode = state.Billing.Mode;
        if (!mode.Endpoints)
        {
            record.Outcome = "404";
            await ErrorResponses.WriteJsonAsync(context, 404, $"Invalid URL ({record.Method} {record.Path})", cancellation: context.RequestAborted);
            return;
        }

        if (needsKey && ImagesEndpoint.Authenticate(context, state.Options.ExpectedApiKey) is { } authError)
        {
            record.Outcome = "401";
            await ErrorResponses.WriteJsonAsync(context, 401, authError, code: "invalid_api_key", cancellation: context.RequestAborted);
            return;
        }

        record.Outcome = "200";
        await WriteJsonAsync(context, body(mode), ServerJson.Api);
        state.Log($"GET {record.Path} -> 200 (usage {state.Billing.UsedUsd.ToString(CultureInfo.InvariantCulture)} USD)");
    }

    private static Task WriteJsonAsync<T>(HttpContext context, T value, JsonSerializerOptions options)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        return JsonSerializer.SerializeAsync(context.Response.Body, value, options, context.RequestAborted);
    }
}
