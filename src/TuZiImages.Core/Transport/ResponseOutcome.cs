using System;
using TuZiImages.Core.Retry;

namespace TuZiImages.Core.Transport;

/// <summary>What an answer means, as <see cref="ResponseClassifier"/> decides it.</summary>
internal enum ResponseVerdict
{
    /// <summary>A 2xx: its body is the answer, for the call's reader.</summary>
    Success,
    /// <summary>A rate-limit 429: the service did no work; try again when it allows, without spending a retry.</summary>
    RateLimited,
    /// <summary>The key's quota or balance is spent: waiting will not help.</summary>
    QuotaSpent,
    /// <summary>The key may not do this (402, 403, a model outside the key's group).</summary>
    NotPermitted,
    /// <summary>A status that says "not now" (408, 500, 502, 503, 504): a new attempt may succeed.</summary>
    Retryable,
    /// <summary>A CDN or gateway gave up after the request went through (524, a 502/504 timeout page): never sent again.</summary>
    GatewayTimeout,
    /// <summary>A 3xx: not followed, so that the key goes to no other host.</summary>
    Redirect,
    /// <summary>A 407 from the proxy on the way: it asks for credentials, and will ask again.</summary>
    ProxyAuthentication,
    /// <summary>The request itself was refused (400, 401, 404, 413...): it would fail the same way again.</summary>
    Final,
}

/// <summary>An answer's verdict, with what the retry decision and the error need from it.</summary>
/// <param name="MayHaveBeenBilled">The service may have made and billed the work although the answer is a failure.</param>
/// <param name="ServerDelay">The wait the server named, capped; null when it named none.</param>
internal readonly record struct ResponseOutcome(ResponseVerdict Verdict, bool MayHaveBeenBilled = false, TimeSpan? ServerDelay = null)
{
    public bool IsSuccess => Verdict == ResponseVerdict.Success;

    /// <summary>
    /// The outcome as the retry decision takes it. Behind the rate gate a 429 goes back to the gate in its place;
    /// a call that passes no gate (a download from the result host) retries it like any "not now".
    /// </summary>
    public AttemptOutcome ForAttempt(bool behindGate) => Verdict switch
    {
        ResponseVerdict.Success => new AttemptOutcome(AttemptEnd.Success),
        ResponseVerdict.RateLimited when behindGate => new AttemptOutcome(AttemptEnd.RateLimited, serverDelay: ServerDelay),
        ResponseVerdict.RateLimited or ResponseVerdict.Retryable =>
            new AttemptOutcome(AttemptEnd.Failed, retryable: true, mayHaveBeenBilled: MayHaveBeenBilled, serverDelay: ServerDelay),
        _ => new AttemptOutcome(AttemptEnd.Failed, retryable: false, mayHaveBeenBilled: MayHaveBeenBilled, serverDelay: ServerDelay),
    };
}
