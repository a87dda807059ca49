namespace TuZiImages.Core.Billing;

/// <summary>Whether the next request may start under the budget.</summary>
internal enum BudgetVerdict
{
    /// <summary>It may start: the budget is not reached and its known price (if any) fits.</summary>
    Start,

    /// <summary>The usage must be read first: the answers since the last reading could have reached the budget.</summary>
    Read,

    /// <summary>Not started: what the service counts since the command began has reached the budget.</summary>
    Reached,

    /// <summary>Not started: its known price, with what is spent and in flight, would pass the budget.</summary>
    WouldPass,

    /// <summary>Not started: the usage could not be read, so the budget cannot be kept.</summary>
    Unknowable,
}
