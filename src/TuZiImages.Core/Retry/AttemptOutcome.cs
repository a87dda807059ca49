using System;

namespace TuZiImages.Core.Retry;

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
    /// <summary>The connection failed or broke before an answer (refused, reset, a proxy or TLS failure).</summary>
    Unreachable,
    /// <summary>A 2xx answer that did not arrive whole: cut off, timed out or unreadable while being read.</summary>
    AnswerBroken,
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
    /// <summary>
    /// The request went out whole to an endpoint that bills and got no complete answer, so the service may have made
    /// (and billed) the image or task: a timeout, a reset or a cut answer after the body, a 504, a gateway's timeout
    /// page. The one mark <see cref="RetryRules.Decide"/> reads: such an attempt is never sent again.
    /// </summary>
    public bool MayHaveBeenBilled { get; }
    /// <summary>The wait the service named (Retry-After, capped); null when it named none.</summary>
    public TimeSpan? ServerDelay { get; }
}

/// <summary>Attempts so far, counted apart: those the retry budget pays for, and rate-limited ones, which cost nothing.</summary>
internal readonly record struct AttemptCounts(int Paid, int RateLimited)
{
    public int Sent => Paid + RateLimited;
}
