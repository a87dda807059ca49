using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace TuZiImages.TestServer;

/// <summary>
/// A service that limits how many images requests a key may have in flight, or start per window: past
/// <see cref="AdmitAtOnce"/> (or <see cref="WindowLimit"/> per <see cref="WindowMs"/>) it answers 429 at once,
/// doing no work. Serialized camelCase for <c>POST /_control/ratelimit</c>.
/// </summary>
public sealed class RateLimitMode
{
    /// <summary>At most this many requests are handled at once; 0 admits none (every request is refused); null: no limit.</summary>
    public int? AdmitAtOnce { get; set; }

    /// <summary>At most this many requests are admitted in any <see cref="WindowMs"/> (a sliding log, as new-api keeps it); null: no window.</summary>
    public int? WindowLimit { get; set; }

    /// <summary>The window's length in milliseconds.</summary>
    public int WindowMs { get; set; } = 60_000;

    /// <summary>Refused requests count against the window too (new-api's "total" limit, "包括失败次数"); by default only admitted ones do.</summary>
    public bool WindowCountsRefused { get; set; }

    /// <summary>Refuse as new-api does: its own bodies (type new_api_error), and never a Retry-After or retry-after-ms.</summary>
    public bool NewApi { get; set; }

    /// <summary>Sent as Retry-After with each refusal (whole seconds, as the header takes); null sends none.</summary>
    public string? RetryAfter { get; set; } = "1";

    /// <summary>Sent as retry-after-ms, the finer wait some gateways add; null sends none.</summary>
    public int? RetryAfterMs { get; set; }
}

/// <summary>Which limit refused a request.</summary>
internal enum Refusal
{
    None,
    InFlight,
    Window,
}

/// <summary>The rate-limit mode in force and what it did: refusals, and the peaks of requests admitted at once and per window.</summary>
internal sealed class RateLimiter
{
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private readonly object _windowLock = new();
    private readonly Queue<long> _window = new();
    private RateLimitMode _mode = new();
    private int _admitted;
    private int _maxAdmitted;
    private int _maxInWindow;
    private int _refused;

    public RateLimitMode Mode
    {
        get => Volatile.Read(ref _mode);
        set
        {
            Volatile.Write(ref _mode, value ?? new RateLimitMode());
            lock (_windowLock)
            {
                _window.Clear();
            }
        }
    }

    public int Admitted => Volatile.Read(ref _admitted);

    public int MaxAdmitted => Volatile.Read(ref _maxAdmitted);

    /// <summary>The most requests admitted within one window of the mode's length (0 when no window is set).</summary>
    public int MaxAdmittedInWindow => Volatile.Read(ref _maxInWindow);

    public int Refused => Volatile.Read(ref _refused);

    /// <summary>True when the request may be handled (then <see cref="Leave"/> must follow); false when it is refused.</summary>
    public bool TryEnter(out RateLimitMode mode) => TryEnter(out mode, out _);

    /// <summary>As <see cref="TryEnter(out RateLimitMode)"/>, saying which limit refused it.</summary>
    public bool TryEnter(out RateLimitMode mode, out Refusal refusal)
    {
        mode = Mode;
        refusal = Refusal.None;
        int now = Interlocked.Increment(ref _admitted);
        if (mode.AdmitAtOnce is { } limit && now > limit)
        {
            refusal = Refusal.InFlight;
        }
        else if (mode.WindowLimit is { } perWindow && !EnterWindow(mode, perWindow))
        {
            refusal = Refusal.Window;
        }

        if (refusal != Refusal.None)
        {
            Interlocked.Decrement(ref _admitted);
            Interlocked.Increment(ref _refused);
            return false;
        }

        RaisePeak(ref _maxAdmitted, now);
        return true;
    }

    /// <summary>A sliding log of start times: admitted when fewer than the limit started within the last window.</summary>
    private bool EnterWindow(RateLimitMode mode, int perWindow)
    {
        long now = Clock.ElapsedTicks;
        long length = (long)(mode.WindowMs * (double)Stopwatch.Frequency / 1000);
        lock (_windowLock)
        {
            while (_window.Count > 0 && now - _window.Peek() >= length)
            {
                _window.Dequeue();
            }

            bool admitted = _window.Count < perWindow;
            if (admitted || mode.WindowCountsRefused)
            {
                _window.Enqueue(now);
            }

            if (admitted)
            {
                RaisePeak(ref _maxInWindow, _window.Count);
            }

            return admitted;
        }
    }

    public void Leave() => Interlocked.Decrement(ref _admitted);

    public void Reset()
    {
        Volatile.Write(ref _maxAdmitted, Admitted);
        Volatile.Write(ref _maxInWindow, 0);
        Volatile.Write(ref _refused, 0);
    }

    private static void RaisePeak(ref int peak, int now)
    {
        int max;
        while (now > (max = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, max) != max)
        {
        }
    }
}
