using System.Collections.Generic;
using System.Linq;
using TuZiImages.Core.Billing;

namespace TuZiImages.Tests.Billing;

/// <summary>The budget, one pure decision before each request: start it, read the usage first, or not start it.</summary>
public class BudgetDecisionTests
{
    /// <summary>A command with a $1 budget that began at a usage of $10.</summary>
    private static BudgetFacts Facts(decimal latest = 10m, int unread = 0, decimal answeredKnown = 0, decimal inFlightKnown = 0,
        decimal? dearest = null, decimal? budget = 1m, decimal? baseline = 10m) => new()
    {
        BudgetUsd = budget, BaselineUsd = baseline, LatestUsd = latest, UnreadAnswers = unread,
        AnsweredAtKnownPricesUsd = answeredKnown, InFlightAtKnownPricesUsd = inFlightKnown, DearestAnswerUsd = dearest,
    };

    // The types are the core's own (internal): the theory is over the situations, each a row of this table.
    private static readonly Dictionary<string, (BudgetFacts Facts, decimal? Price, BudgetVerdict Expected)> Table = new[]
    {
        ("the usage is read before the first request", (Facts(baseline: null), (decimal?)null, BudgetVerdict.Read)),
        ("without a budget only the baseline is needed", (Facts(budget: null, unread: 7), (decimal?)null, BudgetVerdict.Start)),
        ("nothing spent, unknown price", (Facts(), (decimal?)null, BudgetVerdict.Start)),
        ("nothing spent, a price that fits exactly", (Facts(), (decimal?)1m, BudgetVerdict.Start)),
        ("a price that would pass it alone", (Facts(), (decimal?)1.01m, BudgetVerdict.WouldPass)),
        ("the usage counts the budget spent", (Facts(latest: 11m), (decimal?)null, BudgetVerdict.Reached)),
        ("past the budget, whatever the price", (Facts(latest: 11.5m), (decimal?)0m, BudgetVerdict.Reached)),
        ("a cent below it, unknown price: may start", (Facts(latest: 10.99m), (decimal?)null, BudgetVerdict.Start)),
        ("a cent below it, a known price passes", (Facts(latest: 10.99m), (decimal?)0.02m, BudgetVerdict.WouldPass)),
        ("in flight at known prices counts against a known price", (Facts(latest: 10.5m, inFlightKnown: 0.4m), (decimal?)0.2m, BudgetVerdict.WouldPass)),
        ("in flight at known prices filling it stops an unknown price", (Facts(latest: 10.5m, inFlightKnown: 0.5m), (decimal?)null, BudgetVerdict.WouldPass)),
        ("late usage: answers at known prices not in it count", (Facts(latest: 10m, answeredKnown: 1m), (decimal?)null, BudgetVerdict.Reached)),
        ("late usage: they leave room for a price that fits", (Facts(latest: 10m, answeredKnown: 0.8m), (decimal?)0.2m, BudgetVerdict.Start)),
        ("late usage: and none for one that does not", (Facts(latest: 10m, answeredKnown: 0.8m), (decimal?)0.25m, BudgetVerdict.WouldPass)),
        ("the usage, when it says more, wins over known prices", (Facts(latest: 10.9m, answeredKnown: 0.3m), (decimal?)0.2m, BudgetVerdict.WouldPass)),
        ("an unread answer of unknown cost must be read", (Facts(latest: 10.2m, unread: 1), (decimal?)null, BudgetVerdict.Read)),
        ("unread answers far from the budget need no reading", (Facts(latest: 10.2m, unread: 3, dearest: 0.1m), (decimal?)null, BudgetVerdict.Start)),
        ("unread answers that could reach it are read", (Facts(latest: 10.2m, unread: 8, dearest: 0.1m), (decimal?)null, BudgetVerdict.Read)),
        ("a projection exactly at the budget is read", (Facts(latest: 10.5m, unread: 5, dearest: 0.1m), (decimal?)null, BudgetVerdict.Read)),
        ("a projection that leaves no room for the known price is read", (Facts(latest: 10.5m, unread: 4, dearest: 0.1m), (decimal?)0.15m, BudgetVerdict.Read)),
        ("a projection that leaves room for it is not", (Facts(latest: 10.5m, unread: 4, dearest: 0.1m), (decimal?)0.1m, BudgetVerdict.Start)),
        ("an answer read already: the reading decides", (Facts(latest: 10.95m, dearest: 0.5m), (decimal?)null, BudgetVerdict.Start)),
    }.ToDictionary(row => row.Item1, row => row.Item2);

    public static TheoryData<string> Situations => new(Table.Keys);

    [Theory]
    [MemberData(nameof(Situations))]
    public void Decides(string situation)
    {
        var (facts, price, expected) = Table[situation];

        Assert.Equal(expected, BudgetDecision.Decide(facts, price));
    }

    [Fact]
    public void Spent_is_what_the_usage_counts_or_the_answers_at_known_prices_when_the_usage_is_late()
    {
        Assert.Equal(0.3m, Facts(latest: 10.3m).SpentUsd);
        Assert.Equal(0m, Facts(latest: 10.3m).NotYetCountedUsd);
        Assert.Equal(0.5m, Facts(latest: 10.3m, answeredKnown: 0.5m).SpentUsd);
        Assert.Equal(0.2m, Facts(latest: 10.3m, answeredKnown: 0.5m).NotYetCountedUsd);
        Assert.Equal(0m, Facts(baseline: null).CountedUsd);
    }
}
