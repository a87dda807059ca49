using System;
using System.Net.Http;

namespace TuZiImages.Core.Retry;

/// <summary>The wait an answer names before trying again. Whether to try again is <see cref="RetryRules.Decide"/>'s,
/// from the answer's outcome (Transport.ResponseClassifier); the backoff, <see cref="Backoff"/>'s.</summary>
internal sealed class RetryAfterHeader
{
    private readonly TuZiClientOptions _options;

    public RetryAfterHeader(TuZiClientOptions options) => _options = options;

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
