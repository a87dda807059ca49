using System;
using System.Diagnostics;
using System.Threading;

namespace TuZiImages.Core.RateLimits;

/// <summary>
/// The gate's time: what time it is, and a timer that wakes the gate when a pause or a window's pace ends. The
/// module uses <see cref="System"/>; tests pass a virtual one, so the gate is tested without waiting.
/// </summary>
internal abstract class GateClock
{
    /// <summary>The machine's monotonic clock (the same in every process, so a shared view's times mean one thing) and thread-pool timers.</summary>
    public static GateClock System { get; } = new SystemClock();

    public abstract TimeSpan Now { get; }

    /// <summary>A timer that calls <paramref name="wake"/> once at (or soon after) the time it was last set to.</summary>
    public abstract IGateTimer NewTimer(Action wake);

    private sealed class SystemClock : GateClock
    {
        private static readonly double TicksPerTimestamp = (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency;

        /// <summary>Since the machine started: QueryPerformanceCounter on Windows, CLOCK_MONOTONIC on Linux, the same clock on macOS.</summary>
        public override TimeSpan Now => TimeSpan.FromTicks((long)(Stopwatch.GetTimestamp() * TicksPerTimestamp));

        public override IGateTimer NewTimer(Action wake) => new SystemTimer(this, wake);
    }

    private sealed class SystemTimer : IGateTimer
    {
        private readonly SystemClock _clock;
        private readonly Timer _timer;

        public SystemTimer(SystemClock clock, Action wake)
        {
            _clock = clock;
            _timer = new Timer(_ => wake(), null, Timeout.Infinite, Timeout.Infinite);
        }

        public void WakeAt(TimeSpan at)
        {
            var due = at - _clock.Now;
            // A timer takes at most ~49 days; a later wake-up is reached by waking early and scheduling again.
            due = due < TimeSpan.Zero ? TimeSpan.Zero : due > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : due + TimeSpan.FromMilliseconds(1);
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }
}

/// <summary>One pending wake-up of the gate; setting it again replaces it.</summary>
internal interface IGateTimer
{
    void WakeAt(TimeSpan at);
}
