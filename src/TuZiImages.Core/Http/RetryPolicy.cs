using System;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.Core.Http;

/// <summary>When to try again and how long to wait first.</summary>
internal sealed class RetryPolicy
{
    private static readonly Random Jitter = new();
    private readonly TuZiClientOptions _options;

    public RetryPolicy(TuZiClientOptions options) => _options = options;

    /// <summary>Statuses that say "not now" rather than "never": a new attempt may succeed.</summary>
    public static bool IsRetryableStatus(int status) => status is 408 or 429 or 500 or 502 or 503 or 504;

    /// <summary>The wait before retry number <paramref name="retry"/> (1-based): the server's Retry-After if it
    /// gave one (capped), else exponential backoff with jitter so a batch does not retry in lockstep.</summary>
    public TimeSpan DelayBefore(int retry, HttpResponseMessage? response)
    {
        if (response is not null && ServerDelay(response) is { } serverSays)
        {
            return serverSays;
        }
        double ceiling = Math.Min(_options.MaxRetryDelay.TotalMilliseconds,
            _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, retry - 1)));
        double factor;
        lock (Jitter)
        {
            factor = 0.5 + (Jitter.NextDouble() * 0.5);
        }
        return TimeSpan.FromMilliseconds(ceiling * factor);
    }

    /// <summary>Says why and for how long, then waits before attempt <paramref name="attempt"/> + 1.</summary>
    public async Task WaitAsync(int attempt, HttpResponseMessage? response, string reason, Action<string> log, CancellationToken cancellationToken)
    {
        var delay = DelayBefore(attempt, response);
        log($"{reason}; retrying in {Errors.FailureMapper.Seconds(delay)} (attempt {attempt + 1} of {_options.MaxRetries + 1})");
        await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
    }

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
