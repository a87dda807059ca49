using System;
using System.Collections.Generic;
using System.Linq;

namespace TuZiImages.Tests.Support;

/// <summary>
/// A service's limits on a virtual clock, as the test server's limiters keep them: at most so many in flight, at most
/// so many started per window (a sliding log of admitted starts, as new-api keeps), a 429 past either. Shared by the
/// clients of a simulation, so it sees everyone's traffic on the key.
/// </summary>
internal sealed class SimulatedService
{
    private readonly List<TimeSpan> _admitted = new();
    private int _running;

    public int? InFlight { get; set; }
    public int? PerWindow { get; set; }
    public TimeSpan Window { get; set; } = TimeSpan.FromSeconds(5);
    public TimeSpan? RetryAfter { get; set; }
    public string? Message { get; set; }
    /// <summary>The most admitted at once.</summary>
    public int Peak { get; private set; }
    /// <summary>The most admitted within any window of <see cref="Window"/>.</summary>
    public int PeakInWindow { get; private set; }
    public int Refusals { get; private set; }

    public bool TryAdmit(TimeSpan now)
    {
        if ((InFlight is { } most && _running >= most)
            || (PerWindow is { } perWindow && _admitted.Count(t => t > now - Window) >= perWindow))
        {
            Refusals++;
            return false;
        }
        _admitted.Add(now);
        _running++;
        Peak = Math.Max(Peak, _running);
        PeakInWindow = Math.Max(PeakInWindow, _admitted.Count(t => t > now - Window));
        return true;
    }

    public void End() => _running--;
}
