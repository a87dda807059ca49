using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace TuZiImages.Core.RateLimits;

/// <summary>
/// The window half of <see cref="RateLimitEstimator"/>: the log of starts and 429s, the window that fits them, and
/// the pace it sets. Pure, like the estimator, which drives it under the gate's lock.
/// </summary>
/// <remarks>
/// A sliding window admits a start when fewer than M started within the last W (new-api keeps such a log). So a
/// 429 at t says the M-th most recent start before t lies within W, and a start taken as admitted says its M-th
/// predecessor lies outside. The estimate is the smallest M that some W fits, with W between two bounds. New
/// starts are paced to the upper bound (never refused if the estimate is right), and while the bounds are far
/// apart one request alone probes their middle, so they close in.
/// </remarks>
internal sealed class WindowLearner
{
    private const int StartHistory = 128;
    private const int RefusalHistory = 32;
    private static readonly TimeSpan MinProbeStep = TimeSpan.FromMilliseconds(250);
    /// <summary>While no admission bounds the window from above, each probe goes this much later than the last refusal says: the overshoot is at most this fraction of the window, once.</summary>
    private const double ProbeGrowth = 1.15;

    /// <summary>Starts not refused (admitted or still in flight), oldest first.</summary>
    private readonly List<Attempt> _starts = new();
    /// <summary>When 429s came back, oldest first.</summary>
    private readonly List<TimeSpan> _refusals = new();

    /// <summary>The window that fits what was seen; null while none does.</summary>
    public WindowLimit? Window { get; private set; }

    /// <summary>A 429 has shown that the service counts requests over time.</summary>
    public bool Seen { get; private set; }

    /// <summary>
    /// A 429 of the window while fewer of this client's starts lie within it than it admits (the named window, else
    /// the one learned): other clients' starts fill it. With no window known, when none of ours lies within
    /// <paramref name="horizon"/>.
    /// </summary>
    public bool FilledByOthers(TimeSpan now, WindowLimit? named, TimeSpan horizon) => (named ?? Window) is { } window
        ? StartsSince(now - (window.AtMost ?? window.Longer)) < window.Requests
        : StartsSince(now - horizon) == 0;

    private int StartsSince(TimeSpan since) => _starts.Count - StartsBefore(since + TimeSpan.FromTicks(1));

    public void Forget()
    {
        _starts.RemoveAll(a => a.Ended);
        _refusals.Clear();
        Seen = false;
        Window = null;
    }

    /// <summary>An attempt not refused, by its key: in flight, or admitted and still on record.</summary>
    public Attempt? Find(AttemptKey key) => _starts.FirstOrDefault(a => a.Key == key);

    /// <summary>Attempts still in flight.</summary>
    public IEnumerable<Attempt> InFlight => _starts.Where(a => !a.Ended);

    public void Started(Attempt attempt)
    {
        // In time order: an attempt put back into a shared view (Adopt) may be older than the last start on record.
        int at = _starts.Count;
        while (at > 0 && _starts[at - 1].StartedAt > attempt.StartedAt)
        {
            at--;
        }
        _starts.Insert(at, attempt);
        while (_starts.Count > StartHistory && _starts[0].Ended)
        {
            _starts.RemoveAt(0);
        }
    }

    public void Refused(Attempt attempt, TimeSpan now)
    {
        _starts.Remove(attempt);
        _refusals.Add(now);
        if (_refusals.Count > RefusalHistory)
        {
            _refusals.RemoveAt(0);
        }
    }

    public void Abandoned(Attempt attempt) => _starts.Remove(attempt);

    /// <summary>An admission bounds the window from above.</summary>
    public void Confirmed(Attempt attempt)
    {
        if (Seen && Window is not { Named: true } && _starts.Contains(attempt))
        {
            Fit(firstEvidence: false);
        }
    }

    /// <summary>A 429 that the in-flight limit cannot explain: the service counts requests over time.</summary>
    public LimitChange? CountsOverTime()
    {
        var change = Window is { Named: true } ? null : Fit(firstEvidence: !Seen);
        Seen = true;
        return change;
    }

    /// <summary>A 429 whose message named the window: taken as it stands.</summary>
    public LimitChange? Named(WindowLimit named)
    {
        Seen = true;
        if (Window == named)
        {
            return null;
        }
        Window = named;
        return new LimitChange("Window", $"the service admits {named} (its message says so)");
    }

    /// <summary>
    /// The smallest M for which some window W fits every start and 429 on record: a 429 at t needs the M-th most
    /// recent start before t within W (W above t minus it); a start taken as admitted needs it outside (W at most the gap).
    /// </summary>
    private LimitChange? Fit(bool firstEvidence)
    {
        var before = Window;
        var fitted = FitWindow();
        if (fitted is null && _refusals.Count > 1)
        {
            // Nothing fits every 429: the limit changed. The latest refusal says what it is now.
            _refusals.RemoveRange(0, _refusals.Count - 1);
            fitted = FitWindow();
        }
        Window = fitted;
        if (fitted is null)
        {
            Seen = false;
            return before is null ? null : new LimitChange("Window", "the service no longer limits requests per window as it did");
        }
        if (before is not null && before.Requests == fitted.Requests && !firstEvidence)
        {
            return null;
        }
        return new LimitChange("Window", $"the service admits {fitted} (fewer were in flight than it ran before, so it counts requests over time)");
    }

    private WindowLimit? FitWindow()
    {
        // Refusals older than the oldest start on record cannot be placed against the log.
        while (_refusals.Count > 0 && _starts.Count > 0 && _refusals[0] < _starts[0].StartedAt)
        {
            _refusals.RemoveAt(0);
        }
        if (_refusals.Count == 0)
        {
            return null;
        }
        // The smallest M that fits: the shortest window that explains every answer, so the pace is the smoothest.
        for (int m = 1; m <= _starts.Count; m++)
        {
            var longer = TimeSpan.Zero;
            bool explained = true;
            foreach (var refusal in _refusals)
            {
                int before = StartsBefore(refusal);
                if (before < m)
                {
                    explained = false;
                    break;
                }
                var span = refusal - _starts[before - m].StartedAt;
                if (span > longer)
                {
                    longer = span;
                }
            }
            if (!explained)
            {
                continue;
            }
            TimeSpan? atMost = null;
            for (int i = m; i < _starts.Count; i++)
            {
                if (_starts[i].Confirmed)
                {
                    var gap = _starts[i].StartedAt - _starts[i - m].StartedAt;
                    if (atMost is not { } most || gap < most)
                    {
                        atMost = gap;
                    }
                }
            }
            if (atMost is not { } upper || longer < upper)
            {
                return new WindowLimit(m, longer, atMost);
            }
        }
        return null;
    }

    private int StartsBefore(TimeSpan time)
    {
        int low = 0, high = _starts.Count;
        while (low < high)
        {
            int middle = (low + high) / 2;
            if (_starts[middle].StartedAt < time)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    /// <summary>
    /// Under a window limit: start now while fewer than M started within the window's upper bound; else at the
    /// upper bound after the M-th most recent start, or, while the bounds are far apart, one probe at their middle.
    /// </summary>
    public StartVerdict Pace(TimeSpan now)
    {
        if (Window is not { } window)
        {
            return StartVerdict.Now();
        }
        int m = window.Requests;
        if (_starts.Count < m)
        {
            return StartVerdict.Now();
        }
        var oldestCounted = _starts[_starts.Count - m].StartedAt;
        if (window.AtMost is { } most && now - oldestCounted >= most)
        {
            return StartVerdict.Now();
        }
        var gap = window.AtMost is { } upper ? upper - window.Longer : TimeSpan.MaxValue;
        if (window.AtMost is { } safe && gap <= Tolerance(safe))
        {
            return StartVerdict.Wait(oldestCounted + safe);
        }
        var step = window.AtMost is { } bound
            ? window.Longer + TimeSpan.FromTicks((bound - window.Longer).Ticks / 2)
            : Max(TimeSpan.FromTicks((long)(window.Longer.Ticks * ProbeGrowth)), window.Longer + MinProbeStep);
        var probeAt = oldestCounted + step;
        return now >= probeAt ? StartVerdict.Now(probe: true) : StartVerdict.Wait(probeAt);
    }

    /// <summary>The log and the window fitted to it, for the view the processes of a machine share.</summary>
    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteStartArray("starts");
        foreach (var a in _starts)
        {
            json.WriteStartArray();
            json.WriteStringValue(a.Key.Owner);
            json.WriteNumberValue(a.Key.Id);
            json.WriteNumberValue(a.StartedAt.Ticks);
            json.WriteNumberValue(a.Epoch);
            json.WriteNumberValue(a.Ceiling);
            json.WriteNumberValue((a.StartedWhileFull ? 1 : 0) | (a.IsProbe ? 2 : 0) | (a.Ended ? 4 : 0) | (a.Confirmed ? 8 : 0));
            json.WriteEndArray();
        }
        json.WriteEndArray();
        SharedJson.WriteTimes(json, "refusals", _refusals);
        json.WriteBoolean("seen", Seen);
        if (Window is { } window)
        {
            json.WriteStartObject("window");
            json.WriteNumber("requests", window.Requests);
            json.WriteNumber("longer", window.Longer.Ticks);
            SharedJson.WriteTime(json, "atMost", window.AtMost);
            json.WriteBoolean("named", window.Named);
            json.WriteEndObject();
        }
    }

    public void ReadFrom(JsonElement state)
    {
        _starts.Clear();
        _starts.AddRange(ReadStarts(state));
        _refusals.Clear();
        _refusals.AddRange(SharedJson.ReadTimes(state, "refusals"));
        Seen = state.GetProperty("seen").GetBoolean();
        Window = state.TryGetProperty("window", out var window)
            ? new WindowLimit(window.GetProperty("requests").GetInt32(), TimeSpan.FromTicks(window.GetProperty("longer").GetInt64()),
                SharedJson.ReadTime(window, "atMost"), window.GetProperty("named").GetBoolean())
            : null;
    }

    public static IEnumerable<Attempt> ReadStarts(JsonElement state) => state.GetProperty("starts").EnumerateArray().Select(a =>
    {
        int flags = a[5].GetInt32();
        return new Attempt(new AttemptKey(a[0].GetString() ?? "", a[1].GetInt64()), TimeSpan.FromTicks(a[2].GetInt64()), a[3].GetInt64(), a[4].GetInt32(),
            (flags & 1) != 0, (flags & 2) != 0) { Ended = (flags & 4) != 0, Confirmed = (flags & 8) != 0 };
    }).ToList();

    /// <summary>Another log's 429s, in time order among these.</summary>
    public void MergeRefusals(IEnumerable<TimeSpan> refusals)
    {
        _refusals.AddRange(refusals);
        _refusals.Sort();
        if (_refusals.Count > RefusalHistory)
        {
            _refusals.RemoveRange(0, _refusals.Count - RefusalHistory);
        }
    }

    private static TimeSpan Tolerance(TimeSpan window) => Max(TimeSpan.FromTicks(window.Ticks / 20), TimeSpan.FromMilliseconds(20));

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
