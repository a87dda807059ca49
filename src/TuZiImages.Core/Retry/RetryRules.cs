using System;

namespace TuZiImages.Core.Retry;

/// <summary>What may be retried and after how long.</summary>
internal sealed record RetryRules(int MaxRetries, TimeSpan BaseDelay, TimeSpan MaxDelay, bool RetryTimeoutAfterSend)
{
    public static RetryRules From(TuZiClientOptions options) =>
        new(options.MaxRetries, options.RetryBaseDelay, options.MaxRetryDelay, options.RetryTimeoutAfterSend);

    public int MaxAttempts => MaxRetries + 1;

    /// <summary>
    /// The decision after an attempt: a pure function of its outcome and the attempts before it.
    /// Never retries what may have been billed (a timed-out request sent whole) unless told to; a rate-limit 429
    /// is requeued without spending a retry; everything else "not now" is retried while the budget lasts.
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
        bool worthRetrying = outcome.End switch
        {
            AttemptEnd.Success => false,
            AttemptEnd.Failed => outcome.Retryable,
            AttemptEnd.TimedOut => !outcome.MayHaveBeenBilled || RetryTimeoutAfterSend,
            _ => true,
        };
        if (outcome.End == AttemptEnd.Success)
        {
            return new AttemptDecision(NextStep.Return, TimeSpan.Zero, counts);
        }
        if (!worthRetrying || counts.Paid >= MaxAttempts)
        {
            return new AttemptDecision(NextStep.Fail, TimeSpan.Zero, counts);
        }
        var delay = outcome.ServerDelay ?? Backoff.Delay(counts.Paid, BaseDelay, MaxDelay, jitter);
        return new AttemptDecision(NextStep.Retry, delay, counts);
    }
}
