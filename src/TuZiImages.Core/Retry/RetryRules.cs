using System;

namespace TuZiImages.Core.Retry;

/// <summary>What may be retried and after how long.</summary>
internal sealed record RetryRules(int MaxRetries, TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    public static RetryRules From(TuZiClientOptions options) =>
        new(options.MaxRetries, options.RetryBaseDelay, options.MaxRetryDelay);

    public int MaxAttempts => MaxRetries + 1;

    /// <summary>
    /// The decision after an attempt: a pure function of its outcome and the attempts before it. An attempt that may
    /// have been billed is never sent again, however it ended (a second send could pay twice); a rate-limit 429 is
    /// requeued without spending a retry; everything else "not now" is retried while the budget lasts.
    /// </summary>
    /// <param name="jitter">0 to 1, for the backoff's spread.</param>
    public AttemptDecision Decide(AttemptOutcome outcome, AttemptCounts before, double jitter)
    {
        if (outcome.End == AttemptEnd.RateLimited)
        {
            return new AttemptDecision(NextStep.Requeue, TimeSpan.Zero, before with { RateLimited = before.RateLimited + 1 });
        }
        var counts = before with { Paid = before.Paid + 1 };
        if (outcome.End == AttemptEnd.PatienceSpent)
        {
            return new AttemptDecision(NextStep.Fail, TimeSpan.Zero, before);
        }
        if (outcome.End == AttemptEnd.Success)
        {
            return new AttemptDecision(NextStep.Return, TimeSpan.Zero, counts);
        }
        // The one rule of billing: the mark decides, not the kind of ending.
        bool worthRetrying = !outcome.MayHaveBeenBilled && (outcome.End != AttemptEnd.Failed || outcome.Retryable);
        if (!worthRetrying || counts.Paid >= MaxAttempts)
        {
            return new AttemptDecision(NextStep.Fail, TimeSpan.Zero, counts);
        }
        var delay = outcome.ServerDelay ?? Backoff.Delay(counts.Paid, BaseDelay, MaxDelay, jitter);
        return new AttemptDecision(NextStep.Retry, delay, counts);
    }
}
