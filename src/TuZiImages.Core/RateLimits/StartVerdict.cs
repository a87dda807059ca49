using System;

namespace TuZiImages.Core.RateLimits;

/// <summary>What the estimator says about starting one more request now.</summary>
internal readonly struct StartVerdict
{
    private StartVerdict(bool go, bool probe, TimeSpan? wakeAt)
    {
        Go = go;
        AsProbe = probe;
        WakeAt = wakeAt;
    }

    public bool Go { get; }
    /// <summary>It may go, but alone: nothing else starts until it is refused or taken as admitted.</summary>
    public bool AsProbe { get; }
    /// <summary>When to ask again; null when only the end of a request in flight can change the answer.</summary>
    public TimeSpan? WakeAt { get; }

    public static StartVerdict Now(bool probe = false) => new(true, probe, null);
    public static StartVerdict Wait(TimeSpan? until) => new(false, false, until);
}
