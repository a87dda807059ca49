using System;

namespace TuZiImages.Core.Retry;

/// <summary>The one backoff of the module: retries after a failure and pauses after a 429 that named no wait.</summary>
internal static class Backoff
{
    private static readonly Random Jitter = new();

    /// <summary>
    /// The wait before the <paramref name="n"/>-th try (1-based): the base doubled each time, capped, then jittered
    /// down by up to half, so that a batch that failed together does not come back in lockstep.
    /// </summary>
    public static TimeSpan Delay(int n, TimeSpan baseDelay, TimeSpan maxDelay) => Delay(n, baseDelay, maxDelay, NextJitter());

    /// <param name="jitter">0 to 1: where in the upper half of the ceiling the wait falls.</param>
    public static TimeSpan Delay(int n, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
    {
        double ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, n - 1)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (0.5 * Math.Max(0, Math.Min(1, jitter)))));
    }

    /// <summary>A spread for <see cref="Delay(int, TimeSpan, TimeSpan, double)"/>, 0 to 1.</summary>
    public static double NextJitter()
    {
        lock (Jitter)
        {
            return Jitter.NextDouble();
        }
    }
}
