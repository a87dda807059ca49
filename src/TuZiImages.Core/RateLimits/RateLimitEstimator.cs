using System.Collections.Generic;
using System;
using TuZiImages.Core.Retry;

namespace TuZiImages.Core.RateLimits;

/// <summary>
/// The service's limits as learned from its answers, for one address and key: a pure function of what was
/// observed (starts, admissions, 429s, each at a time the caller passes), with no clock, lock or wait of its own.
/// </summary>
/// <remarks>
/// <para>Two limits are learned side by side, since gateways enforce either or both (new-api: a window, or in-flight):</para>
/// <list type="bullet">
/// <item>In flight (concurrency): on a 429 that came while at least as many were in flight as the service was seen
/// to run, halve once per round of requests, but not below the concurrency the service was seen to run (the most
/// recent successes that overlapped in time), and by at least one. One more after a full window of successes sent
/// while the limit was full; probing a level that failed takes twice as many windows each time it fails again.
/// Successes that overlapped more than the limit raise it to what the service ran.</item>
/// <item>Per window: a 429 that came while fewer were in flight than the service was seen to run cannot be the
/// in-flight limit: the service counts requests over time. From then on <see cref="WindowLearner"/> fits a window to
/// every start and 429 and paces new starts by it. A message that names the window ("1分钟内最多请求12次") is taken
/// as it stands.</item>
/// <item>After a 429 that names no wait, the next start goes alone (a probe): it is taken as admitted once it has
/// gone unrefused for three times as long as refusals take to come back, and only then do the others follow.
/// (A 429 of the in-flight limit lowers the limit to what was still in flight when it came, too.)</item>
/// <item>Pauses: a Retry-After always wins. Without one, a 429 of the in-flight limit waits until one of the
/// requests in flight ends; with nothing in flight, the backoff.</item>
/// </list>
/// </remarks>
internal sealed partial class RateLimitEstimator
{
    private const double DecreaseFactor = 0.5;
    private const int MaxWindowsPerProbe = 8;
    private const int SuccessHistory = 64;
    private static readonly TimeSpan MinJudge = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan MaxJudge = TimeSpan.FromSeconds(5);
    /// <summary>How long what the service ran for us says what it admits: after that, refusals may mean it admits nothing.</summary>
    internal static readonly TimeSpan EvidenceHorizon = TimeSpan.FromMinutes(2);

    private readonly Queue<(TimeSpan Start, TimeSpan End)> _successes = new();
    private readonly WindowLearner _windows = new();
    private readonly Queue<TimeSpan> _refusalLatencies = new();
    private readonly TimeSpan _baseDelay;
    private readonly TimeSpan _maxDelay;
    private readonly Func<double> _jitter;
    private readonly string _owner;
    private long _nextId;
    private double _limit;
    private int _inFlight;
    private long _epoch;
    private int _successesInWindow;
    private int _failedLevel;
    private int _windowsPerProbe = 1;
    private int _consecutivePauses;
    private TimeSpan _pausedUntil;
    /// <summary>The pause is the backoff's guess, not a wait the service named.</summary>
    private bool _pauseGuessed;
    private bool _awaitingEnd;
    private bool _probeNext;
    private Attempt? _probe;
    private bool _fresh = true;
    /// <summary>The number at once has been learned from a refusal: a caller's ceiling no longer raises it.</summary>
    private bool _limited;

    /// <param name="baseDelay">The backoff's first pause, for a 429 that names no wait when nothing is in flight.</param>
    /// <param name="jitter">0 to 1, drawn once per backoff: the spread that keeps refused clients out of step.</param>
    /// <param name="owner">Whose attempts this estimator starts: the gate's token, told apart from other processes' in a shared view.</param>
    public RateLimitEstimator(TimeSpan baseDelay, TimeSpan maxDelay, Func<double> jitter, string owner = "local")
    {
        _baseDelay = baseDelay;
        _maxDelay = maxDelay;
        _jitter = jitter;
        _owner = owner;
    }

    /// <summary>How many requests may be in flight; the caller's ceiling until the service refuses one.</summary>
    public int Concurrency => Math.Max(1, (int)_limit);

    /// <summary>Null until the first request.</summary>
    public int? KnownConcurrency => _fresh ? null : Concurrency;

    public int InFlight => _inFlight;

    /// <summary>The window limit learned so far; null while none shows.</summary>
    public WindowLimit? Window => _windows.Window;

    /// <summary>When the service last answered anything but a rate-limit 429 (it did work).</summary>
    public TimeSpan LastAdmittedAt { get; private set; } = TimeSpan.MinValue;

    /// <summary>Since when the service has refused everything; null while it admits.</summary>
    public TimeSpan? RefusingSince { get; private set; }

    /// <summary>Forgets everything learned: a fresh start at the caller's ceiling.</summary>
    public void Reset(int ceiling)
    {
        _fresh = false;
        _limited = false;
        RefusingSince = null;
        _limit = Math.Max(1, ceiling);
        _epoch++;
        _successesInWindow = 0;
        _failedLevel = 0;
        _windowsPerProbe = 1;
        _consecutivePauses = 0;
        _successes.Clear();
        _windows.Forget();
        _refusalLatencies.Clear();
        _awaitingEnd = false;
        _probeNext = false;
        _probe = null;
        _pausedUntil = TimeSpan.Zero;
        _pauseGuessed = false;
    }

    /// <summary>A request arrives with the caller's ceiling (-ThrottleLimit).</summary>
    public void Arrive(int ceiling)
    {
        if (_fresh)
        {
            Reset(ceiling);
        }
        else if (!_limited && _limit < ceiling)
        {
            // Nothing has been refused yet: a caller that asks for more at once gets it at once.
            _limit = ceiling;
        }
    }

    /// <summary>What time alone decides: a probe not refused in three times as long as refusals take was taken by the service.</summary>
    public void Advance(TimeSpan now)
    {
        if (_probe is { } probe && now >= probe.StartedAt + Judge())
        {
            _probe = null;
            Confirm(probe);
        }
    }

    /// <summary>
    /// Whether one more request may start at <paramref name="now"/>, and if not, when to ask again. Only reads: what
    /// time decides is <see cref="Advance"/>'s, which the gate calls first.
    /// </summary>
    public StartVerdict Check(TimeSpan now)
    {
        // The service's pause first: it is what a progress bar shows, and what patience is measured against.
        if (_pausedUntil > now)
        {
            return StartVerdict.Wait(_pausedUntil);
        }
        if (_inFlight >= Concurrency || _awaitingEnd)
        {
            return StartVerdict.Wait(null);
        }
        if (_probe is { } waitingFor && now < waitingFor.StartedAt + Judge())
        {
            return StartVerdict.Wait(waitingFor.StartedAt + Judge());
        }
        if (_windows.Window is not null)
        {
            var paced = _windows.Pace(now);
            if (!paced.Go || paced.AsProbe)
            {
                return paced;
            }
        }
        return StartVerdict.Now(_probeNext);
    }

    /// <summary>A request goes to the wire (after <see cref="Check"/> said it may).</summary>
    /// <param name="waitingAfter">Requests still waiting after this one: with those in flight, whether demand fills the limit.</param>
    public Attempt Start(TimeSpan now, int ceiling, int waitingAfter, bool asProbe)
    {
        bool full = _inFlight + 1 + waitingAfter >= Concurrency;
        var attempt = new Attempt(new AttemptKey(_owner, ++_nextId), now, _epoch, Math.Max(1, ceiling), full, asProbe);
        _inFlight++;
        _windows.Started(attempt);
        if (asProbe)
        {
            _probe = attempt;
            _probeNext = false;
        }
        return attempt;
    }

    /// <summary>The service answered with something other than a rate-limit 429: it admitted the request.</summary>
    public LimitChange? Admitted(Attempt attempt, TimeSpan now, bool success)
    {
        if (!End(attempt))
        {
            return null;
        }
        LastAdmittedAt = now;
        RefusingSince = null;
        _awaitingEnd = false;
        Confirm(attempt);
        if (!success)
        {
            return null;
        }
        _consecutivePauses = 0;
        _successes.Enqueue((attempt.StartedAt, now));
        while (_successes.Count > SuccessHistory)
        {
            _successes.Dequeue();
        }
        int level = (int)_limit;
        int seen = ProvenConcurrency(now);
        if (seen > level && level < attempt.Ceiling)
        {
            int raised = Math.Min(seen, attempt.Ceiling);
            _limit = raised;
            _epoch++;
            _successesInWindow = 0;
            return new LimitChange("Concurrency", $"the service ran {seen} at once: concurrency {level} -> {raised}");
        }
        if (attempt.Epoch == _epoch && attempt.StartedWhileFull && level < attempt.Ceiling)
        {
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
                return new LimitChange("Concurrency",
                    $"the service admitted {needed} request(s) in a row at {level} at once: concurrency {level} -> {level + 1} (at most {attempt.Ceiling})");
            }
        }
        return null;
    }

    /// <summary>
    /// A rate-limit 429. <paramref name="retryAfter"/> is the wait the service named, if any; <paramref name="message"/>
    /// its error message. Says what changed and what new starts wait on.
    /// </summary>
    public RefusalOutcome RateLimited(Attempt attempt, TimeSpan now, TimeSpan? retryAfter, string? message)
    {
        if (!End(attempt))
        {
            return new RefusalOutcome(null, new RateLimitWait(WaitOn.Service));
        }
        _windows.Refused(attempt, now);
        _refusalLatencies.Enqueue(now - attempt.StartedAt);
        if (_refusalLatencies.Count > 8)
        {
            _refusalLatencies.Dequeue();
        }
        // Without a named wait, whether the service has room again is learned from one request, not the whole queue.
        _probeNext = retryAfter is null;

        // Counted when the answer came: a refusal sent as others ended is judged by what was still running.
        int others = _inFlight;
        int seen = ProvenConcurrency(now);
        var said = LimitMessage.Read(message);
        bool byWindow = said.Kind == LimitKind.Window
            || (said.Kind == LimitKind.Unknown && (_windows.Seen || (seen > 0 && others < seen)));
        // Refused below the limit the service names or showed (what it ran for us at once, the starts its window counts):
        // the rest goes to other clients of the key. The service admits, just not this request now. Only a 429 that says
        // it is a limit (new-api's messages) is taken so: of one that does not, the limit learned from timing may be the
        // mistake (one request refused every time while others pass), and patience must still end it.
        bool admitsOthers = said.Kind != LimitKind.Unknown && (byWindow ? _windows.FilledByOthers(now, said.Window, EvidenceHorizon)
            : others < Math.Max(seen, said.InFlight ?? (said.Kind == LimitKind.InFlight ? 1 : 0)));
        if (admitsOthers)
        {
            LastAdmittedAt = now;
            RefusingSince = null;
        }
        else
        {
            RefusingSince ??= now;
        }
        LimitChange? change;
        if (said.Window is { } named)
        {
            change = _windows.Named(named);
        }
        else if (byWindow)
        {
            // Fewer in flight than the service ran before, or its message says so: it counts requests over time, not at once.
            change = _windows.CountsOverTime();
        }
        else
        {
            // The number at once is what refused it: from now on it is learned, not taken from the callers' ceilings.
            _limited = true;
            change = attempt.Epoch == _epoch ? Decrease(seen) : LowerTo(others);
        }

        RateLimitWait wait;
        if (retryAfter is { } serverSays)
        {
            PauseUntil(now + serverSays, guessed: false);
            wait = new RateLimitWait(WaitOn.NamedWait, serverSays);
        }
        else if (byWindow && _windows.Window is not null)
        {
            wait = new RateLimitWait(WaitOn.Window, Check(now).WakeAt is { } at ? (at > now ? at - now : TimeSpan.Zero) : null);
        }
        else if (_inFlight > 0)
        {
            // An in-flight limit frees a place when a request ends: that, not a guess, says when to try again.
            _awaitingEnd = true;
            wait = new RateLimitWait(WaitOn.RequestEnd, InFlight: _inFlight);
        }
        else
        {
            // Nothing in flight whose end would say when (everything else was refused too): back off.
            _awaitingEnd = false;
            // While the service admits others, it is not overloaded: no longer pauses, so a free place is found soon.
            _consecutivePauses = admitsOthers ? 1 : _consecutivePauses + 1;
            var pause = Backoff.Delay(_consecutivePauses, _baseDelay, _maxDelay, _jitter());
            PauseUntil(now + pause, guessed: true);
            wait = new RateLimitWait(WaitOn.Backoff, pause);
        }
        return new RefusalOutcome(change, wait);
    }

    private void PauseUntil(TimeSpan until, bool guessed)
    {
        if (until > _pausedUntil)
        {
            _pausedUntil = until;
            _pauseGuessed = guessed;
        }
    }

    /// <summary>No answer (a timeout, a broken connection, a cancel): the place is freed and nothing is learned.</summary>
    public void Abandoned(Attempt attempt)
    {
        if (End(attempt))
        {
            _windows.Abandoned(attempt);
            _awaitingEnd = false;
        }
    }

    private bool End(Attempt attempt)
    {
        if (attempt.Ended)
        {
            return false;
        }
        attempt.Ended = true;
        _inFlight--;
        if (ReferenceEquals(_probe, attempt))
        {
            _probe = null;
        }
        return true;
    }

    private void Confirm(Attempt attempt)
    {
        if (attempt.Confirmed)
        {
            return;
        }
        attempt.Confirmed = true;
        _windows.Confirmed(attempt);
    }

    private LimitChange? Decrease(int seen)
    {
        int level = Concurrency;
        int lowered = Math.Max(1, Math.Min(level - 1, Math.Max((int)(level * DecreaseFactor), seen)));
        Lower(level, lowered);
        return new LimitChange("Concurrency", level == lowered
            ? $"the service is limiting requests (HTTP 429) at {level} at once; concurrency stays at 1"
            : $"the service is limiting requests (HTTP 429) at {level} at once: concurrency {level} -> {lowered}"
              + (seen > 0 && lowered == seen ? $" (it was running {seen} at once)" : ""));
    }

    /// <summary>
    /// A 429 of the round already answered by a decrease: the service refused it with only <paramref name="others"/>
    /// of ours in flight (some of them perhaps refused too), so it runs at most that many.
    /// </summary>
    private LimitChange? LowerTo(int others)
    {
        int level = Concurrency;
        if (others < 1 || others >= level)
        {
            return null;
        }
        Lower(level, others);
        return new LimitChange("Concurrency", $"the service refused a request with {others} in flight: concurrency {level} -> {others}");
    }

    /// <summary>Probing a level that failed again takes twice as many windows each time.</summary>
    private void Lower(int level, int lowered)
    {
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
    }

    /// <summary>How long a probe must go unrefused to be taken as admitted: three times as long as 429s take to come back.</summary>
    private TimeSpan Judge()
    {
        if (_refusalLatencies.Count == 0)
        {
            return MinJudge;
        }
        // The median: a burst that first had to open connections does not make every later probe wait.
        var latencies = new List<TimeSpan>(_refusalLatencies);
        latencies.Sort();
        var judge = TimeSpan.FromTicks(latencies[latencies.Count / 2].Ticks * 3);
        return judge < MinJudge ? MinJudge : judge > MaxJudge ? MaxJudge : judge;
    }

    /// <summary>The most recent successes that overlapped one another: a concurrency the service certainly runs (or ran, within <see cref="EvidenceHorizon"/>).</summary>
    private int ProvenConcurrency(TimeSpan now)
    {
        int best = 0;
        foreach (var a in _successes)
        {
            if (a.End < now - EvidenceHorizon)
            {
                continue;
            }
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
}
