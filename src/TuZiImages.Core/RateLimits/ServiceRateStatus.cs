using System;

namespace TuZiImages.Core.RateLimits;

/// <summary>Where the service's limits stand for one API address, as the progress bar shows it.</summary>
public sealed class ServiceRateStatus
{
    /// <summary>How many requests may be in flight now; null until the first request.</summary>
    public int? ConcurrencyLimit { get; init; }
    /// <summary>Requests waiting for a place or for a pause to end.</summary>
    public int Waiting { get; init; }
    /// <summary>How long new starts have been paused by a rate limit; null when they are not.</summary>
    public TimeSpan? PausedFor { get; init; }
    /// <summary>How long until new starts resume; null when they are not paused.</summary>
    public TimeSpan? ResumesIn { get; init; }
}
