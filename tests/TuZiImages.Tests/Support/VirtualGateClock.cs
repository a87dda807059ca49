using System;
using System.Collections.Generic;
using System.Linq;
using TuZiImages.Core.RateLimits;

namespace TuZiImages.Tests.Support;

/// <summary>The gate's time, moved on by the test: nothing waits, and a wake-up runs when the test reaches its time.</summary>
internal sealed class VirtualGateClock : GateClock
{
    private readonly List<VirtualTimer> _timers = new();

    public override TimeSpan Now => Time;

    public TimeSpan Time { get; private set; }

    /// <summary>The earliest wake-up asked for; null when none is pending.</summary>
    public TimeSpan? NextWake => _timers.Where(t => t.Due is not null).Select(t => t.Due).Min();

    public override IGateTimer NewTimer(Action wake)
    {
        var timer = new VirtualTimer(wake);
        _timers.Add(timer);
        return timer;
    }

    /// <summary>Moves time to <paramref name="to"/> (never back), running each wake-up that falls due on the way, at its time.</summary>
    public void AdvanceTo(TimeSpan to)
    {
        while (_timers.Where(t => t.Due <= to).OrderBy(t => t.Due).FirstOrDefault() is { } due)
        {
            Time = due.Due!.Value > Time ? due.Due.Value : Time;
            due.Due = null;
            due.Wake();
        }
        if (to > Time)
        {
            Time = to;
        }
    }

    private sealed class VirtualTimer : IGateTimer
    {
        public VirtualTimer(Action wake) => Wake = wake;

        public Action Wake { get; }
        public TimeSpan? Due { get; set; }

        public void WakeAt(TimeSpan at) => Due = at;
    }
}
