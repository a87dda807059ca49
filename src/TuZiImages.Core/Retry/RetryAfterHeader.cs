using System;
using System.Net.Http;

namespace TuZiImages.Core.Retry;

/// <summary>What an answer says about trying again: whether its status means "not now", and the wait it names.
/// The decision itself is <see cref="RetryRules.Decide"/>'s; the backoff, <see cref="Backoff"/>'s.</summary>
internal sealed class RetryAfterHeader
{
    private readonly TuZiClientOptions _options;

    public RetryAfterHeader(TuZiClientOptions options) => _options = options;

    /// <summary>Statuses that say "not now" rather than "never": a new attempt may succeed.</summary>
    public static bool IsRetryableStatus(int status) => status is 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>The wait the server asked for, capped at <see cref="TuZiClientOptions.MaxRetryAfter"/>; null when it named none.</summary>
    public TimeSpan? ServerDelay(HttpResponseMessage response)
    {
        var serverSays = RetryAfterMilliseconds(response) ?? RetryAfter(response, DateTimeOffset.UtcNow);
        return serverSays is { } wait && wait > _options.MaxRetryAfter ? _options.MaxRetryAfter : serverSays;
    }

    /// <summary>retry-after-ms, which OpenAI-style gateways send for waits finer than Retry-After's whole seconds.</summary>
    internal static TimeSpan? RetryAfterMilliseconds(HttpResponseMessage response)
    {
        if (response.Headers.TryGetValues("retry-after-ms", out var values)
            && double.TryParse(System.Linq.Enumerable.FirstOrDefault(values), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double ms)
            && ms >= 0 && ms < TimeSpan.MaxValue.TotalMilliseconds)
        {
            return TimeSpan.FromMilliseconds(ms);
        }
        return null;
    }

    internal static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }
}
