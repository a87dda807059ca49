using System;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.Core.Errors;

namespace TuZiImages.Core.Retry;

/// <summary>
/// The one retry loop, for API calls and for downloads alike: run an attempt, let <see cref="RetryRules.Decide"/>
/// say what follows, do it. What an attempt involves (a gate and a key, or neither) is the caller's.
/// </summary>
internal static class AttemptLoop
{
    /// <param name="attempt">One attempt, given the attempts before it; it classifies its own outcome.</param>
    /// <param name="pacing">The backoff's spread and the wait; <see cref="RetryPacing.Shared"/> when null.</param>
    public static async Task<T> RunAsync<T>(RetryRules rules, Func<AttemptCounts, CancellationToken, Task<AttemptResult<T>>> attempt,
        Action<string> log, CancellationToken cancellationToken, RetryPacing? pacing = null)
    {
        pacing ??= RetryPacing.Shared;
        var counts = default(AttemptCounts);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await attempt(counts, cancellationToken).ConfigureAwait(false);
            var decision = rules.Decide(result.Outcome, counts, pacing.Jitter());
            counts = decision.Counts;
            switch (decision.Step)
            {
                case NextStep.Return:
                    return result.Value!;
                case NextStep.Fail:
                    throw result.Failure!;
                case NextStep.Retry:
                    log($"{result.Reason}; retrying in {FailureMapper.Seconds(decision.Delay)} (attempt {counts.Paid + 1} of {rules.MaxAttempts})");
                    await pacing.Wait(decision.Delay, cancellationToken).ConfigureAwait(false);
                    break;
                case NextStep.Requeue:
                    // The attempt said why; the gate makes it wait as the service's limits say.
                    break;
            }
        }
    }
}
