using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.Core.Responses;
using TuZiImages.Core.Transport;

namespace TuZiImages.Core.Billing;

/// <summary>
/// The service's money endpoints, through the same sender (key, timeout, retries, rate view, errors) as every call:
/// new-api's OpenAI-style billing pair, which its wiki uses for the balance, and its public price list. These GETs
/// make nothing and bill nothing.
/// </summary>
internal sealed class BillingReader
{
    public const string SubscriptionPath = "/v1/dashboard/billing/subscription";
    public const string UsagePath = "/v1/dashboard/billing/usage";
    public const string PricingPath = "/api/pricing";

    private readonly ApiAddress _address;
    private readonly ApiRequestSender _sender;

    public BillingReader(ApiAddress address, ApiRequestSender sender)
    {
        _address = address;
        _sender = sender;
    }

    /// <summary>The key's limit and usage, read together.</summary>
    public async Task<TuZiBalance> ReadBalanceAsync(DateTime today, CancellationToken cancellationToken)
    {
        var subscription = ReadAsync(_address.EndpointFor(SubscriptionPath), "the key's limit", Subscription, cancellationToken);
        var used = ReadUsageUsdAsync(today, cancellationToken);
        // Both awaited together, so a failure of one never leaves the other unobserved.
        await Task.WhenAll(subscription, used).ConfigureAwait(false);
        var (limit, expires) = subscription.Result;
        decimal usedUsd = used.Result;
        return new TuZiBalance { LimitUsd = limit, UsedUsd = usedUsd, RemainingUsd = limit - usedUsd, ExpiresAt = expires, Service = _address.Service };
    }

    /// <summary>
    /// The key's usage in US dollars (the endpoint answers in cents). new-api gives the key's whole use whatever the
    /// dates; for services that honour them, the dates cover the last 100 days, the most OpenAI's endpoint took.
    /// </summary>
    public Task<decimal> ReadUsageUsdAsync(DateTime today, CancellationToken cancellationToken)
    {
        string query = string.Format(CultureInfo.InvariantCulture, "?start_date={0:yyyy-MM-dd}&end_date={1:yyyy-MM-dd}", today.AddDays(-99), today.AddDays(1));
        return ReadAsync(new Uri(_address.EndpointFor(UsagePath) + query), "the key's usage", UsageUsd, cancellationToken);
    }

    /// <summary>The public price list at the service's address, asked without the key: it needs none.</summary>
    public async Task<PriceList> ReadPricesAsync(CancellationToken cancellationToken)
    {
        var endpoint = new Uri(_address.Service + PricingPath);
        var call = new ApiCall(HttpMethod.Get, endpoint, "GET " + PricingPath, endpoint.ToString(), "", content: null)
        {
            AnswerName = "the price list", SendsKey = false,
        };
        return await _sender.SendAsync(call, async (response, _, _, token) =>
        {
            using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
            using var document = await JsonAnswer.ReadAsync(body, "the price list", token).ConfigureAwait(false);
            return Prices(document.RootElement);
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> ReadAsync<T>(Uri endpoint, string answerName, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        string path = endpoint.AbsolutePath;
        var call = new ApiCall(HttpMethod.Get, endpoint, "GET " + path, endpoint.GetLeftPart(UriPartial.Path), "", content: null) { AnswerName = answerName };
        try
        {
            return await _sender.SendAsync(call, async (response, _, requestId, token) =>
            {
                using var body = await response.Content.ReadAsStreamAsync().ConfigureAwait(false);
                using var document = await JsonAnswer.ReadAsync(body, answerName, token).ConfigureAwait(false);
                ThrowIfError(document.RootElement, path, requestId);
                return read(document.RootElement);
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (TuZiImagesException e) when (e.StatusCode == 404)
        {
            throw new TuZiImagesException(TuZiErrorKind.BadRequest,
                $"The service at {_address.Service} reports no balance or usage: GET {path} answered HTTP 404. "
                + "new-api gateways have these endpoints; other OpenAI-compatible services often do not.", e)
            {
                StatusCode = 404, ServerMessage = e.ServerMessage, RequestId = e.RequestId, Attempts = e.Attempts, Target = e.Target,
                RecommendedAction = "See the balance in the service's own console. -BudgetUsd needs the usage endpoint too: without it, run without -BudgetUsd.",
            };
        }
    }

    /// <summary>new-api answers a failure of these endpoints with HTTP 200 and {"error":{...}}.</summary>
    private static void ThrowIfError(JsonElement root, string path, string? requestId)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("error", out var error) || error.ValueKind == JsonValueKind.Null)
        {
            return;
        }
        string? message = error.ValueKind == JsonValueKind.String ? error.GetString() : JsonAnswer.String(error, "message");
        throw new TuZiImagesException(TuZiErrorKind.Server, $"The service answered GET {path} with an error: {message ?? error.GetRawText()}")
        {
            StatusCode = 200, ServerMessage = message, ServerErrorType = JsonAnswer.String(error, "type"), RequestId = requestId,
            RecommendedAction = "Try again later, or see the balance in the service's console.",
        };
    }

    private static (decimal Limit, DateTimeOffset? Expires) Subscription(JsonElement root)
    {
        decimal limit = JsonAnswer.Decimal(root, "hard_limit_usd") ?? throw new InvalidDataException("The key's limit has no hard_limit_usd.");
        // 0 (or none) means the key never expires.
        decimal? until = JsonAnswer.Decimal(root, "access_until");
        DateTimeOffset? expires = until is > 0 ? UnixTime.FromSecondsOrMilliseconds((double)until.Value) : null;
        return (limit, expires);
    }

    private static decimal UsageUsd(JsonElement root) =>
        (JsonAnswer.Decimal(root, "total_usage") ?? throw new InvalidDataException("The key's usage has no total_usage.")) / 100m;

    /// <summary>
    /// {"data":[{"model_name","quota_type","model_price","enable_groups"}],"group_ratio":{"default":1}}: a price per
    /// request (quota_type 1) is the model's price times its group's ratio; a token-priced model (0) has none.
    /// </summary>
    private static PriceList Prices(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidDataException("The price list has no data array.");
        }
        root.TryGetProperty("group_ratio", out var ratios);
        var prices = new Dictionary<string, ModelPrice>(StringComparer.Ordinal);
        foreach (var item in data.EnumerateArray())
        {
            if (JsonAnswer.String(item, "model_name") is not { Length: > 0 } model)
            {
                continue;
            }
            string group = GroupOf(item);
            decimal? price = JsonAnswer.Decimal(item, "quota_type") == 1 && JsonAnswer.Decimal(item, "model_price") is { } each
                ? each * (JsonAnswer.Decimal(ratios, group) ?? 1m)
                : null;
            prices[model] = new ModelPrice(price, group);
        }
        return new PriceList(prices);
    }

    /// <summary>The default group when the model is offered to it (or to all); else the first group it is offered to.</summary>
    private static string GroupOf(JsonElement item)
    {
        if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("enable_groups", out var groups) || groups.ValueKind != JsonValueKind.Array)
        {
            return PriceList.DefaultGroup;
        }
        string? first = null;
        foreach (var group in groups.EnumerateArray())
        {
            string? name = group.ValueKind == JsonValueKind.String ? group.GetString() : null;
            if (name is null)
            {
                continue;
            }
            if (PriceList.IsDefault(name) || name == "all")
            {
                return PriceList.DefaultGroup;
            }
            first ??= name;
        }
        return first ?? PriceList.DefaultGroup;
    }
}
