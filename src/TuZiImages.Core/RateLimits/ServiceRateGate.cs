using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.Core.RateLimits;

/// <summary>
/// Where requests to one API address with one key wait for the service's limits: every request goes through the
/// same gate, across cmdlet invocations, so they share a single view instead of each worker retrying alone.
/// What the limits are is the <see cref="RateLimitEstimator"/>'s to say; the gate queues, wakes and hands out places.
/// </summary>
/// <remarks>Waiting requests keep their place: the one that arrived first goes first, retries included. A waiting
/// request gives up once the service has admitted nothing for its patience, counted from when the service began
/// refusing (<see cref="RateLimitEstimator.RefusingSince"/>) or from when the request arrived, whichever is later.</remarks>
internal sealed class ServiceRateGate
{
    /// <summary>After this long with nothing in flight or waiting, what was learned is forgotten.</summary>
    internal static readonly TimeSpan ForgetAfterIdle = TimeSpan.FromMinutes(2);

    private readonly object _lock = new();
    private readonly List<Waiter> _waiters = new();
    private readonly RateLimitEstimator _limits;
    private readonly GateClock _clock;
    private readonly IGateTimer _timer;
    private TimeSpan _idleSince;
    private long _arrivals;

    /// <param name="jitter">0 to 1, the backoff's spread.</param>
    public ServiceRateGate(TimeSpan baseDelay, TimeSpan maxDelay, GateClock clock, Func<double> jitter)
    {
        _clock = clock;
        _limits = new RateLimitEstimator(baseDelay, maxDelay, jitter);
        _timer = clock.NewTimer(() => { lock (_lock) { Dispatch(); } });
        _idleSince = clock.Now;
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
        var waiter = new Waiter(arrival, Math.Max(1, ceiling), patience);
        lock (_lock)
        {
            var now = _clock.Now;
            if (_limits.InFlight == 0 && _waiters.Count == 0 && now - _idleSince > ForgetAfterIdle)
            {
                _limits.Reset(waiter.Ceiling);
            }
            _limits.Arrive(waiter.Ceiling);
            _waiters.Add(waiter);
            _waiters.Sort((a, b) => a.Arrival.Order.CompareTo(b.Arrival.Order));
            Dispatch();
        }
        // The waiter's own task, done as soon as the gate decides (its continuations run apart, off the gate's lock).
        if (!waiter.Ready.Task.IsCompleted && cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(() => Cancel(waiter));
            waiter.Ready.Task.ContinueWith(_ => registration.Dispose(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
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
                Dispatch();
            }
        }
    }

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
            var attempt = _limits.Start(now, waiter.Ceiling, _waiters.Count, verdict.AsProbe);
            waiter.Ready.TrySetResult(new Lease(this, attempt));
        }
        if (_limits.InFlight == 0 && _waiters.Count == 0)
        {
            _idleSince = now;
        }
        if (nextWake is { } wake && _waiters.Count > 0)
        {
            _timer.WakeAt(wake);
        }
    }

    private static TimeSpan Earlier(TimeSpan? a, TimeSpan b) => a is { } x && x < b ? x : b;

    private sealed class Waiter
    {
        public Waiter(Arrival arrival, int ceiling, TimeSpan patience)
        {
            Arrival = arrival;
            Ceiling = ceiling;
            Patience = patience;
        }

        public Arrival Arrival { get; }
        public int Ceiling { get; }
        public TimeSpan Patience { get; }
        public TaskCompletionSource<Lease?> Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A request's place in the queue, and when it first asked: patience is never counted from before the request existed.</summary>
    internal readonly record struct Arrival(long Order, TimeSpan At);

    /// <summary>One request's place on the wire. Exactly one of its outcomes is reported; disposing without one frees the place.</summary>
    internal sealed class Lease : IDisposable
    {
        private readonly ServiceRateGate _gate;
        private readonly Attempt _attempt;

        public Lease(ServiceRateGate gate, Attempt attempt)
        {
            _gate = gate;
            _attempt = attempt;
        }

        /// <summary>The service did the work (or refused it for another reason than its rate). Returns a change of a limit to log, if any.</summary>
        public LimitChange? Admitted(bool success) => _gate.Report(g => g._limits.Admitted(_attempt, g._clock.Now, success));

        /// <summary>A rate-limit 429: what changed, and what new starts wait on.</summary>
        public RefusalOutcome RateLimited(TimeSpan? serverDelay, string? message) =>
            _gate.Report(g => g._limits.RateLimited(_attempt, g._clock.Now, serverDelay, message));

        /// <summary>No answer (a timeout, a broken connection, a cancel): the place is freed and nothing is learned.</summary>
        public void Dispose() => _gate.Report(g => { g._limits.Abandoned(_attempt); return 0; });
    }

    private T Report<T>(Func<ServiceRateGate, T> observe)
    {
        lock (_lock)
        {
            var result = observe(this);
            Dispatch();
            return result;
        }
    }
}
