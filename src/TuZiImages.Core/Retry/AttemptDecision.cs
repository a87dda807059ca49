using System;

namespace TuZiImages.Core.Retry;

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
