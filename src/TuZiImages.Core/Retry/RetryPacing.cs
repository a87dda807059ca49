using System;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.Core.Retry;

/// <summary>
/// How the attempt loop spaces its retries: the backoff's spread and the wait itself. Passed in, so that retry
/// timing is tested on virtual time; requests use <see cref="Shared"/>.
/// </summary>
/// <param name="Jitter">0 to 1, drawn once per decision.</param>
internal sealed record RetryPacing(Func<double> Jitter, Func<TimeSpan, CancellationToken, Task> Wait)
{
    /// <summary>The process's one random spread and the real clock.</summary>
    public static RetryPacing Shared { get; } = new(Backoff.NextJitter, Task.Delay);
}
