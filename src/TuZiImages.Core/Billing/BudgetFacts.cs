using System;

namespace TuZiImages.Core.Billing;

/// <summary>
/// What the budget decision knows, in US dollars: the service's usage (the key's whole use, read before the first
/// request and again as answers come), and what the command itself knows of its requests at their published prices.
/// </summary>
internal sealed record BudgetFacts
{
    /// <summary>The most the command may spend; null when it has no budget (the usage is read only to report it).</summary>
    public decimal? BudgetUsd { get; init; }

    /// <summary>The service's usage when the command began; null until it has been read.</summary>
    public decimal? BaselineUsd { get; init; }

    /// <summary>The service's usage at the latest reading.</summary>
    public decimal LatestUsd { get; init; }

    /// <summary>Answered requests the service may have billed that finished after the latest reading began: not in it.</summary>
    public int UnreadAnswers { get; init; }

    /// <summary>The answered requests at a known price, at that price: a floor under what the usage will say.</summary>
    public decimal AnsweredAtKnownPricesUsd { get; init; }

    /// <summary>The requests in flight at a known price, at that price.</summary>
    public decimal InFlightAtKnownPricesUsd { get; init; }

    /// <summary>The most one answer has added to the usage, as readings showed it; null until a reading showed growth.</summary>
    public decimal? DearestAnswerUsd { get; init; }

    /// <summary>What the usage counts since the command began.</summary>
    public decimal CountedUsd => LatestUsd - (BaselineUsd ?? LatestUsd);

    /// <summary>
    /// Spent since the command began: what the usage counts, or, when the service records usage late and has not yet
    /// caught up with the answered requests, what those cost at their known prices.
    /// </summary>
    public decimal SpentUsd => Math.Max(CountedUsd, AnsweredAtKnownPricesUsd);

    /// <summary>Answered requests not yet in the usage, at their known prices (usage recorded late).</summary>
    public decimal NotYetCountedUsd => Math.Max(0, AnsweredAtKnownPricesUsd - CountedUsd);
}
