using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.Core.RateLimits;

/// <summary>
/// Where requests to one API address with one key wait for the service's limits: every request goes through the
/// same gate, across cmdlet invocations, so they share a single view instead of each worker retrying alone.
/// What the limits are is the <see cref="RateLimitEstimator"/>'s to say; the gate queues, wakes and hands out places.
/// </summary>
/// <remarks>Waiting requests keep their place: the one that arrived first goes first, retries included.
/// Patience is the caller's: see <see cref="RateLimitPatience"/>.</remarks>
internal sealed class ServiceRateGate
{
    /// <summary>After this long with nothing in flight or waiting, what was learned is forgotten.</summary>
    internal static readonly TimeSpan ForgetAfterIdle = TimeSpan.FromMinutes(2);

    private static readonly ConcurrentDictionary<string, ServiceRateGate> Gates = new(StringComparer.Ordinal);
    private static readonly Stopwatch Clock = Stopwatch.StartNew();
    private static long _arrivals;

    private readonly object _lock = new();
    private readonly List<Waiter> _waiters = new();
    private readonly RateLimitEstimator _limits;
    private readonly Timer _timer;
    private TimeSpan _idleSince;

    private ServiceRateGate(TimeSpan baseDelay, TimeSpan maxDelay)
    {
        _limits = new RateLimitEstimator(baseDelay, maxDelay);
        _timer = new Timer(_ => { lock (_lock) { Dispatch(); } }, null, Timeout.Infinite, Timeout.Infinite);
    }

    internal static TimeSpan Now => Clock.Elapsed;

    /// <summary>The gate of an API origin and key. The key itself is not kept: only a fingerprint of it.</summary>
    /// <param name="options">The address, the key, and the backoff for a 429 that names no wait (the first caller's).</param>
    public static ServiceRateGate For(TuZiClientOptions options) =>
        Gates.GetOrAdd(options.BaseAddress.GetLeftPart(UriPartial.Authority) + " " + Fingerprint(options.ApiKey),
            _ => new ServiceRateGate(options.RetryBaseDelay, options.MaxRetryDelay));

    /// <summary>When the service last answered a request with anything but a rate-limit 429 (it did work).</summary>
    public TimeSpan LastAdmittedAt
    {
        get { lock (_lock) { return _limits.LastAdmittedAt; } }
    }

    /// <summary>What a progress bar shows: the learned limit, whether new starts wait on the service, and how many wait.</summary>
    public ServiceRateStatus Status()
    {
        lock (_lock)
        {
            var now = Now;
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
            if (_limits.InFlight == 0 && _waiters.Count == 0 && Now - _idleSince > ForgetAfterIdle)
            {
                _limits.Reset(waiter.Ceiling);
            }
            _limits.Arrive(waiter.Ceiling);
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

    /// <summary>Under the lock: ends waiters whose patience is spent, then starts as many as the limits allow, first come first.</summary>
    private void Dispatch()
    {
        var now = Now;
        TimeSpan? nextWake = null;
        var verdict = _limits.Check(now);
        for (int i = _waiters.Count - 1; i >= 0; i--)
        {
            var waiter = _waiters[i];
            if (waiter.Patience.GivesUpBy(_limits.LastAdmittedAt) is { } deadline)
            {
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
            var due = wake - now;
            // A timer takes at most ~49 days; a later wake-up is reached by waking early and scheduling again.
            due = due < TimeSpan.Zero ? TimeSpan.Zero : due > TimeSpan.FromHours(1) ? TimeSpan.FromHours(1) : due + TimeSpan.FromMilliseconds(1);
            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private static TimeSpan Earlier(TimeSpan? a, TimeSpan b) => a is { } x && x < b ? x : b;

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
        private readonly Attempt _attempt;

        public Lease(ServiceRateGate gate, Attempt attempt)
        {
            _gate = gate;
            _attempt = attempt;
        }

        /// <summary>The service did the work (or refused it for another reason than its rate). Returns a change of a limit to log, if any.</summary>
        public LimitChange? Admitted(bool success) => _gate.Report(g => g._limits.Admitted(_attempt, Now, success));

        /// <summary>A rate-limit 429. Returns a change of a limit to log, if any, and how long new starts wait, for the log.</summary>
        public LimitChange? RateLimited(TimeSpan? serverDelay, string? message, out string wait)
        {
            string said = "when the service allows";
            var change = _gate.Report(g => g._limits.RateLimited(_attempt, Now, serverDelay, message, out said));
            wait = said;
            return change;
        }

        /// <summary>No answer (a timeout, a broken connection, a cancel): the place is freed and nothing is learned.</summary>
        public void Dispose() => _gate.Report(g => { g._limits.Abandoned(_attempt); return null; });
    }

    private LimitChange? Report(Func<ServiceRateGate, LimitChange?> observe)
    {
        lock (_lock)
        {
            var change = observe(this);
            Dispatch();
            return change;
        }
    }
}
