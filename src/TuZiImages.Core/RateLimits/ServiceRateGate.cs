using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.Core.RateLimits;

/// <summary>
/// Where requests to one API address with one key wait for the service's limits: every request goes through the
/// same gate, across cmdlet invocations, so they share a single view instead of each worker retrying alone; and
/// once the key is rate-limited, the gates of the machine's other processes share it too (<see cref="SharedView"/>).
/// What the limits are is the <see cref="RateLimitEstimator"/>'s to say; the gate queues, wakes and hands out places.
/// </summary>
/// <remarks>Waiting requests keep their place: the one that arrived first goes first, retries included. A waiting
/// request gives up once the service has admitted nothing for its patience, counted from when the service began
/// refusing (<see cref="RateLimitEstimator.RefusingSince"/>) or from its <see cref="Arrival.At"/>, whichever is later
/// (a client gives all its requests its first one's, so an invocation's requests give up together).</remarks>
internal sealed class ServiceRateGate
{
    /// <summary>After this long with nothing in flight or waiting, what was learned is forgotten.</summary>
    internal static readonly TimeSpan ForgetAfterIdle = TimeSpan.FromMinutes(2);
    /// <summary>How often a gate whose requests wait reads the shared view again: other processes' answers are not announced.</summary>
    internal static readonly TimeSpan SharedPoll = TimeSpan.FromMilliseconds(100);

    private readonly object _lock = new();
    private readonly List<Waiter> _waiters = new();
    /// <summary>This process's attempts in flight, by key: put back into a shared view that lacks them.</summary>
    private readonly Dictionary<AttemptKey, Attempt> _mine = new();
    private readonly RateLimitEstimator _limits;
    private readonly GateClock _clock;
    private readonly IGateTimer _timer;
    private readonly SharedView? _shared;
    private TimeSpan _idleSince;
    private int _ceiling = 1;
    private long _arrivals;

    /// <param name="jitter">0 to 1, the backoff's spread.</param>
    /// <param name="shared">The file other processes share this address and key's view in; null to keep it to this process.</param>
    public ServiceRateGate(TimeSpan baseDelay, TimeSpan maxDelay, GateClock clock, Func<double> jitter, SharedLimitFile? shared = null)
    {
        _clock = clock;
        string owner = Guid.NewGuid().ToString("N").Substring(0, 12);
        _limits = new RateLimitEstimator(baseDelay, maxDelay, jitter, owner);
        _idleSince = clock.Now;
        _shared = shared is null ? null : new SharedView(shared, owner, _idleSince);
        _timer = clock.NewTimer(() => { lock (_lock) { Sync(Dispatch); } });
    }

    /// <summary>What a progress bar shows: the learned limit, whether new starts wait on the service, and how many wait. Changes nothing.</summary>
    public ServiceRateStatus Status()
    {
        lock (_lock)
        {
            var now = _clock.Now;
            var next = _waiters.Count > 0 && _limits.RefusingSince is not null ? _limits.Check(now) : default(StartVerdict?);
            var resumes = next is { Go: false, WakeAt: { } at } && at > now ? at - now : (TimeSpan?)null;
            return new ServiceRateStatus
            {
                ConcurrencyLimit = _limits.KnownConcurrency,
                Waiting = _waiters.Count,
                PausedFor = resumes is null ? null : now - (_limits.RefusingSince ?? now),
                ResumesIn = resumes,
            };
        }
    }

    /// <summary>A request's place in the queue, taken once, so that a retried one keeps it, and when it arrived, which patience counts from.</summary>
    public Arrival NextArrival() => new(Interlocked.Increment(ref _arrivals), _clock.Now);

    /// <summary>
    /// Waits until the request may go to the wire. Null means the service admitted nothing for the request's
    /// <paramref name="patience"/>: it should end as a rate-limit error.
    /// </summary>
    public Task<Lease?> AcquireAsync(Arrival arrival, int ceiling, TimeSpan patience, CancellationToken cancellationToken)
    {
        var waiter = new Waiter(arrival, patience);
        lock (_lock)
        {
            _ceiling = Math.Max(1, ceiling);
            _shared?.JoinIfShared(_clock.Now, DateTime.UtcNow);
            Sync(() =>
            {
                var now = _clock.Now;
                int combined = Ceiling(now);
                if (_limits.InFlight == 0 && _waiters.Count == 0 && now - IdleSince > ForgetAfterIdle)
                {
                    _limits.Reset(combined);
                }
                _limits.Arrive(combined);
                _waiters.Add(waiter);
                _waiters.Sort((a, b) => a.Arrival.Order.CompareTo(b.Arrival.Order));
                Dispatch();
            });
        }
        // The waiter's own task, done as soon as the gate decides (its continuations run apart, off the gate's lock).
        if (!waiter.Ready.Task.IsCompleted && cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() => Cancel(waiter));
            waiter.Ready.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
        return waiter.Ready.Task;
    }

    private void Cancel(Waiter waiter)
    {
        lock (_lock)
        {
            if (_waiters.Remove(waiter))
            {
                waiter.Ready.TrySetCanceled();
                Sync(Dispatch);
            }
        }
    }

    private TimeSpan IdleSince
    {
        get => _shared is { Active: true } shared ? shared.IdleSince : _idleSince;
        set
        {
            _idleSince = value;
            if (_shared is not null)
            {
                _shared.IdleSince = value;
            }
        }
    }

    /// <summary>This process's -ThrottleLimit, or with a shared view, every live process's together.</summary>
    private int Ceiling(TimeSpan now) => _shared is { Active: true } shared ? shared.Ceiling(now, _ceiling) : _ceiling;

    /// <summary>Under the lock: a change of the estimator, on the machine's shared view when there is one.</summary>
    private void Sync(Action change) => Sync(() => { change(); return 0; });

    private T Sync<T>(Func<T> change) =>
        _shared is null ? change() : _shared.Run(_limits, _clock.Now, _ceiling, _mine.Values, change);

    /// <summary>Under the lock: ends waiters whose patience is spent, then starts as many as the limits allow, first come first.</summary>
    private void Dispatch()
    {
        var now = _clock.Now;
        TimeSpan? nextWake = null;
        _limits.Advance(now);
        var verdict = _limits.Check(now);
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            var waiter = _waiters[i];
            if (_limits.RefusingSince is { } since)
            {
                var deadline = (since > waiter.Arrival.At ? since : waiter.Arrival.At) + waiter.Patience;
                // A pause that outlasts the patience will not end in time: say so now rather than at the deadline.
                if (now >= deadline || (!verdict.Go && verdict.WakeAt >= deadline))
                {
                    _waiters.RemoveAt(i);
                    waiter.Ready.TrySetResult(null);
                    continue;
                }
                nextWake = Earlier(nextWake, deadline);
            }
        }
        while (_waiters.Count > 0)
        {
            verdict = _limits.Check(now);
            if (!verdict.Go)
            {
                if (verdict.WakeAt is { } at)
                {
                    nextWake = Earlier(nextWake, at);
                }
                break;
            }
            var waiter = _waiters[0];
            _waiters.RemoveAt(0);
            var attempt = _limits.Start(now, Ceiling(now), _waiters.Count, verdict.AsProbe);
            _mine[attempt.Key] = attempt;
            waiter.Ready.TrySetResult(new Lease(this, attempt.Key));
        }
        if (_limits.InFlight == 0 && _waiters.Count == 0)
        {
            IdleSince = now;
        }
        if (_shared is { Active: true } shared)
        {
            // Other processes' answers are not announced: while ours wait on them, look again soon; and be heard from.
            if (_waiters.Count > 0 && shared.OthersAlive(now))
            {
                nextWake = Earlier(nextWake, now + SharedPoll);
            }
            if (_mine.Count > 0)
            {
                nextWake = Earlier(nextWake, now + SharedView.Heartbeat);
            }
        }
        if (nextWake is { } wake && (_waiters.Count > 0 || _mine.Count > 0))
        {
            _timer.WakeAt(wake);
        }
    }

    private static TimeSpan Earlier(TimeSpan? a, TimeSpan b) => a is { } x && x < b ? x : b;

    private sealed class Waiter
    {
        public Waiter(Arrival arrival, TimeSpan patience)
        {
            Arrival = arrival;
            Patience = patience;
        }

        public Arrival Arrival { get; }
        public TimeSpan Patience { get; }
        public TaskCompletionSource<Lease?> Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A request's place in the queue, and when it first asked: patience is never counted from before the request existed.</summary>
    internal readonly record struct Arrival(long Order, TimeSpan At);

    /// <summary>One request's place on the wire. Exactly one of its outcomes is reported; disposing without one frees the place.</summary>
    internal sealed class Lease : IDisposable
    {
        private readonly ServiceRateGate _gate;
        private readonly AttemptKey _attempt;

        public Lease(ServiceRateGate gate, AttemptKey attempt)
        {
            _gate = gate;
            _attempt = attempt;
        }

        /// <summary>The service did the work (or refused it for another reason than its rate). Returns a change of a limit to log, if any.</summary>
        public LimitChange? Admitted(bool success) => _gate.Report(_attempt, rateLimited: false, (limits, attempt, now) => limits.Admitted(attempt, now, success));

        /// <summary>A rate-limit 429: what changed, and what new starts wait on.</summary>
        public RefusalOutcome RateLimited(TimeSpan? serverDelay, string? message) =>
            _gate.Report(_attempt, rateLimited: true, (limits, attempt, now) => limits.RateLimited(attempt, now, serverDelay, message));

        /// <summary>No answer (a timeout, a broken connection, a cancel): the place is freed and nothing is learned.</summary>
        public void Dispose() => _gate.Report(_attempt, rateLimited: false, (limits, attempt, _) => { limits.Abandoned(attempt); return 0; });
    }

    /// <summary>
    /// One outcome of an attempt of ours, found by its key in the view as it stands (once: an attempt already reported,
    /// or forgotten, is not found, and nothing happens). A rate-limit 429 turns sharing on.
    /// </summary>
    private T Report<T>(AttemptKey key, bool rateLimited, Func<RateLimitEstimator, Attempt, TimeSpan, T> observe)
    {
        lock (_lock)
        {
            if (!_mine.ContainsKey(key))
            {
                return default!;
            }
            if (rateLimited)
            {
                _shared?.Activate();
            }
            else
            {
                _shared?.JoinIfShared(_clock.Now, DateTime.UtcNow);
            }
            // Still ours while the view is read, so that a view written before it started takes it in first.
            var result = Sync(() =>
            {
                _mine.Remove(key);
                var outcome = _limits.Find(key) is { Ended: false } attempt ? observe(_limits, attempt, _clock.Now) : default!;
                Dispatch();
                return outcome;
            });
            _shared?.Ended(key);
            return result;
        }
    }
}
