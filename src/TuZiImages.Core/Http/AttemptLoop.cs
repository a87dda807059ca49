using System;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.Core.Errors;

namespace TuZiImages.Core.Http;

/// <summary>One attempt's outcome, with what the loop returns or throws if the decision ends there.</summary>
internal sealed class AttemptResult<T>
{
    private AttemptResult(AttemptOutcome outcome, T? value, TuZiImagesException? failure, string reason)
    {
        Outcome = outcome;
        Value = value;
        Failure = failure;
        Reason = reason;
    }

    public AttemptOutcome Outcome { get; }
    public T? Value { get; }
    public TuZiImagesException? Failure { get; }
    /// <summary>Why it did not succeed, for the verbose line that says a retry follows.</summary>
    public string Reason { get; }

    public static AttemptResult<T> Succeeded(T value) => new(new AttemptOutcome(AttemptEnd.Success), value, null, "");

    public static AttemptResult<T> Unsuccessful(AttemptOutcome outcome, TuZiImagesException failure, string reason) =>
        new(outcome, default, failure, reason);
}

/// <summary>
/// The one retry loop, for API calls and for downloads alike: run an attempt, let <see cref="RetryRules.Decide"/>
/// say what follows, do it. What an attempt involves (a gate and a key, or neither) is the caller's.
/// </summary>
internal static class AttemptLoop
{
    /// <param name="attempt">One attempt, given the attempts before it; it classifies its own outcome.</param>
    public static async Task<T> RunAsync<T>(RetryRules rules, Func<AttemptCounts, CancellationToken, Task<AttemptResult<T>>> attempt,
        Action<string> log, CancellationToken cancellationToken)
    {
        var counts = default(AttemptCounts);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var result = await attempt(counts, cancellationToken).ConfigureAwait(false);
            var decision = rules.Decide(result.Outcome, counts, Backoff.NextJitter());
            counts = decision.Counts;
            switch (decision.Step)
            {
                case NextStep.Return:
                    return result.Value!;
                case NextStep.Fail:
                    throw result.Failure!;
                case NextStep.Retry:
                    log($"{result.Reason}; retrying in {FailureMapper.Seconds(decision.Delay)} (attempt {counts.Paid + 1} of {rules.MaxAttempts})");
                    await Task.Delay(decision.Delay, cancellationToken).ConfigureAwait(false);
                    break;
                case NextStep.Requeue:
                    // The attempt said why; the gate makes it wait as the service's limits say.
                    break;
            }
        }
    }
}
