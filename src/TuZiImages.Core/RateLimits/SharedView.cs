using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;

namespace TuZiImages.Core.RateLimits;

/// <summary>
/// One gate's part in the view that the processes of a machine share of one address and key (<see cref="SharedLimitFile"/>).
/// Off until the key is rate-limited here or another process shares a fresh view of it: until then no decision
/// depends on other processes, and a request costs no file access. Once on, every change of the gate's estimator
/// happens on the view as the file has it, under its lock, and is written back: the processes act as one.
/// </summary>
/// <remarks>
/// Each process is an owner of its attempts, known by a random token with its -ThrottleLimit and when it was last
/// heard from. An owner not heard from for <see cref="OwnerExpiry"/> (a killed process) is gone: its attempts in
/// flight are abandoned, freeing their places. A live owner is heard from at least every <see cref="Heartbeat"/>.
/// </remarks>
internal sealed class SharedView
{
    internal static readonly TimeSpan OwnerExpiry = TimeSpan.FromSeconds(30);
    internal static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);
    /// <summary>Whether another process shares a view is asked of the file system at most this often.</summary>
    private static readonly TimeSpan JoinCheck = TimeSpan.FromMilliseconds(100);
    private const int Version = 1;

    private readonly SharedLimitFile _file;
    private readonly Dictionary<string, Owner> _owners = new(StringComparer.Ordinal);
    /// <summary>Attempts of ours that ended while the file could not be written: abandoned in the view at the next chance.</summary>
    private readonly List<AttemptKey> _endedUnwritten = new();
    private TimeSpan? _checkedAt;
    private bool _synced = true;
    /// <summary>This process's own view has gone into the shared one.</summary>
    private bool _joined;

    /// <param name="idleSince">The gate's own, until a view read from the file says otherwise.</param>
    public SharedView(SharedLimitFile file, string owner, TimeSpan idleSince)
    {
        _file = file;
        Token = owner;
        IdleSince = idleSince;
    }

    public string Token { get; }

    public bool Active { get; private set; }

    /// <summary>When the key was last idle (nothing in flight, nothing waiting), as the machine has it.</summary>
    public TimeSpan IdleSince { get; set; }

    /// <summary>Other processes' owners heard from within <see cref="OwnerExpiry"/>.</summary>
    public bool OthersAlive(TimeSpan now) => _owners.Values.Any(o => o.Token != Token && now - o.SeenAt < OwnerExpiry);

    /// <summary>The -ThrottleLimit of every live process together: the most the key's limit can grow to.</summary>
    public int Ceiling(TimeSpan now, int mine) => mine + _owners.Values.Where(o => o.Token != Token && now - o.SeenAt < OwnerExpiry).Sum(o => o.Ceiling);

    /// <summary>The key was rate-limited here: from now on, share.</summary>
    public void Activate() => Active = true;

    /// <summary>Joins when another process has written a view of this key lately (checked at most every 100 ms).</summary>
    public void JoinIfShared(TimeSpan now, DateTime utcNow)
    {
        if (Active || (_checkedAt is { } checkedAt && now - checkedAt < JoinCheck))
        {
            return;
        }
        _checkedAt = now;
        if (_file.LastWrittenUtc() is { } written && utcNow - written < ServiceRateGate.ForgetAfterIdle)
        {
            Active = true;
        }
    }

    /// <summary>
    /// Runs <paramref name="change"/> on the view as the machine has it and writes the result back; when the file cannot
    /// be had, on what this process knows, to be put right at the next chance.
    /// </summary>
    /// <param name="mine">This process's attempts in flight, put back into a view that lacks them.</param>
    public T Run<T>(RateLimitEstimator limits, TimeSpan now, int ceiling, IEnumerable<Attempt> mine, Func<T> change)
    {
        if (!Active)
        {
            return change();
        }
        T result = default!;
        bool ran = false;
        bool done = _file.Transact(current =>
        {
            if (current is not null)
            {
                // Joining a view others began: what this process saw alone goes into it.
                byte[]? alone = _joined ? null : Write(limits);
                Read(limits, current);
                if (alone is not null)
                {
                    Merge(limits, alone);
                }
            }
            foreach (var attempt in mine)
            {
                limits.Adopt(attempt);
            }
            foreach (var key in _endedUnwritten)
            {
                if (limits.Find(key) is { Ended: false } lost)
                {
                    limits.Abandoned(lost);
                }
            }
            _endedUnwritten.Clear();
            Expire(limits, now);
            if (!_owners.TryGetValue(Token, out var me) || now - me.SeenAt >= Heartbeat || me.Ceiling != ceiling)
            {
                _owners[Token] = new Owner(Token, ceiling, now);
            }
            result = change();
            ran = true;
            byte[] next = Write(limits);
            return current is not null && next.AsSpan().SequenceEqual(current) ? null : next;
        });
        _synced = done;
        _joined |= done;
        // Not written (no lock in time, or the folder is not writable): the change stands in this process's view only.
        return ran ? result : change();
    }

    /// <summary>An attempt of ours ended: if the file could not be written meanwhile, the view still has it in flight.</summary>
    public void Ended(AttemptKey key)
    {
        if (Active && !_synced)
        {
            _endedUnwritten.Add(key);
        }
    }

    /// <summary>Owners not heard from in time, and attempts of owners the view no longer lists, are gone.</summary>
    private void Expire(RateLimitEstimator limits, TimeSpan now)
    {
        foreach (var gone in _owners.Values.Where(o => o.Token != Token && now - o.SeenAt >= OwnerExpiry).ToList())
        {
            _owners.Remove(gone.Token);
        }
        foreach (string owner in limits.OwnersInFlight())
        {
            if (owner != Token && !_owners.ContainsKey(owner))
            {
                limits.AbandonOwner(owner);
            }
        }
    }

    private void Read(RateLimitEstimator limits, byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            if (root.GetProperty("version").GetInt32() != Version)
            {
                return;
            }
            _owners.Clear();
            foreach (var owner in root.GetProperty("owners").EnumerateArray())
            {
                var read = new Owner(owner.GetProperty("token").GetString() ?? "", owner.GetProperty("ceiling").GetInt32(), TimeSpan.FromTicks(owner.GetProperty("seenAt").GetInt64()));
                _owners[read.Token] = read;
            }
            IdleSince = TimeSpan.FromTicks(root.GetProperty("idleSince").GetInt64());
            limits.ReadFrom(root.GetProperty("limits"));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException or IndexOutOfRangeException)
        {
            // Not a view this version can read (cut short, or another version's): it is written anew from what this process knows.
        }
    }

    private static void Merge(RateLimitEstimator limits, byte[] alone)
    {
        using var document = JsonDocument.Parse(alone);
        limits.MergeFrom(document.RootElement.GetProperty("limits"));
    }

    private byte[] Write(RateLimitEstimator limits)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("version", Version);
            json.WriteStartArray("owners");
            foreach (var owner in _owners.Values)
            {
                json.WriteStartObject();
                json.WriteString("token", owner.Token);
                json.WriteNumber("ceiling", owner.Ceiling);
                json.WriteNumber("seenAt", owner.SeenAt.Ticks);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteNumber("idleSince", IdleSince.Ticks);
            json.WriteStartObject("limits");
            limits.WriteTo(json);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private sealed record Owner(string Token, int Ceiling, TimeSpan SeenAt);
}
