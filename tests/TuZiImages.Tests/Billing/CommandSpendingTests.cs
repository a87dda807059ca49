using System.Threading.Tasks;
using TuZiImages.Core;
using TuZiImages.Core.Billing;

namespace TuZiImages.Tests.Billing;

/// <summary>
/// The command's spending as the batch keeps it on the pipeline thread: readings, requests started and answered,
/// what each reading teaches of an answer's cost, and the errors and summary it writes.
/// </summary>
public class CommandSpendingTests
{
    private static CommandSpending Spending(decimal? budget = 1m) => new(budget, _ => Task.FromResult(0m));

    [Fact]
    public void Readings_teach_the_dearest_answer_and_a_late_usage_is_spread_over_the_answers_it_catches_up_with()
    {
        var spending = Spending();
        spending.Record(0, 10m);
        spending.Started(null);
        spending.Finished(null, billed: true);
        spending.Started(null);
        spending.Finished(null, billed: true);

        spending.Record(spending.Answers, 10m); // recorded late: no growth, nothing learned
        Assert.Null(spending.Facts.DearestAnswerUsd);
        Assert.Equal(0, spending.Facts.UnreadAnswers);

        spending.Started(null);
        spending.Finished(null, billed: true);
        Assert.Equal(1, spending.Facts.UnreadAnswers);
        spending.Record(spending.Answers, 10.3m); // three answers' worth arrives at once
        Assert.Equal(0.1m, spending.Facts.DearestAnswerUsd);

        spending.Started(null);
        spending.Finished(null, billed: true);
        spending.Record(spending.Answers, 10.5m); // one dearer answer
        Assert.Equal(0.2m, spending.Facts.DearestAnswerUsd);
    }

    [Fact]
    public void Known_prices_move_from_in_flight_to_answered_and_an_unbilled_failure_drops_out()
    {
        var spending = Spending();
        spending.Record(0, 10m);
        spending.Started(0.1m);
        spending.Started(0.2m);
        Assert.Equal(0.3m, spending.Facts.InFlightAtKnownPricesUsd);

        spending.Finished(0.1m, billed: true);
        spending.Finished(0.2m, billed: false);

        Assert.Equal(0m, spending.Facts.InFlightAtKnownPricesUsd);
        Assert.Equal(0.1m, spending.Facts.AnsweredAtKnownPricesUsd);
        Assert.Equal(1, spending.Answers);
    }

    [Fact]
    public void A_request_not_started_says_what_was_spent_and_how_to_go_on()
    {
        var spending = Spending(0.25m);
        spending.Record(0, 4m);
        for (int i = 0; i < 3; i++)
        {
            spending.Started(null);
            spending.Finished(null, billed: true);
        }
        spending.Record(spending.Answers, 4.3m);

        var verdict = spending.Decide(null);
        var error = spending.NotStarted(verdict, null, "a red fox");

        Assert.Equal(BudgetVerdict.Reached, verdict);
        Assert.Equal(TuZiErrorKind.BudgetReached, error.Kind);
        Assert.Equal("a red fox", error.Target);
        Assert.Equal("Not sent: the budget of $0.25 is reached: $0.30 is spent since this command began.", error.Message);
        Assert.Contains("-SkipExisting", error.RecommendedAction);
        Assert.Equal("Spent: the service's usage for this key grew by $0.30 while this command ran ($4.00 to $4.30), for 3 answered request(s). Budget: $0.25.",
            spending.Summary());
    }

    [Fact]
    public void A_known_price_that_would_pass_names_the_price_and_what_is_late()
    {
        var spending = Spending(0.25m);
        spending.Record(0, 4m);
        spending.Started(0.1m);
        spending.Finished(0.1m, billed: true);
        spending.Started(0.1m);

        var verdict = spending.Decide(0.1m);
        var error = spending.NotStarted(verdict, 0.1m, "a blue whale");

        Assert.Equal(BudgetVerdict.WouldPass, verdict);
        Assert.Equal("Not sent: at $0.10 (its published price) it would pass the budget of $0.25: $0.10 is spent since this command began "
            + "($0.10 of it answered at published prices but not yet in the service's usage), and $0.10 is in flight at published prices.", error.Message);
    }

    [Fact]
    public void A_usage_that_cannot_be_read_stops_a_budget_and_names_why_but_not_a_report()
    {
        var failure = new TuZiImagesException(TuZiErrorKind.BadRequest, "The service reports no balance or usage.") { StatusCode = 404 };
        var budget = Spending(1m);
        var report = Spending(null);
        budget.Unreadable(failure);
        report.Unreadable(failure);

        var error = budget.NotStarted(budget.Decide(null), null, "a fox");

        Assert.Equal(BudgetVerdict.Unknowable, budget.Decide(null));
        Assert.Equal(BudgetVerdict.Start, report.Decide(null));
        Assert.Equal(TuZiErrorKind.BadRequest, error.Kind);
        Assert.StartsWith("Not sent: -BudgetUsd needs the service's usage, which could not be read. The service reports no balance", error.Message);
        Assert.Equal(404, error.StatusCode);
    }
}
