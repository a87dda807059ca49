using System;

namespace TuZiImages.Core;

/// <summary>
/// What the key may still spend, as the service's billing endpoints report it (Get-TuZiBalance): the key's limit and
/// its usage, in US dollars.
/// </summary>
public sealed class TuZiBalance
{
    /// <summary>
    /// What the key was given, used and unused together (hard_limit_usd). new-api reports 100000000 for a key
    /// without a limit.
    /// </summary>
    public decimal LimitUsd { get; init; }

    /// <summary>What the key has used (total_usage, which the service gives in cents).</summary>
    public decimal UsedUsd { get; init; }

    /// <summary>What is left: LimitUsd - UsedUsd.</summary>
    public decimal RemainingUsd { get; init; }

    /// <summary>When the key stops working (access_until); null when the service sets no end.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>The service asked, without /v1.</summary>
    public string Service { get; init; } = "";

    public override string ToString() => $"{Billing.Usd.Format(RemainingUsd)} of {Billing.Usd.Format(LimitUsd)} left";
}
