using System;

namespace TuZiImages.Core.Billing;

/// <summary>
/// The budget as one pure decision, asked before each request starts: start it, read the usage first, or not start it.
/// </summary>
/// <remarks>
/// Usage only grows, so a request refused now is never wrongly refused: no reading could make room for it. A reading is
/// asked for only when an answer came since the last one and could have changed the verdict: with the dearest answer
/// seen so far standing in for each unread one, a batch of 500 far from its budget reads the usage after its first
/// answer and then not again until it nears the budget.
/// </remarks>
internal static class BudgetDecision
{
    /// <param name="priceUsd">The request's known price (the published price per request times its images); null when unknown.</param>
    public static BudgetVerdict Decide(BudgetFacts facts, decimal? priceUsd)
    {
        if (facts.BaselineUsd is null)
        {
            return BudgetVerdict.Read;
        }
        if (facts.BudgetUsd is not { } budget)
        {
            return BudgetVerdict.Start;
        }
        decimal spent = facts.SpentUsd;
        if (spent >= budget)
        {
            return BudgetVerdict.Reached;
        }
        if (!Fits(spent, facts, budget, priceUsd))
        {
            return BudgetVerdict.WouldPass;
        }
        if (facts.UnreadAnswers == 0)
        {
            return BudgetVerdict.Start;
        }
        if (facts.DearestAnswerUsd is not { } dearest)
        {
            return BudgetVerdict.Read;
        }
        decimal projected = Math.Max(facts.CountedUsd + facts.UnreadAnswers * dearest, facts.AnsweredAtKnownPricesUsd);
        return projected < budget && Fits(projected, facts, budget, priceUsd) ? BudgetVerdict.Start : BudgetVerdict.Read;
    }

    /// <summary>A known price must fit whole beside what is spent and in flight; an unknown one needs only room left.</summary>
    private static bool Fits(decimal spent, BudgetFacts facts, decimal budget, decimal? priceUsd)
    {
        decimal committed = spent + facts.InFlightAtKnownPricesUsd;
        return priceUsd is { } price ? committed + price <= budget : committed < budget;
    }
}
