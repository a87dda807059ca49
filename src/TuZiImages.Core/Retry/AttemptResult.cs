namespace TuZiImages.Core.Retry;

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
