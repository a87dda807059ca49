using System;

namespace TuZiImages.Core.RateLimits;

/// <summary>One request's passage through the limits, from its start to its answer.</summary>
internal sealed class Attempt
{
    internal Attempt(TimeSpan startedAt, long epoch, int ceiling, bool startedWhileFull, bool probe)
    {
        StartedAt = startedAt;
        Epoch = epoch;
        Ceiling = ceiling;
        StartedWhileFull = startedWhileFull;
        IsProbe = probe;
    }

    public TimeSpan StartedAt { get; }
    public long Epoch { get; }
    public int Ceiling { get; }
    /// <summary>Demand reached the limit when it started: its success is evidence the limit could be higher.</summary>
    public bool StartedWhileFull { get; }
    /// <summary>It went alone, to learn whether the service has room again; the rest waited for it.</summary>
    public bool IsProbe { get; }
    internal bool Ended { get; set; }
    /// <summary>Answered with anything but a 429, or not refused for long enough that it was taken as admitted.</summary>
    internal bool Confirmed { get; set; }
}
