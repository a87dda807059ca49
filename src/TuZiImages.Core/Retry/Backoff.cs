using System;

namespace TuZiImages.Core.Retry;

/// <summary>
/// The one backoff of the module: retries after a failure, pauses after a 429 that named no wait, and the spacing of
/// a task's polls. Pure: the spread is passed in (<see cref="NextJitter"/> draws the process's).
/// </summary>
internal static class Backoff
{
    private static readonly Random Jitter = new();

    /// <summary>
    /// The wait before the <paramref name="n"/>-th try (1-based): the base doubled each time, capped, then jittered
    /// down by up to half, so that a batch that failed together does not come back in lockstep.
    /// </summary>
    /// <param name="jitter">0 to 1: where in the upper half of the ceiling the wait falls.</param>
    public static TimeSpan Delay(int n, TimeSpan baseDelay, TimeSpan maxDelay, double jitter)
    {
        double ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, n - 1)));
        return TimeSpan.FromMilliseconds(ceiling * (0.5 + (0.5 * Clamp(jitter))));
    }

    /// <summary>
    /// The wait before a task's next poll, after <paramref name="polls"/> polls: the interval, never less (so a task of
    /// N intervals is seen done at the Nth poll) and up to 10% more, growing by a tenth per poll after a minute's
    /// worth of them, to three times the interval, so long tasks never hammer the service.
    /// </summary>
    public static TimeSpan PollSpacing(int polls, TimeSpan interval, double jitter)
    {
        double factor = Math.Min(3.0, 1.0 + (Math.Max(0, polls - 12) * 0.1));
        return TimeSpan.FromMilliseconds(interval.TotalMilliseconds * (factor + (0.1 * Clamp(jitter))));
    }

    /// <summary>A spread for <see cref="Delay"/> and <see cref="PollSpacing"/>, 0 to 1, from the process's one generator.</summary>
    public static double NextJitter()
    {
        lock (Jitter)
        {
            return Jitter.NextDouble();
        }
    }

    private static double Clamp(double jitter) => Math.Max(0, Math.Min(1, jitter));
}
