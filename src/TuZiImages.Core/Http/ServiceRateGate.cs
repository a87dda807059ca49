using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.Core.Http;

/// <summary>
/// What the process knows about one service's limits: every request to one API address with one key goes through
/// the same gate, across cmdlet invocations, so they share a single view instead of each worker retrying alone.
/// </summary>
/// <remarks>
/// <para>The gate admits a request to the wire when fewer than <see cref="Limit"/> are in flight and no pause is in
/// force. A rate-limit 429 pauses every new start until its Retry-After (or a backoff) has passed, and lowers the
/// limit; successes raise it again:</para>
/// <list type="bullet">
/// <item>Decrease: halve, once per round of requests (a 429 for a request sent before the last decrease says
/// nothing new), but not below the concurrency the service was just seen to run (the most recent successes that
/// overlapped in time), and always by at least one, never below 1.</item>
/// <item>Increase: one more after a full window of successes (as many as the limit) that were sent while the gate
/// was full, up to the caller's ceiling (-ThrottleLimit). Probing the level that last failed takes twice as many
/// windows each time it fails again, so a service that admits exactly K is not asked for K+1 every round.</item>
/// <item>Waiting requests keep their place: the one that arrived first goes first, retries included.</item>
/// </list>
/// <para>Patience is the caller's: see <see cref="RateLimitPatience"/>.</para>
/// </remarks>
internal sealed class ServiceRateGate
{
    private const double DecreaseFactor = 0.5;
    private const int MaxWindowsPerProbe = 8;
    private const int SuccessHistory = 64;
    /// <summary>After this long with nothing in flight or waiting, what was learned is forgotten.</summary>
    internal static readonly TimeSpan ForgetAfterIdle = TimeSpan.FromMinutes(2);

    private static readonly ConcurrentDictionary<string, ServiceRateGate> Gates = new(StringComparer.Ordinal);
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private static long _arrivals;

    private readonly object _lock = new();
    private readonly List<Waiter> _waiters = new();
    private readonly Queue<(TimeSpan Start, TimeSpan End)> _successes = new();
    private readonly Timer _timer;
    private double _limit;
    private int _inFlight;
    private long _epoch;
    private int _successesInWindow;
    private int _failedLevel;
    private int _windowsPerProbe = 1;
    private int _consecutivePauses;
    private TimeSpan _pausedUntil;
    private TimeSpan? _refusingSince;
    private TimeSpan _idleSince;
    private TimeSpan _lastAdmittedAt = TimeSpan.MinValue;
    private bool _fresh = true;
    private bool _limited;

    private ServiceRateGate()
    {
        _timer = new Timer(_ => { lock (_lock) { Dispatch(); } }, null, Timeout.Infinite, Timeout.Infinite);
    }

    internal static TimeSpan Now => Clock.Elapsed;

    /// <summary>The gate of an API origin and key. The key itself is not kept: only a fingerprint of it.</summary>
    public static ServiceRateGate For(Uri baseAddress, string? apiKey) =>
        Gates.GetOrAdd(baseAddress.GetLeftPart(UriPartial.Authority) + " " + Fingerprint(apiKey), _ => new ServiceRateGate());

    /// <summary>When the service last answered a request with anything but a rate-limit 429 (it did work).</summary>
    public TimeSpan LastAdmittedAt
    {
        get { lock (_lock) { return _lastAdmittedAt; } }
    }

    /// <summary>How many requests may be in flight now.</summary>
    public int Limit
    {
        get { lock (_lock) { return (int)_limit; } }
    }

    /// <summary>What a progress bar shows: whether new starts are paused, for how long, and how many wait.</summary>
    public ServiceRateStatus Status()
    {
        lock (_lock)
        {
            var now = Now;
            return new ServiceRateStatus
            {
                ConcurrencyLimit = _fresh ? null : (int)_limit,
                InFlight = _inFlight,
                Waiting = _waiters.Count,
                PausedFor = _pausedUntil > now ? now - (_refusingSince ?? now) : null,
                ResumesIn = _pausedUntil > now ? _pausedUntil - now : null,
            };
        }
    }

    /// <summary>A number that orders requests by arrival, so that a retried one keeps its place in the queue.</summary>
    public static long NextArrival() => Interlocked.Increment(ref _arrivals);

    /// <summary>
    /// Waits until the request may go to the wire. Null means the caller's patience ran out while the service
    /// admitted nothing: the request should end as a rate-limit error.
    /// </summary>
    public async Task<Lease?> AcquireAsync(long arrival, int ceiling, RateLimitPatience patience, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(arrival, Math.Max(1, ceiling), patience);
        lock (_lock)
        {
            var now = Now;
            if (_fresh || (_inFlight == 0 && _waiters.Count == 0 && now - _idleSince > ForgetAfterIdle))
            {
                Forget(waiter.Ceiling);
            }
            else if (!_limited && _limit < waiter.Ceiling)
            {
                // Nothing has been refused yet: a caller that asks for more at once gets it at once.
                _limit = waiter.Ceiling;
            }
            _waiters.Add(waiter);
            _waiters.Sort((a, b) => a.Arrival.CompareTo(b.Arrival));
            Dispatch();
        }
        if (!waiter.Ready.Task.IsCompleted && cancellationToken.CanBeCanceled)
        {
            using (cancellationToken.Register(() => Cancel(waiter)))
            {
                return await waiter.Ready.Task.ConfigureAwait(false);
            }
        }
        return await waiter.Ready.Task.ConfigureAwait(false);
    }

    private void Cancel(Waiter waiter)
    {
        lock (_lock)
        {
            if (_waiters.Remove(waiter))
            {
                waiter.Ready.TrySetCanceled();
                Dispatch();
            }
        }
    }

    private void Forget(int ceiling)
    {
        _fresh = false;
        _limited = false;
        _refusingSince = null;
        _limit = ceiling;
        _epoch++;
        _successesInWindow = 0;
        _failedLevel = 0;
        _windowsPerProbe = 1;
        _consecutivePauses = 0;
        _successes.Clear();
    }

    /// <summary>Under the lock: ends waiters whose patience is spent, then starts as many as the limit allows, first come first.</summary>
    private void Dispatch()
    {
        var now = Now;
        TimeSpan? nextWake = null;
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            var waiter = _waiters[i];
            if (waiter.Patience.GivesUpBy(_lastAdmittedAt) is { } deadline)
            {
                // A pause that outlasts the patience will not end in time: say so now rather than at the deadline.
                if (now >= deadline || _pausedUntil >= deadline)
                {
                    _waiters.RemoveAt(i);
                    waiter.Ready.TrySetResult(null);
                    continue;
                }
                nextWake = Earlier(nextWake, deadline);
            }
        }
        if (_pausedUntil > now)
        {
            nextWake = Earlier(nextWake, _pausedUntil);
        }
        else
        {
            while (_waiters.Count > 0 && _inFlight < Math.Max(1, (int)_limit))
            {
                // Demand that reaches the limit makes the limit's successes evidence that it could be higher.
                bool full = _inFlight + _waiters.Count >= (int)_limit;
                var waiter = _waiters[0];
                _waiters.RemoveAt(0);
                _inFlight++;
                waiter.Ready.TrySetResult(new Lease(this, waiter.Ceiling, _epoch, now, full));
            }
        }
        if (_inFlight == 0 && _waiters.Count == 0)
        {
            _idleSince = now;
        }
        if (nextWake is { } wake && _waiters.Count > 0)
        {
            var due = wake - now;
            // A timer takes at most ~49 days; a later wake-up is reached by waking early and scheduling again.
            due = due < TimeSpan.Zero ? TimeSpan.Zero : due > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : due + TimeSpan.FromMilliseconds(1);
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private static TimeSpan Earlier(TimeSpan? a, TimeSpan b) => a is { } x && x < b ? x : b;

    /// <summary>The service answered with something other than a rate-limit 429: it admitted the request.</summary>
    private string? Admitted(Lease lease, bool success)
    {
        lock (_lock)
        {
            var now = Now;
            _lastAdmittedAt = now;
            _refusingSince = null;
            string? change = null;
            if (success)
            {
                _consecutivePauses = 0;
                _successes.Enqueue((lease.StartedAt, now));
                while (_successes.Count > SuccessHistory)
                {
                    _successes.Dequeue();
                }
                if (lease.Epoch == _epoch && lease.StartedWhileFull && (int)_limit < lease.Ceiling)
                {
                    int level = (int)_limit;
                    bool probingFailedLevel = _failedLevel > 0 && level + 1 >= _failedLevel;
                    int needed = level * (probingFailedLevel ? _windowsPerProbe : 1);
                    if (++_successesInWindow >= needed)
                    {
                        if (_failedLevel > 0 && level >= _failedLevel)
                        {
                            // A full window at the level that once failed: the service has grown, probe freely again.
                            _failedLevel = 0;
                            _windowsPerProbe = 1;
                        }
                        _limit = level + 1;
                        _successesInWindow = 0;
                        _epoch++;
                        change = $"the service admitted {needed} request(s) in a row at {level} at once: concurrency {level} -> {level + 1} (at most {lease.Ceiling})";
                    }
                }
            }
            Release();
            return change;
        }
    }

    /// <summary>A rate-limit 429: pause every new start, lower the limit once per round.</summary>
    private string? RateLimited(Lease lease, TimeSpan? serverDelay, TimeSpan baseDelay, TimeSpan maxDelay, out TimeSpan pause)
    {
        lock (_lock)
        {
            var now = Now;
            string? change = null;
            _refusingSince ??= now;
            if (lease.Epoch == _epoch)
            {
                _limited = true;
                _consecutivePauses++;
                int level = Math.Max(1, (int)_limit);
                int seen = ProvenConcurrency();
                int lowered = Math.Max(1, Math.Min(level - 1, Math.Max((int)(level * DecreaseFactor), seen)));
                if (_failedLevel == level)
                {
                    _windowsPerProbe = Math.Min(MaxWindowsPerProbe, _windowsPerProbe * 2);
                }
                else
                {
                    _failedLevel = level;
                    _windowsPerProbe = 1;
                }
                _limit = lowered;
                _epoch++;
                _successesInWindow = 0;
                change = level == lowered
                    ? $"the service is limiting requests (HTTP 429) at {level} at once; concurrency stays at 1"
                    : $"the service is limiting requests (HTTP 429) at {level} at once: concurrency {level} -> {lowered}"
                      + (seen > 0 && lowered == seen ? $" (it was running {seen} at once)" : "");
            }
            pause = serverDelay ?? Backoff(_consecutivePauses, baseDelay, maxDelay);
            if (now + pause > _pausedUntil)
            {
                _pausedUntil = now + pause;
            }
            Release();
            return change;
        }
    }

    private void Release()
    {
        _inFlight--;
        Dispatch();
    }

    /// <summary>The most recent successes that overlapped one another: a concurrency the service certainly runs.</summary>
    private int ProvenConcurrency()
    {
        int best = 0;
        foreach (var a in _successes)
        {
            // Counted at each interval's midpoint, so that one ending as the next starts is not taken for overlap.
            var middle = a.Start + TimeSpan.FromTicks((a.End - a.Start).Ticks / 2);
            int overlapping = 0;
            foreach (var b in _successes)
            {
                if (b.Start <= middle && middle <= b.End)
                {
                    overlapping++;
                }
            }
            best = Math.Max(best, overlapping);
        }
        return best;
    }

    private static TimeSpan Backoff(int pauses, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        double ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, pauses - 1)));
        return TimeSpan.FromMilliseconds(ceiling);
    }

    private static string Fingerprint(string? apiKey)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            return "-";
        }
        using var sha = SHA256.Create();
        byte[] hash = sha.ComputeHash(Encoding.UTF8.GetBytes(apiKey));
        var builder = new StringBuilder(16);
        for (int i = 0; i < 8; i++)
        {
            builder.Append(hash[i].ToString("x2", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }

    private sealed class Waiter
    {
        public Waiter(long arrival, int ceiling, RateLimitPatience patience)
        {
            Arrival = arrival;
            Ceiling = ceiling;
            Patience = patience;
        }

        public long Arrival { get; }
        public int Ceiling { get; }
        public RateLimitPatience Patience { get; }
        public TaskCompletionSource<Lease?> Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>One request's place on the wire. Exactly one of its outcomes is reported; disposing without one frees the place.</summary>
    internal sealed class Lease : IDisposable
    {
        private readonly ServiceRateGate _gate;
        private int _ended;

        public Lease(ServiceRateGate gate, int ceiling, long epoch, TimeSpan startedAt, bool startedWhileFull)
        {
            _gate = gate;
            Ceiling = ceiling;
            Epoch = epoch;
            StartedAt = startedAt;
            StartedWhileFull = startedWhileFull;
        }

        public int Ceiling { get; }
        public long Epoch { get; }
        public TimeSpan StartedAt { get; }
        public bool StartedWhileFull { get; }

        /// <summary>The service did the work (or refused it for another reason than its rate). Returns a change of concurrency to log, if any.</summary>
        public string? Admitted(bool success) => End() ? _gate.Admitted(this, success) : null;

        /// <summary>A rate-limit 429. Returns a change of concurrency to log, if any, and the pause it set.</summary>
        public string? RateLimited(TimeSpan? serverDelay, TimeSpan baseDelay, TimeSpan maxDelay, out TimeSpan pause)
        {
            pause = TimeSpan.Zero;
            return End() ? _gate.RateLimited(this, serverDelay, baseDelay, maxDelay, out pause) : null;
        }

        /// <summary>No answer (a timeout, a broken connection, a cancel): the place is freed and nothing is learned.</summary>
        public void Dispose()
        {
            if (End())
            {
                lock (_gate._lock)
                {
                    _gate.Release();
                }
            }
        }

        private bool End() => Interlocked.Exchange(ref _ended, 1) == 0;
    }
}

/// <summary>
/// How long one invocation waits while the service admits nothing: the clock starts at the first rate-limit 429
/// it meets and stops as soon as the service admits any request to that address. Shared by an invocation's
/// requests, so that once the service has refused everything for the whole window, the rest end at once.
/// </summary>
internal sealed class RateLimitPatience
{
    private readonly object _lock = new();
    private TimeSpan? _since;

    public RateLimitPatience(TimeSpan window) => Window = window;

    public TimeSpan Window { get; }

    /// <summary>Since when the service has admitted nothing, as this invocation saw it; null when it is not limiting.</summary>
    public TimeSpan? Since(TimeSpan lastAdmittedAt)
    {
        lock (_lock)
        {
            return _since is { } since && lastAdmittedAt < since ? since : null;
        }
    }

    /// <summary>Starts the clock at a rate-limit 429, unless it already runs.</summary>
    public void RateLimited(TimeSpan lastAdmittedAt)
    {
        lock (_lock)
        {
            if (_since is not { } since || lastAdmittedAt >= since)
            {
                _since = ServiceRateGate.Now;
            }
        }
    }

    /// <summary>When waiting requests give up, or null while the service is not refusing everything.</summary>
    public TimeSpan? GivesUpBy(TimeSpan lastAdmittedAt) => Since(lastAdmittedAt) is { } since ? since + Window : null;
}
