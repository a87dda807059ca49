using System;
using TuZiImages.Core.Retry;

namespace TuZiImages.Tests.Core;

/// <summary>The step after each attempt, a pure function of its outcome: no HTTP, no waiting.</summary>
public class RetryDecisionTests
{
    private static readonly RetryRules TwoRetries = new(MaxRetries: 2, BaseDelay: TimeSpan.FromSeconds(2), MaxDelay: TimeSpan.FromSeconds(30), RetryTimeoutAfterSend: false);

    private static AttemptDecision Decide(AttemptOutcome outcome, int paid = 0, int rateLimited = 0, RetryRules? rules = null) =>
        (rules ?? TwoRetries).Decide(outcome, new AttemptCounts(paid, rateLimited), jitter: 1);

    [Fact]
    public void A_success_returns_and_counts_as_a_paid_attempt()
    {
        var decision = Decide(new AttemptOutcome(AttemptEnd.Success), paid: 1, rateLimited: 3);

        Assert.Equal(NextStep.Return, decision.Step);
        Assert.Equal(new AttemptCounts(2, 3), decision.Counts);
        Assert.Equal(5, decision.Counts.Sent);
    }

    [Fact]
    public void A_rate_limit_requeues_without_spending_the_budget_however_often()
    {
        var decision = Decide(new AttemptOutcome(AttemptEnd.RateLimited, serverDelay: TimeSpan.FromSeconds(9)), paid: 3, rateLimited: 40);

        Assert.Equal(NextStep.Requeue, decision.Step);
        Assert.Equal(new AttemptCounts(3, 41), decision.Counts);
        Assert.Equal(TimeSpan.Zero, decision.Delay); // the gate waits, for every request to the address
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(2, false)] // the third paid attempt was the last of 1 + 2 retries
    public void A_retryable_failure_is_retried_while_the_budget_lasts(int paidBefore, bool retried)
    {
        var decision = Decide(new AttemptOutcome(AttemptEnd.Failed, retryable: true), paid: paidBefore);

        Assert.Equal(retried ? NextStep.Retry : NextStep.Fail, decision.Step);
        Assert.Equal(paidBefore + 1, decision.Counts.Paid);
    }

    [Fact]
    public void The_backoff_doubles_from_the_base_and_stops_at_the_cap_and_a_named_wait_wins()
    {
        var rules = new RetryRules(10, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), false);
        var failed = new AttemptOutcome(AttemptEnd.Failed, retryable: true);

        Assert.Equal(TimeSpan.FromSeconds(2), Decide(failed, paid: 0, rules: rules).Delay);
        Assert.Equal(TimeSpan.FromSeconds(4), Decide(failed, paid: 1, rules: rules).Delay);
        Assert.Equal(TimeSpan.FromSeconds(30), Decide(failed, paid: 6, rules: rules).Delay);
        Assert.Equal(TimeSpan.FromSeconds(1), rules.Decide(failed, default, jitter: 0).Delay); // jitter takes off up to half
        Assert.Equal(TimeSpan.FromSeconds(7), Decide(new AttemptOutcome(AttemptEnd.Failed, retryable: true, serverDelay: TimeSpan.FromSeconds(7)), rules: rules).Delay);
    }

    [Fact]
    public void A_failure_that_says_never_fails_at_once()
    {
        var decision = Decide(new AttemptOutcome(AttemptEnd.Failed, retryable: false));

        Assert.Equal(NextStep.Fail, decision.Step);
        Assert.Equal(1, decision.Counts.Paid);
    }

    [Fact]
    public void A_timeout_after_the_request_was_sent_whole_is_not_retried_since_it_may_have_been_billed()
    {
        Assert.Equal(NextStep.Fail, Decide(new AttemptOutcome(AttemptEnd.TimedOut, mayHaveBeenBilled: true)).Step);
        Assert.Equal(NextStep.Retry, Decide(new AttemptOutcome(AttemptEnd.TimedOut, mayHaveBeenBilled: false)).Step);
        Assert.Equal(NextStep.Retry, Decide(new AttemptOutcome(AttemptEnd.TimedOut, mayHaveBeenBilled: true), rules: TwoRetries with { RetryTimeoutAfterSend = true }).Step);
    }

    [Fact]
    public void A_connection_failure_is_retried_and_spent_patience_fails_without_counting_an_attempt()
    {
        Assert.Equal(NextStep.Retry, Decide(new AttemptOutcome(AttemptEnd.Unreachable)).Step);

        var gaveUp = Decide(new AttemptOutcome(AttemptEnd.PatienceSpent), paid: 0, rateLimited: 7);

        Assert.Equal(NextStep.Fail, gaveUp.Step);
        Assert.Equal(new AttemptCounts(0, 7), gaveUp.Counts);
    }
}
