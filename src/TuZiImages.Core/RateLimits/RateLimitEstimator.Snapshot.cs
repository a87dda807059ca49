using System;
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
        _awaitingEnd = state.GetProperty("awaitingEnd").GetBoolean();
        _probeNext = state.GetProperty("probeNext").GetBoolean();
        _fresh = state.GetProperty("fresh").GetBoolean();
        _limited = state.GetProperty("limited").GetBoolean();
        LastAdmittedAt = SharedJson.ReadTime(state, "admitted") ?? TimeSpan.MinValue;
        RefusingSince = SharedJson.ReadTime(state, "refusingSince");
        _successes.Clear();
        foreach (var success in state.GetProperty("successes").EnumerateArray())
        {
            _successes.Enqueue((TimeSpan.FromTicks(success[0].GetInt64()), TimeSpan.FromTicks(success[1].GetInt64())));
        }
        _refusalLatencies.Clear();
        foreach (var latency in SharedJson.ReadTimes(state, "refusalLatencies"))
        {
            _refusalLatencies.Enqueue(latency);
        }
        _windows.ReadFrom(state);
        _probe = state.TryGetProperty("probe", out var probe) ? _windows.Find(new AttemptKey(probe[0].GetString() ?? "", probe[1].GetInt64())) : null;
    }

    /// <summary>An attempt in flight (or admitted and on record) by its key; null once refused, abandoned or forgotten.</summary>
    public Attempt? Find(AttemptKey key) => _windows.Find(key);

    /// <summary>Puts an attempt of this process in flight back into a view that lacks it (one read from a file written before it started).</summary>
    public void Adopt(Attempt attempt)
    {
        if (!attempt.Ended && Find(attempt.Key) is null)
        {
            _windows.Started(attempt);
            _inFlight++;
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
