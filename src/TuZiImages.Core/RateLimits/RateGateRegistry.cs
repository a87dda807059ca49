using System;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
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

    public RateGateRegistry(GateClock clock, Func<double> jitter)
    {
        _clock = clock;
        _jitter = jitter;
    }

    /// <summary>Every client of the process: the real clock and the process's one random spread.</summary>
    public static RateGateRegistry Process { get; } = new(GateClock.System, Backoff.NextJitter);

    /// <summary>The gate of an API origin and key. The key itself is not kept: only a fingerprint of it.</summary>
    /// <param name="options">The address, the key, and the backoff for a 429 that names no wait (the first caller's).</param>
    public ServiceRateGate For(TuZiClientOptions options) =>
        _gates.GetOrAdd(options.BaseAddress.GetLeftPart(UriPartial.Authority) + " " + Fingerprint(options.ApiKey),
            _ => new ServiceRateGate(options.RetryBaseDelay, options.MaxRetryDelay, _clock, _jitter));

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
}
