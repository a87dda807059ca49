using System;

namespace TuZiImages.Core.Http;

/// <summary>How one attempt ended, as the retry decision needs it.</summary>
internal enum AttemptEnd
{
    /// <summary>A 2xx answer, read.</summary>
    Success,
    /// <summary>A rate-limit 429: the service did no work.</summary>
    RateLimited,
    /// <summary>An answer that is an error; <see cref="AttemptOutcome.Retryable"/> says whether its status means "not now".</summary>
    Failed,
    /// <summary>No answer within the time allowed.</summary>
    TimedOut,
    /// <summary>The connection failed before an answer.</summary>
    Unreachable,
    /// <summary>Never sent: the caller's patience ran out while the service admitted nothing.</summary>
    PatienceSpent,
}

/// <summary>What happened to one attempt: everything the decision after it depends on, and nothing else.</summary>
internal readonly struct AttemptOutcome
{
    public AttemptOutcome(AttemptEnd end, bool retryable = false, bool mayHaveBeenBilled = false, TimeSpan? serverDelay = null)
    {
        End = end;
        Retryable = retryable;
        MayHaveBeenBilled = mayHaveBeenBilled;
        ServerDelay = serverDelay;
    }

    public AttemptEnd End { get; }
    /// <summary>For <see cref="AttemptEnd.Failed"/>: the status says "not now" rather than "never" (and no quota is spent).</summary>
    public bool Retryable { get; }
    /// <summary>The request reached the service whole, so it may have made (and billed) the image.</summary>
    public bool MayHaveBeenBilled { get; }
    /// <summary>The wait the service named (Retry-After, capped); null when it named none.</summary>
    public TimeSpan? ServerDelay { get; }
}

/// <summary>Attempts so far, counted apart: those the retry budget pays for, and rate-limited ones, which cost nothing.</summary>
internal readonly record struct AttemptCounts(int Paid, int RateLimited)
{
    public int Sent => Paid + RateLimited;
}

internal enum NextStep
{
    /// <summary>Done: the answer is the result.</summary>
    Return,
    /// <summary>Try again after <see cref="AttemptDecision.Delay"/>.</summary>
    Retry,
    /// <summary>Go back to the gate in this request's place: it waits as the service's limits say, at no cost to the retries.</summary>
    Requeue,
    /// <summary>Give up: the attempt's failure is the result.</summary>
    Fail,
}

/// <summary>The step after an attempt, with the attempts counted so far (this one included).</summary>
internal readonly record struct AttemptDecision(NextStep Step, TimeSpan Delay, AttemptCounts Counts);

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
