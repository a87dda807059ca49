using System;
using System.Text;
using TuZiImages.Core.Retry;
using TuZiImages.Core.Transport;

namespace TuZiImages.Tests.Core;

/// <summary>The step after each attempt, a pure function of its outcome: no HTTP, no waiting.</summary>
public class RetryDecisionTests
{
    private static readonly RetryRules TwoRetries = new(MaxRetries: 2, BaseDelay: TimeSpan.FromSeconds(2), MaxDelay: TimeSpan.FromSeconds(30));

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
        var rules = new RetryRules(10, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30));
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

    private const string Whole = "whole"; // a POST that bills, its body sent whole
    private const string Partly = "partly"; // a POST that bills, failed while its body was still going out
    private const string Get = "get"; // the model list, a task poll: nothing is made, nothing billed

    private const string TimeoutPage =
        "<html><head><title>504 Gateway Time-out</title></head><body><center><h1>504 Gateway Time-out</h1></center><hr><center>nginx</center></body></html>";
    private const string CloudflareTimeout =
        "<!DOCTYPE html><html><head><title>api.tu-zi.com | 524: A timeout occurred</title></head><body><h1>A timeout occurred</h1></body></html>";

    /// <summary>
    /// The one rule of billing, per ending, before and after the body was whole: what went out whole to an endpoint
    /// that bills and got no complete answer is never sent again; what failed before that, or makes nothing, is.
    /// </summary>
    [Theory]
    [InlineData("timeout", Whole, "fail")]
    [InlineData("timeout", Partly, "retry")]
    [InlineData("timeout", Get, "retry")]
    [InlineData("reset", Whole, "fail")]
    [InlineData("reset", Partly, "retry")]
    [InlineData("reset", Get, "retry")]
    [InlineData("cut answer", Whole, "fail")]
    [InlineData("cut answer", Get, "retry")]
    [InlineData("unreadable answer", Whole, "fail")]
    [InlineData("unreadable answer", Get, "fail")] // a list that is not a list will not be one next time
    [InlineData("504 timeout page", Whole, "fail")]
    [InlineData("504 timeout page", Partly, "retry")]
    [InlineData("504 timeout page", Get, "retry")]
    [InlineData("524 page", Whole, "fail")]
    [InlineData("524 page", Partly, "fail")] // a CDN answers 524 only once the origin had the request
    [InlineData("504", Whole, "fail")]
    [InlineData("504", Partly, "retry")]
    [InlineData("504", Get, "retry")]
    [InlineData("502 page", Whole, "retry")] // the gateway failed; the service did not take the request
    [InlineData("500", Whole, "retry")]
    public void What_may_have_been_billed_is_never_sent_again_whatever_ended_it(string ending, string call, string expected)
    {
        var step = expected == "fail" ? NextStep.Fail : NextStep.Retry;
        bool billable = call != Get, whole = call == Whole;
        var outcome = ending switch
        {
            "timeout" => ResponseClassifier.NoCompleteAnswer(AttemptEnd.TimedOut, billable, whole),
            "reset" => ResponseClassifier.NoCompleteAnswer(AttemptEnd.Unreachable, billable, whole),
            // A 2xx came back: the service had the whole request.
            "cut answer" => ResponseClassifier.NoCompleteAnswer(AttemptEnd.AnswerBroken, billable, bodySentWhole: true),
            "unreadable answer" => ResponseClassifier.NoCompleteAnswer(AttemptEnd.Failed, billable, bodySentWhole: true),
            "504 timeout page" => Answer(504, TimeoutPage, "text/html", billable, whole),
            "524 page" => Answer(524, CloudflareTimeout, "text/html", billable, whole),
            "504" => Answer(504, "{\"error\":{\"message\":\"upstream error\"}}", "application/json", billable, whole),
            "502 page" => Answer(502, "<html><head><title>502 Bad Gateway</title></head></html>", "text/html", billable, whole),
            "500" => Answer(500, "{\"error\":{\"message\":\"internal error\"}}", "application/json", billable, whole),
            _ => throw new ArgumentOutOfRangeException(nameof(ending), ending, null),
        };

        var decision = Decide(outcome);

        Assert.Equal(step, decision.Step);
        Assert.Equal(step == NextStep.Fail && call != Get && ending is not ("502 page" or "500"), outcome.MayHaveBeenBilled);
    }

    [Fact]
    public void The_mark_decides_not_the_ending_even_for_one_that_says_not_now()
    {
        Assert.Equal(NextStep.Fail, Decide(new AttemptOutcome(AttemptEnd.Failed, retryable: true, mayHaveBeenBilled: true)).Step);
        Assert.Equal(NextStep.Fail, Decide(new AttemptOutcome(AttemptEnd.Unreachable, mayHaveBeenBilled: true)).Step);
        Assert.Equal(NextStep.Retry, Decide(new AttemptOutcome(AttemptEnd.Unreachable, mayHaveBeenBilled: false)).Step);
    }

    private static AttemptOutcome Answer(int status, string body, string contentType, bool billable, bool whole) =>
        ResponseClassifier.Classify(new ResponseFacts
        {
            Status = status, Body = ErrorBody.Parse(Encoding.UTF8.GetBytes(body)), ContentType = contentType, Billable = billable, BodySentWhole = whole,
        }).ForAttempt(behindGate: true);

    [Fact]
    public void A_connection_failure_is_retried_and_spent_patience_fails_without_counting_an_attempt()
    {
        Assert.Equal(NextStep.Retry, Decide(new AttemptOutcome(AttemptEnd.Unreachable)).Step);

        var gaveUp = Decide(new AttemptOutcome(AttemptEnd.PatienceSpent), paid: 0, rateLimited: 7);

        Assert.Equal(NextStep.Fail, gaveUp.Step);
        Assert.Equal(new AttemptCounts(0, 7), gaveUp.Counts);
    }
}
