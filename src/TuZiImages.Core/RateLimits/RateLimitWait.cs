using System;
using TuZiImages.Core.Errors;

namespace TuZiImages.Core.RateLimits;

/// <summary>What new starts wait on after a rate-limit 429.</summary>
internal enum WaitOn
{
    /// <summary>Nothing learned from this answer (it was reported twice): whatever the service allows.</summary>
    Service,
    /// <summary>The wait the service named (Retry-After, retry-after-ms).</summary>
    NamedWait,
    /// <summary>The learned window: until the oldest start it counts is old enough.</summary>
    Window,
    /// <summary>The end of one of this process's requests in flight: an in-flight limit frees a place then.</summary>
    RequestEnd,
    /// <summary>The backoff: nothing in flight whose end would say when.</summary>
    Backoff,
}

/// <summary>How long new starts wait after a rate-limit 429, and on what: the estimator's answer, as data.</summary>
/// <param name="Delay">From the refusal; null when only the end of a request can say.</param>
/// <param name="InFlight">For <see cref="WaitOn.RequestEnd"/>: how many are in flight.</param>
internal readonly record struct RateLimitWait(WaitOn On, TimeSpan? Delay = null, int InFlight = 0)
{
    /// <summary>For the verbose line: "retrying " and this.</summary>
    public override string ToString() => On switch
    {
        WaitOn.NamedWait or WaitOn.Backoff => $"in {FailureMapper.Seconds(Delay ?? TimeSpan.Zero)}, when the service allows",
        WaitOn.Window => Delay is { } delay ? $"in {FailureMapper.Seconds(delay)}, when the service's window allows" : "when the service's window allows",
        WaitOn.RequestEnd => $"when one of the {InFlight} request(s) in flight ends",
        _ => "when the service allows",
    };
}

/// <summary>What a rate-limit 429 taught: a change of a learned limit to log, if any, and what new starts wait on.</summary>
internal readonly record struct RefusalOutcome(LimitChange? Change, RateLimitWait Wait);
