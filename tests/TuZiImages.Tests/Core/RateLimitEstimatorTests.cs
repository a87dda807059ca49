using System.Collections.Generic;
using System.Linq;
using System;
using TuZiImages.Core.RateLimits;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Core;

/// <summary>
/// The estimator driven synchronously on a virtual clock: recorded sequences of starts, admissions and 429s, and
/// batches against simulated limiters (new-api's window and in-flight limits), with no network and no waiting.
/// </summary>
public class RateLimitEstimatorTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);
    private static TimeSpan Ms(double ms) => TimeSpan.FromMilliseconds(ms);

    private static RateLimitEstimator NewEstimator(int ceiling)
    {
        var estimator = new RateLimitEstimator(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(30), jitter: () => 0.5);
        estimator.Arrive(ceiling);
        return estimator;
    }

    private sealed record BatchRun(TimeSpan Elapsed, int Refusals, List<string> Changes);

    /// <summary>
    /// <paramref name="requests"/> jobs of <paramref name="job"/> each, all waiting at once, started whenever the
    /// estimator allows; a refusal comes back after 5 ms and the request waits again in its place.
    /// </summary>
    private static BatchRun RunBatch(RateLimitEstimator estimator, SimulatedService service, int requests, int ceiling, TimeSpan job,
        Action<TimeSpan>? atEachStep = null)
    {
        var now = TimeSpan.Zero;
        int waiting = requests;
        int refusals = 0;
        var changes = new List<string>();
        var events = new List<(TimeSpan At, Attempt Attempt, bool Admitted)>();
        while (true)
        {
            atEachStep?.Invoke(now);
            StartVerdict verdict = default;
            estimator.Advance(now);
            while (waiting > 0 && (verdict = estimator.Check(now)).Go)
            {
                var attempt = estimator.Start(now, ceiling, waiting - 1, verdict.AsProbe);
                waiting--;
                bool admitted = service.TryAdmit(now);
                events.Add((now + (admitted ? job : Ms(5)), attempt, admitted));
            }
            if (waiting == 0 && events.Count == 0)
            {
                return new BatchRun(now, refusals, changes);
            }
            var next = events.Count > 0 ? events.Min(e => e.At) : TimeSpan.MaxValue;
            if (waiting > 0 && verdict.WakeAt is { } wake && wake < next)
            {
                next = wake;
            }
            Assert.True(next != TimeSpan.MaxValue, $"stuck at {now} with {waiting} waiting and nothing in flight");
            Assert.True(next < TimeSpan.FromHours(1), "the batch never ended");
            now = next > now ? next : now + TimeSpan.FromTicks(1);
            foreach (var due in events.Where(e => e.At <= now).OrderBy(e => e.At).ToList())
            {
                events.Remove(due);
                LimitChange? change;
                if (due.Admitted)
                {
                    service.End();
                    change = estimator.Admitted(due.Attempt, due.At, success: true);
                }
                else
                {
                    refusals++;
                    waiting++;
                    change = estimator.RateLimited(due.Attempt, due.At, service.RetryAfter, service.Message).Change;
                }
                if (change is not null)
                {
                    changes.Add(change.ToString());
                }
            }
        }
    }

    [Fact]
    public void A_window_of_12_per_5_s_without_retry_after_is_learned_and_filled_but_not_overrun()
    {
        var estimator = NewEstimator(16);
        var service = new SimulatedService { PerWindow = 12, Window = TimeSpan.FromSeconds(5) };

        var run = RunBatch(estimator, service, 48, 16, Second);

        // Ideal: (ceil(48 / 12) - 1) x 5 s + 1 s = 16 s; the issue allows 1.15 x that and one 429 per two images.
        Assert.InRange(run.Elapsed.TotalSeconds, 16, 16 * 1.15);
        Assert.InRange(run.Refusals, 1, 24);
        var window = Assert.IsType<WindowLimit>(estimator.Window);
        Assert.Equal(12, window.Requests);
        Assert.True(window.Longer < TimeSpan.FromSeconds(5) && window.AtMost >= TimeSpan.FromSeconds(5), window.ToString());
        Assert.Contains(run.Changes, c => c.StartsWith("Window: the service admits 12 per window of more than"));
        // The in-flight limit was not mistaken for it: the service ran 12 at once, and was let to.
        Assert.True(estimator.Concurrency >= 12, $"concurrency {estimator.Concurrency}");
    }

    [Fact]
    public void Four_in_flight_without_retry_after_waits_for_a_request_to_end_not_for_a_guess()
    {
        var estimator = NewEstimator(16);
        var service = new SimulatedService { InFlight = 4 };

        var run = RunBatch(estimator, service, 48, 16, Second);

        Assert.InRange(run.Elapsed.TotalSeconds, 12, 12 * 1.15);
        Assert.InRange(run.Refusals, 12, 24); // the first round of 16 meets 12 refusals, then few
        Assert.InRange(estimator.Concurrency, 4, 5);
        Assert.Equal(4, service.Peak);
        Assert.Null(estimator.Window);
    }

    [Fact]
    public void A_retry_after_wins_over_what_was_learned()
    {
        var estimator = NewEstimator(4);
        var first = estimator.Start(TimeSpan.Zero, 4, 3, asProbe: false);
        var second = estimator.Start(TimeSpan.Zero, 4, 2, asProbe: false);

        var wait = estimator.RateLimited(second, Ms(10), TimeSpan.FromSeconds(3), null).Wait;

        Assert.Equal(WaitOn.NamedWait, wait.On);
        Assert.Equal(TimeSpan.FromSeconds(3), wait.Delay);
        var verdict = estimator.Check(Ms(20));
        Assert.False(verdict.Go);
        Assert.Equal(Ms(10) + TimeSpan.FromSeconds(3), verdict.WakeAt);
        // A request ending frees its place, but the service's named wait still holds.
        estimator.Admitted(first, Ms(500), success: true);
        Assert.False(estimator.Check(Ms(600)).Go);
        var after = estimator.Check(Ms(3011));
        Assert.True(after.Go);
        Assert.False(after.AsProbe); // the service said when: no need to test the water with one request
    }

    [Fact]
    public void A_message_that_names_the_window_is_taken_as_it_stands()
    {
        var estimator = NewEstimator(16);
        var attempts = Enumerable.Range(0, 13).Select(i => estimator.Start(Ms(i), 16, 12 - i, asProbe: false)).ToList();

        var change = estimator.RateLimited(attempts[12], Ms(20), null,
            "您已达到总请求数限制：1分钟内最多请求12次，包括失败次数，请检查您的请求是否正确 (request id: 2026120604)").Change;

        Assert.Equal("Window: the service admits 12 per 60.0 s (its message says so).", change?.ToString());
        Assert.Equal(new WindowLimit(12, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), Named: true), estimator.Window);
        foreach (var admitted in attempts.Take(12))
        {
            estimator.Admitted(admitted, Second, success: true);
        }
        // Paced to the named window: nothing until the first of the twelve is a minute old, then at once.
        var verdict = estimator.Check(TimeSpan.FromSeconds(2));
        Assert.False(verdict.Go);
        Assert.Equal(TimeSpan.FromMinutes(1), verdict.WakeAt);
        Assert.True(estimator.Check(TimeSpan.FromMinutes(1)).Go);
    }

    [Fact]
    public void A_service_with_both_limits_is_never_run_past_either()
    {
        var estimator = NewEstimator(16);
        var service = new SimulatedService { InFlight = 3, PerWindow = 8, Window = TimeSpan.FromSeconds(4) };

        var run = RunBatch(estimator, service, 32, 16, Second);

        // Eight per 4 s, three at a time: the window binds (ideal (ceil(32 / 8) - 1) x 4 s + 3 s = 15 s).
        Assert.InRange(run.Elapsed.TotalSeconds, 15, 15 * 1.3);
        Assert.InRange(run.Refusals, 1, 24);
        Assert.Equal(3, service.Peak);
    }

    [Fact]
    public void A_window_that_narrows_mid_batch_is_learned_again()
    {
        var estimator = NewEstimator(16);
        var service = new SimulatedService { PerWindow = 12, Window = TimeSpan.FromSeconds(5) };
        bool narrowed = false;

        var run = RunBatch(estimator, service, 72, 16, Second, now =>
        {
            if (!narrowed && now >= TimeSpan.FromSeconds(12))
            {
                narrowed = true;
                service.PerWindow = 6; // the gateway's operator tightened the limit
            }
        });

        Assert.True(narrowed);
        // Refusals where the learned window had room make the old estimate unfit; the fit that explains both
        // limits' answers may count over a longer window, but its rate is the new one's (6 per 5 s), not the old.
        var window = Assert.IsType<WindowLimit>(estimator.Window);
        double rate = window.Requests / (window.AtMost ?? window.Longer).TotalSeconds;
        Assert.True(rate >= 1.2 * 0.8 && rate <= 1.2 * 1.5, $"{window}; {run.Elapsed}; {run.Refusals} refusals:\n" + string.Join("\n", run.Changes));
        // 24 in the first 12 s or so, then 48 at 6 per 5 s: about 12 + 40 s; within 1.3 x, at most one 429 per image.
        Assert.InRange(run.Elapsed.TotalSeconds, 45, 52 * 1.3);
        Assert.InRange(run.Refusals, 1, 72);
    }

    [Fact]
    public void Against_a_service_that_admits_three_it_settles_at_three_and_probes_ever_less_often()
    {
        var estimator = NewEstimator(16);
        var service = new SimulatedService { InFlight = 3 };
        var widths = new List<int>();

        var run = RunBatch(estimator, service, 240, 16, Second, now => widths.Add(estimator.Concurrency));

        Assert.Equal(3, service.Peak);
        Assert.InRange(run.Elapsed.TotalSeconds, 80, 80 * 1.1);
        // The first round's 13 refusals, then one probe of 4 at a time, less and less often: every 3, 6, 12, then 24 successes.
        Assert.InRange(run.Refusals, 13, 13 + 12);
        Assert.All(widths.SkipWhile(w => w > 4).Skip(1), w => Assert.InRange(w, 3, 4));
        // Halved at the first 429, never below what the service ran, and grown back one at a time by successes.
        Assert.StartsWith("Concurrency: the service is limiting requests (HTTP 429) at 16 at once: concurrency 16 -> 8", run.Changes[0]);
        Assert.Contains(run.Changes, c => c.Contains(" -> 3 (it was running 3 at once)"));
        Assert.Contains(run.Changes, c => c.Contains("in a row at 3 at once: concurrency 3 -> 4"));
    }

    [Fact]
    public void The_limit_never_drops_below_one_nor_grows_above_the_ceiling()
    {
        var estimator = NewEstimator(8);
        var now = TimeSpan.Zero;
        for (int i = 0; i < 12; i++)
        {
            // A round refused whole, named waits of zero: nothing the service admits.
            var round = Enumerable.Range(0, estimator.Concurrency).Select(_ => estimator.Start(now, 8, 0, asProbe: false)).ToList();
            now += Ms(10);
            round.ForEach(a => estimator.RateLimited(a, now, TimeSpan.Zero, null));
        }
        Assert.Equal(1, estimator.Concurrency);

        for (int i = 0; i < 200; i++)
        {
            var round = Enumerable.Range(0, estimator.Concurrency).Select(_ => estimator.Start(now, 8, 8, asProbe: false)).ToList();
            now += Second;
            round.ForEach(a => estimator.Admitted(a, now, success: true));
        }
        Assert.Equal(8, estimator.Concurrency);
    }

    [Fact]
    public void A_refusal_with_nothing_in_flight_backs_off_and_then_sends_one_probe_not_the_queue()
    {
        var estimator = NewEstimator(4);
        var lone = estimator.Start(TimeSpan.Zero, 4, 3, asProbe: false);
        var wait = estimator.RateLimited(lone, Ms(5), null, null).Wait;

        // The backoff: 2 s jittered down by up to half, here by a quarter.
        Assert.Equal(new RateLimitWait(WaitOn.Backoff, TimeSpan.FromSeconds(1.5)), wait);
        var paused = estimator.Check(Ms(10));
        Assert.False(paused.Go);
        Assert.Equal(Ms(5) + TimeSpan.FromSeconds(1.5), paused.WakeAt);
        var resumed = estimator.Check(paused.WakeAt!.Value);
        Assert.True(resumed.Go && resumed.AsProbe);
        var probe = estimator.Start(paused.WakeAt.Value, 4, 3, asProbe: true);
        // The rest wait until the probe has gone unrefused for three times as long as a refusal took (at least 50 ms).
        Assert.False(estimator.Check(paused.WakeAt.Value + Ms(10)).Go);
        Assert.Equal(probe.StartedAt + Ms(50), estimator.Check(paused.WakeAt.Value + Ms(10)).WakeAt);
        estimator.Advance(paused.WakeAt.Value + Ms(50));
        Assert.True(estimator.Check(paused.WakeAt.Value + Ms(50)).Go);
    }

    /// <summary>
    /// A 429 that does not say which limit it is (no new-api message) is no evidence that others take the rest: the
    /// timing this process learned from it may be its own mistake (one request refused every time while the others
    /// pass, as the test server's [fault:429] does). So patience runs from the first refusal, and a request refused
    /// for as long ends, instead of waiting for ever on others that are not there.
    /// </summary>
    [Fact]
    public void A_429_that_names_no_limit_starts_the_patience_clock_even_below_the_learned_limit()
    {
        var estimator = NewEstimator(16);
        var first = Enumerable.Range(0, 3).Select(_ => estimator.Start(TimeSpan.Zero, 16, 0, asProbe: false)).ToList();
        estimator.RateLimited(first[1], Ms(5), Second, null);
        estimator.Admitted(first[0], Second, success: true);
        estimator.Admitted(first[2], Second, success: true);

        var now = 2 * Second;
        var refusedAt = new List<TimeSpan>();
        for (int i = 0; i < 5; i++, now += Second)
        {
            estimator.Advance(now);
            var again = estimator.Start(now, 16, 0, asProbe: estimator.Check(now).AsProbe);
            estimator.RateLimited(again, now + Ms(5), Second, null);
            refusedAt.Add(now + Ms(5));
        }

        Assert.Equal(refusedAt[0], estimator.RefusingSince);
        Assert.Equal(Second, estimator.LastAdmittedAt);
    }
}
