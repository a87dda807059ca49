using System;

namespace TuZiImages.Core.RateLimits;

/// <summary>One request's passage through the limits, from its start to its answer.</summary>
internal sealed class Attempt
{
    internal Attempt(AttemptKey key, TimeSpan startedAt, long epoch, int ceiling, bool startedWhileFull, bool probe)
    {
        Key = key;
        StartedAt = startedAt;
        Epoch = epoch;
        Ceiling = ceiling;
        StartedWhileFull = startedWhileFull;
        IsProbe = probe;
    }

    /// <summary>Whose it is and which: a report finds its attempt by this, also in a view read back from the shared file.</summary>
    public AttemptKey Key { get; }
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

/// <param name="Owner">The gate that started it: one per process and view.</param>
/// <param name="Id">Its number within that gate.</param>
internal readonly record struct AttemptKey(string Owner, long Id);
