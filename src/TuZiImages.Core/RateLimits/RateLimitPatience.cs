using System;

namespace TuZiImages.Core.RateLimits;

/// <summary>
/// How long one invocation waits while the service admits nothing: the clock starts at the first rate-limit 429
/// it meets and stops as soon as the service admits any request to that address. Shared by an invocation's
/// requests, so that once the service has refused everything for the whole window, the rest end at once.
/// </summary>
internal sealed class RateLimitPatience
{
    private readonly object _lock = new();
    private TimeSpan? _since;

    public RateLimitPatience(TimeSpan window) => Window = window;

    public TimeSpan Window { get; }

    /// <summary>Starts the clock at a rate-limit 429, unless it already runs.</summary>
    public void RateLimited(TimeSpan now, TimeSpan lastAdmittedAt)
    {
        lock (_lock)
        {
            if (_since is not { } since || lastAdmittedAt >= since)
            {
                _since = now;
            }
        }
    }

    /// <summary>When waiting requests give up, or null while the service is not refusing everything.</summary>
    public TimeSpan? GivesUpBy(TimeSpan lastAdmittedAt)
    {
        lock (_lock)
        {
            return _since is { } since && lastAdmittedAt < since ? since + Window : null;
        }
    }
}
