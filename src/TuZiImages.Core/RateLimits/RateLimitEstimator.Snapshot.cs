using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;

namespace TuZiImages.Core.RateLimits;

/// <summary>
/// The estimator as the processes of a machine share it (<see cref="SharedLimitFile"/>): everything learned and every
/// attempt in flight, written and read back whole, so that each process goes on from where any other left it.
/// </summary>
internal sealed partial class RateLimitEstimator
{
    public void WriteTo(Utf8JsonWriter json)
    {
        json.WriteNumber("limit", _limit);
        json.WriteNumber("inFlight", _inFlight);
        json.WriteNumber("epoch", _epoch);
        json.WriteNumber("successesInWindow", _successesInWindow);
        json.WriteNumber("failedLevel", _failedLevel);
        json.WriteNumber("windowsPerProbe", _windowsPerProbe);
        json.WriteNumber("pauses", _consecutivePauses);
        json.WriteNumber("pausedUntil", _pausedUntil.Ticks);
        json.WriteBoolean("pauseGuessed", _pauseGuessed);
        json.WriteBoolean("awaitingEnd", _awaitingEnd);
        json.WriteBoolean("probeNext", _probeNext);
        json.WriteBoolean("fresh", _fresh);
        json.WriteBoolean("limited", _limited);
        if (_probe is { } probe)
        {
            json.WriteStartArray("probe");
            json.WriteStringValue(probe.Key.Owner);
            json.WriteNumberValue(probe.Key.Id);
            json.WriteEndArray();
        }
        SharedJson.WriteTime(json, "admitted", LastAdmittedAt == TimeSpan.MinValue ? null : LastAdmittedAt);
        SharedJson.WriteTime(json, "refusingSince", RefusingSince);
        json.WriteStartArray("successes");
        foreach (var (start, end) in _successes)
        {
            json.WriteStartArray();
            json.WriteNumberValue(start.Ticks);
            json.WriteNumberValue(end.Ticks);
            json.WriteEndArray();
        }
        json.WriteEndArray();
        SharedJson.WriteTimes(json, "refusalLatencies", _refusalLatencies);
        _windows.WriteTo(json);
    }

    public void ReadFrom(JsonElement state)
    {
        _limit = state.GetProperty("limit").GetDouble();
        _inFlight = state.GetProperty("inFlight").GetInt32();
        _epoch = state.GetProperty("epoch").GetInt64();
        _successesInWindow = state.GetProperty("successesInWindow").GetInt32();
        _failedLevel = state.GetProperty("failedLevel").GetInt32();
        _windowsPerProbe = state.GetProperty("windowsPerProbe").GetInt32();
        _consecutivePauses = state.GetProperty("pauses").GetInt32();
        _pausedUntil = TimeSpan.FromTicks(state.GetProperty("pausedUntil").GetInt64());
        _pauseGuessed = state.GetProperty("pauseGuessed").GetBoolean();
        _awaitingEnd = state.GetProperty("awaitingEnd").GetBoolean();
        _probeNext = state.GetProperty("probeNext").GetBoolean();
        _fresh = state.GetProperty("fresh").GetBoolean();
        _limited = state.GetProperty("limited").GetBoolean();
        LastAdmittedAt = SharedJson.ReadTime(state, "admitted") ?? TimeSpan.MinValue;
        RefusingSince = SharedJson.ReadTime(state, "refusingSince");
        _successes.Clear();
        foreach (var success in Successes(state))
        {
            _successes.Enqueue(success);
        }
        _refusalLatencies.Clear();
        foreach (var latency in SharedJson.ReadTimes(state, "refusalLatencies"))
        {
            _refusalLatencies.Enqueue(latency);
        }
        _windows.ReadFrom(state);
        _probe = state.TryGetProperty("probe", out var probe) ? _windows.Find(new AttemptKey(probe[0].GetString() ?? "", probe[1].GetInt64())) : null;
    }

    /// <summary>
    /// What this process saw before it joined a view that others began: its starts, successes and refusals go into
    /// the view, so that what the service ran for it counts. A pause the backoff guessed while others' requests
    /// in flight were unknown gives way to waiting for one of them to end.
    /// </summary>
    public void MergeFrom(JsonElement local)
    {
        foreach (var attempt in WindowLearner.ReadStarts(local))
        {
            TakeIn(attempt);
        }
        _windows.MergeRefusals(SharedJson.ReadTimes(local, "refusals"));
        var successes = _successes.Concat(Successes(local)).OrderBy(s => s.End).ToList();
        _successes.Clear();
        foreach (var success in successes.Skip(Math.Max(0, successes.Count - SuccessHistory)))
        {
            _successes.Enqueue(success);
        }
        if (SharedJson.ReadTime(local, "admitted") is { } admitted && admitted > LastAdmittedAt)
        {
            LastAdmittedAt = admitted;
            RefusingSince = RefusingSince is { } since && since > admitted ? since : null;
        }
        if (_pauseGuessed && _inFlight > 0)
        {
            _pausedUntil = TimeSpan.Zero;
            _pauseGuessed = false;
            _awaitingEnd = true;
        }
    }

    private static IEnumerable<(TimeSpan Start, TimeSpan End)> Successes(JsonElement state) =>
        state.GetProperty("successes").EnumerateArray().Select(s => (TimeSpan.FromTicks(s[0].GetInt64()), TimeSpan.FromTicks(s[1].GetInt64()))).ToList();

    /// <summary>An attempt in flight (or admitted and on record) by its key; null once refused, abandoned or forgotten.</summary>
    public Attempt? Find(AttemptKey key) => _windows.Find(key);

    /// <summary>Puts an attempt of this process in flight back into a view that lacks it (one read from a file written before it started).</summary>
    public void Adopt(Attempt attempt)
    {
        if (!attempt.Ended)
        {
            TakeIn(attempt);
        }
    }

    /// <summary>An attempt this view lacks goes on record, and in flight unless it has ended.</summary>
    private void TakeIn(Attempt attempt)
    {
        if (Find(attempt.Key) is null)
        {
            _windows.Started(attempt);
            _inFlight += attempt.Ended ? 0 : 1;
        }
    }

    /// <summary>The attempts in flight of an owner that stopped answering (a killed process): their places are freed, nothing is learned.</summary>
    public void AbandonOwner(string owner)
    {
        foreach (var attempt in _windows.InFlight.Where(a => a.Key.Owner == owner).ToList())
        {
            Abandoned(attempt);
        }
    }

    /// <summary>The owners of attempts in flight.</summary>
    public string[] OwnersInFlight() => _windows.InFlight.Select(a => a.Key.Owner).Distinct().ToArray();
}
