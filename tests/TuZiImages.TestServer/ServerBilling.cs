using System;
using System.Collections.Generic;
using System.Linq;

namespace TuZiImages.TestServer;

/// <summary>What a model costs on the fake service.</summary>
public sealed class ModelPrice
{
    /// <summary>USD added to the key's usage for each image of this model the service makes.</summary>
    public decimal Usd { get; set; }

    /// <summary>Listed in /api/pricing as a price per request (quota_type 1). False: charged, but /api/pricing does not list it.</summary>
    public bool Published { get; set; } = true;

    /// <summary>Listed in /api/pricing as token-priced (quota_type 0, a model_ratio): no price per request to read.</summary>
    public bool TokenPriced { get; set; }
}

/// <summary>How the fake's billing behaves: its endpoints, the key's limit, prices, and whether usage is recorded late.</summary>
public sealed class BillingMode
{
    /// <summary>False: a service without the billing endpoints and /api/pricing (404), as many OpenAI-compatible ones are.</summary>
    public bool Endpoints { get; set; } = true;

    /// <summary>The key's limit (hard_limit_usd): what it was given, used or not.</summary>
    public decimal LimitUsd { get; set; } = 25m;

    /// <summary>access_until: unix seconds when the key expires; 0 for never.</summary>
    public long AccessUntil { get; set; }

    /// <summary>
    /// Usage is recorded only when the test releases it (<see cref="ServerBilling.ReleaseUsage"/>, or
    /// POST /_control/billing/release), as deployments that batch the update a few seconds late; no clock decides.
    /// </summary>
    public bool LateUsage { get; set; }

    /// <summary>What an image of a model without a row in <see cref="Prices"/> costs; unlisted in /api/pricing.</summary>
    public decimal DefaultUsd { get; set; } = 0.01m;

    /// <summary>Prices by model name.</summary>
    public Dictionary<string, ModelPrice> Prices { get; set; } = new(StringComparer.Ordinal)
    {
        ["gemini-3-pro-image-preview"] = new() { Usd = 0.10m },
        ["gemini-2.5-flash-image"] = new() { Usd = 0.04m },
        ["gpt-image-1"] = new() { Usd = 0.05m },
        ["gpt-image-1.5"] = new() { Usd = 0.05m, TokenPriced = true },
        ["dall-e-3"] = new() { Usd = 0.04m },
        ["gemini-3-pro-image-preview-async"] = new() { Usd = 0.10m },
        ["gpt-4o-mini"] = new() { Usd = 0.001m, TokenPriced = true },
        ["deepseek-v3"] = new() { Usd = 0.001m, TokenPriced = true },
    };
}

/// <summary>
/// The key's account on the fake: usage grows with each image made, by its model's price, as new-api records it
/// when a request completes; with <see cref="BillingMode.LateUsage"/> it waits until the test releases it.
/// Survives <see cref="FakeTuZiServer.Reset"/>, as an account would.
/// </summary>
public sealed class ServerBilling
{
    private readonly object _lock = new();
    private readonly RecordLog<RecordedRequest> _requests = new();
    private BillingMode _mode;
    private decimal _usedUsd;
    private decimal _pendingUsd;
    private int _imagesCharged;

    internal ServerBilling(BillingMode mode) => _mode = mode;

    public BillingMode Mode
    {
        get
        {
            lock (_lock)
            {
                return _mode;
            }
        }
        set
        {
            lock (_lock)
            {
                _mode = value ?? throw new ArgumentNullException(nameof(value));
            }
        }
    }

    /// <summary>What the usage endpoint reports, in USD (it answers in cents).</summary>
    public decimal UsedUsd
    {
        get
        {
            lock (_lock)
            {
                return _usedUsd;
            }
        }
    }

    /// <summary>Made but not yet in the usage (late usage): what <see cref="ReleaseUsage"/> will record.</summary>
    public decimal PendingUsd
    {
        get
        {
            lock (_lock)
            {
                return _pendingUsd;
            }
        }
    }

    /// <summary>Images made and charged since the server started.</summary>
    public int ImagesCharged
    {
        get
        {
            lock (_lock)
            {
                return _imagesCharged;
            }
        }
    }

    /// <summary>Every request to the billing endpoints and /api/pricing, in arrival order (a snapshot).</summary>
    public IReadOnlyList<RecordedRequest> Requests => _requests.Snapshot();

    /// <summary>The usage reads (GET /v1/dashboard/billing/usage) so far.</summary>
    public int UsageReads => Requests.Count(r => r.Path.EndsWith("/usage", StringComparison.Ordinal));

    /// <summary>What an image of this model costs.</summary>
    public decimal PriceOf(string? model)
    {
        BillingMode mode = Mode;
        return model is not null && mode.Prices.TryGetValue(model, out ModelPrice? price) ? price.Usd : mode.DefaultUsd;
    }

    /// <summary>Adds the images made to the usage, or holds them back until released when usage is late.</summary>
    public void Charge(string? model, int images)
    {
        if (images <= 0)
        {
            return;
        }

        decimal amount = PriceOf(model) * images;
        lock (_lock)
        {
            _imagesCharged += images;
            if (_mode.LateUsage)
            {
                _pendingUsd += amount;
            }
            else
            {
                _usedUsd += amount;
            }
        }
    }

    /// <summary>Records every charge held back so far: the late update arrives.</summary>
    public void ReleaseUsage()
    {
        lock (_lock)
        {
            _usedUsd += _pendingUsd;
            _pendingUsd = 0;
        }
    }

    internal void Record(RecordedRequest request) => _requests.Add(request);

    internal void Reset(BillingMode mode)
    {
        _requests.Clear();
        Mode = mode;
    }
}
