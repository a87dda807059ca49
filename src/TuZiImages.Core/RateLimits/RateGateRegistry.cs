using System;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using TuZiImages.Core.Requests;
using TuZiImages.Core.Retry;

namespace TuZiImages.Core.RateLimits;

/// <summary>
/// The gates of one view of the service: one per API origin and key. The module has one for the process
/// (<see cref="Process"/>); a test gives clients registries of their own, to play separate processes.
/// </summary>
internal sealed class RateGateRegistry
{
    private readonly ConcurrentDictionary<string, ServiceRateGate> _gates = new(StringComparer.Ordinal);
    private readonly GateClock _clock;
    private readonly Func<double> _jitter;
    private readonly string? _sharedFolder;

    /// <param name="sharedFolder">Where the machine's processes share their views (<see cref="SharedLimitFile"/>); null to share none.</param>
    public RateGateRegistry(GateClock clock, Func<double> jitter, string? sharedFolder)
    {
        _clock = clock;
        _jitter = jitter;
        _sharedFolder = sharedFolder;
    }

    /// <summary>Every client of the process: the real clock, the process's one random spread, and the user's shared views.</summary>
    public static RateGateRegistry Process { get; } = new(GateClock.System, Backoff.NextJitter, SharedLimitFile.DefaultFolder());

    /// <summary>The gate of an API origin and key. The key itself is not kept: only a fingerprint of it.</summary>
    /// <param name="options">The address, the key, and the backoff for a 429 that names no wait (the first caller's).</param>
    public ServiceRateGate For(TuZiClientOptions options)
    {
        string view = options.BaseAddress.GetLeftPart(UriPartial.Authority) + " " + Hash(options.ApiKey ?? "", 8);
        return _gates.GetOrAdd(view, _ => new ServiceRateGate(options.RetryBaseDelay, options.MaxRetryDelay, _clock, _jitter,
            _sharedFolder is null ? null : new SharedLimitFile(_sharedFolder, Hash(view, 16))));
    }

    /// <summary>The first <paramref name="bytes"/> of a SHA-256, in hex: a name that says nothing of what it was made from.</summary>
    private static string Hash(string text, int bytes)
    {
        using var sha = SHA256.Create();
        return Hex.Lower(sha.ComputeHash(Encoding.UTF8.GetBytes(text)), bytes);
    }
}
