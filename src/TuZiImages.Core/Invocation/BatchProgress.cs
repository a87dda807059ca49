using TuZiImages.Core.RateLimits;

namespace TuZiImages.Core.Invocation;

/// <summary>Where a batch stands, for Write-Progress.</summary>
public sealed class BatchProgress
{
    public int Completed { get; init; }
    public int Failed { get; init; }
    public int Running { get; init; }
    /// <summary>Requests known so far; grows while input still arrives.</summary>
    public int Total { get; init; }
    public System.TimeSpan Elapsed { get; init; }
    /// <summary>True once, when the batch is over: the progress bar should be removed.</summary>
    public bool IsFinished { get; init; }
    /// <summary>What just happened, when there is something to say (a streamed preview saved).</summary>
    public string? CurrentOperation { get; init; }

    /// <summary>
    /// Set when this record is about one task of an async model rather than the batch: its own bar, under the
    /// batch's, with the service's status word and percentage.
    /// </summary>
    public Tasks.ImageTaskStatus? Task { get; init; }

    /// <summary>Requests not sent because their output was already on disk (-SkipExisting); counted as completed.</summary>
    public int Skipped { get; init; }
    public int ThrottleLimit { get; init; }
    /// <summary>The service's limits for this address, while the batch runs.</summary>
    public ServiceRateStatus? Service { get; init; }

    public int PercentComplete => Total == 0 ? 0 : (int)(100L * (Completed + Failed) / Total);

    public string Status =>
        $"{Completed + Failed} of {Total} done" + (Failed > 0 ? $" ({Failed} failed)" : "") + (Skipped > 0 ? $" ({Skipped} skipped, already on disk)" : "")
        + $", {Running} running, {(int)Elapsed.TotalSeconds} s"
        + (Service is { ConcurrencyLimit: { } limit } && limit < ThrottleLimit ? $"; the service admits {limit} at once" : "")
        + (Service is { PausedFor: { } paused, ResumesIn: { } resumes }
            ? $"; waiting on the service's rate limit for {paused.TotalSeconds.ToString("0", System.Globalization.CultureInfo.InvariantCulture)} s (resumes in {System.Math.Ceiling(resumes.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture)} s)"
            : "");
}
