using System.Linq;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using System.Threading;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Invocation;
using TuZiImages.Core.Requests;
using TuZiImages.Core;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Client;

/// <summary>
/// The service's limits, learned rather than guessed: a shared pause per address, a concurrency that drops on 429
/// and grows back, retries that keep their place and cost no retry budget, and a bound on waiting.
/// Every test has its own server, so its own address and its own gate.
/// </summary>
public class RateLimitTests
{
    private static readonly Regex Change = new(@"concurrency (\d+) -> (\d+)", RegexOptions.CultureInvariant);

    [Fact]
    public async Task A_batch_wider_than_the_service_loses_nothing_and_lowers_its_concurrency()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            RateLimit = new RateLimitMode { AdmitAtOnce = 2, RetryAfterMs = 100 },
        });
        // The two admitted are held until a request past the limit was refused: how many more of the first round start
        // before that refusal comes back is the scheduler's timing, so none is counted on.
        h.Server.EnqueueFault(new FaultSpec { Hold = "admitted", Times = 2 });

        var batch = h.StartBatch(throttle: 8, prompts: 16);
        HangGuard.WaitUntil(() => h.Server.RateLimitedRequests >= 1, "a request past the limit to be refused");
        h.Server.Holds.Release("admitted");
        var host = await batch.Within("the batch");

        Assert.Empty(host.Failures);
        Assert.Equal(16, host.Results.Count);
        Assert.Equal(16, host.Results.Select(r => r.FullName).Distinct().Count());
        Assert.True(h.Server.MaxAdmittedRequests <= 2);
        // Every prompt was admitted exactly once: what was refused was sent again, nothing twice.
        Assert.Equal(16 + h.Server.RateLimitedRequests, h.Server.Requests.Count);
        Assert.Contains(host.Verbose, v => v.Contains("limiting requests (HTTP 429) at 8 at once: concurrency 8 -> 4"));
        Assert.Equal(0, host.CallsOffThePipelineThread);
    }

    [Fact]
    public async Task Concurrency_halves_at_the_first_429_and_every_change_stays_within_the_throttle_limit()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            RateLimit = new RateLimitMode { AdmitAtOnce = 3, RetryAfterMs = 50 },
        });
        // A refusal comes back while the three admitted are held: nothing has succeeded yet.
        h.Server.EnqueueFault(new FaultSpec { Hold = "admitted", Times = 3 });

        var batch = h.StartBatch(throttle: 8, prompts: 30);
        HangGuard.WaitUntil(() => h.Server.RateLimitedRequests >= 1, "a request past the limit to be refused");
        h.Server.Holds.Release("admitted");
        var host = await batch.Within("the batch");

        Assert.Equal(30, host.Results.Count);
        var changes = host.Verbose.Select(v => Change.Match(v)).Where(m => m.Success)
            .Select(m => (From: int.Parse(m.Groups[1].Value), To: int.Parse(m.Groups[2].Value))).ToList();
        Assert.Equal((8, 4), changes[0]); // halved at the first 429: nothing was known yet
        Assert.All(changes, c => Assert.InRange(c.To, 1, 8));
        Assert.Contains(host.Verbose, v => v.Contains("limiting requests (HTTP 429) at 8 at once: concurrency 8 -> 4"));
        // How it settles and grows back afterwards depends on when answers come: RateLimitEstimatorTests, on virtual time.
    }

    [Fact]
    public async Task A_later_batch_that_asks_for_more_at_once_gets_it_while_nothing_was_refused()
    {
        await using var h = await ClientHarness.StartAsync();
        await h.StartBatch(throttle: 2, prompts: 2).Within("the first batch");
        h.Server.Reset();
        // Three of the later batch are held: they can only all reach the hold if more than two run at once.
        h.Server.EnqueueFault(new FaultSpec { Hold = "wide", Times = 3 });

        var batch = h.StartBatch(throttle: 6, prompts: 6);
        await h.Server.Holds.WhenReachedAsync("wide", 3).Within("three requests at once, past the earlier batch's ThrottleLimit");
        h.Server.Holds.Release("wide");
        var host = await batch.Within("the later batch");

        Assert.Equal(6, host.Results.Count);
        Assert.True(h.Server.MaxConcurrentRequests >= 3, $"{h.Server.MaxConcurrentRequests} at once");
        Assert.DoesNotContain(host.Verbose, v => v.StartsWith("Concurrency:"));
    }

    [Fact]
    public async Task A_rate_limit_pauses_new_starts_for_every_request_to_the_address()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Match = "first", Status = 429, RetryAfter = "1" });
        var first = h.Client();
        var firstRun = first.GenerateAsync(new GenerationRequest { Prompt = "first", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere());
        HangGuard.WaitUntil(() => h.Log.Any(l => l.Contains("HTTP 429; retrying")), "the first request to be refused");

        // Another client (another invocation) of the same address and key: it must wait out the same pause.
        var second = await h.Client().GenerateAsync(new GenerationRequest { Prompt = "second", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere()).Within("the second request");
        await firstRun.Within("the first request");

        var requests = h.Server.Requests;
        var refused = requests.Single(r => r.Outcome == "429");
        var secondSent = requests.Single(r => r.Field("prompt") == "second");
        // A lower bound only: the pause is a second from the refusal, however slow the machine is after it.
        Assert.True(secondSent.ReceivedAt - refused.ReceivedAt >= TimeSpan.FromMilliseconds(900),
            $"the second request went out {(secondSent.ReceivedAt - refused.ReceivedAt).TotalMilliseconds} ms after the 429");
        Assert.Equal(1, second.Attempts);
    }

    [Fact]
    public async Task A_rate_limited_request_goes_before_requests_that_came_after_it()
    {
        await using var h = await ClientHarness.StartAsync();
        // The refusal is held until the later request is queued behind the first.
        h.Server.EnqueueFault(new FaultSpec { Match = "first", Status = 429, RetryAfter = "1", Hold = "refusal" });
        var client = h.Client(o => o.MaxConcurrency = 1);
        var first = client.GenerateAsync(new GenerationRequest { Prompt = "first", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere());
        await h.Server.Holds.WhenReachedAsync("refusal").Within("the first request to reach the server");

        var later = client.GenerateAsync(new GenerationRequest { Prompt = "later", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere());
        HangGuard.WaitUntil(() => client.RateStatus.Waiting >= 1, "the later request to wait for the place");
        h.Server.Holds.Release("refusal");
        await Task.WhenAll(first, later).Within("both requests");

        Assert.Equal(new[] { "first", "first", "later" }, h.Server.Requests.Select(r => r.Field("prompt")).ToArray());
        Assert.Equal(new[] { "429", "200", "200" }, h.Server.Requests.Select(r => r.Outcome).ToArray());
    }

    [Fact]
    public async Task A_rate_limited_request_keeps_its_place_and_spends_no_retry()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Status = 429, Times = 3 });

        var response = await h.Client(o => o.MaxRetries = 0).GenerateAsync(new GenerationRequest { Prompt = "fox", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere());

        Assert.Single(response.Images);
        Assert.Equal(4, response.Attempts);
        Assert.Equal(4, h.Server.Requests.Count);
        Assert.Contains(h.Log, l => l.Contains("attempt 1 of 1 (after 3 rate-limited attempt(s), which do not count)"));
    }

    [Fact]
    public async Task A_service_that_admits_nothing_ends_every_request_as_a_rate_limit_error_within_the_patience()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            RateLimit = new RateLimitMode { AdmitAtOnce = 0, RetryAfter = null, RetryAfterMs = 100 },
        });
        var host = await h.StartBatch(throttle: 3, prompts: 6, o => { o.RateLimitPatience = TimeSpan.FromSeconds(1); o.MaxRetries = 0; })
            .Within("the batch to give up");

        Assert.Empty(host.Results);
        Assert.Equal(6, host.Failures.Count);
        Assert.All(host.Failures, f =>
        {
            Assert.Equal(TuZiErrorKind.RateLimit, f.Kind);
            Assert.Contains("admitted none for 1.0 s", f.Message);
            Assert.False(f.MayHaveBeenBilled);
            Assert.Contains("-RateLimitPatienceSec", f.RecommendedAction);
        });
        // That a rate-limited attempt spends no retry is A_rate_limited_request_keeps_its_place_and_spends_no_retry:
        // how many fit in the one-second patience here depends on the machine.
        Assert.All(h.Server.Requests, r => Assert.True(r.RateLimited));
    }

    [Fact]
    public async Task Patience_counts_from_the_invocations_first_request_so_later_ones_end_unsent_once_it_is_spent()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            RateLimit = new RateLimitMode { AdmitAtOnce = 0, RetryAfter = null, RetryAfterMs = 100 },
        });
        // One at a time: the second request reaches the gate only after the first has spent the patience. Counted from
        // each request's own arrival, it would be sent and wait a second of its own, and so would the third.
        var host = await h.StartBatch(throttle: 1, prompts: 3, o => { o.RateLimitPatience = TimeSpan.FromSeconds(1); o.MaxRetries = 0; })
            .Within("the batch to give up");

        Assert.Equal(3, host.Failures.Count);
        Assert.All(host.Failures, f => Assert.Equal(TuZiErrorKind.RateLimit, f.Kind));
        Assert.NotEmpty(h.Server.Requests);
        Assert.All(h.Server.Requests, r => Assert.Equal("prompt 0", r.Field("prompt")));
    }

    [Fact]
    public async Task A_spent_quota_is_not_a_rate_limit_it_neither_retries_nor_pauses()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec
        {
            Status = 429, Match = "broke", RetryAfter = "3600", Times = 0, ContentType = "application/json",
            Body = "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\"}}",
        });
        // Were the hour asked for taken as a pause, the next request would wait it out: only the hang bound would end it.
        var client = h.Client(o => o.MaxRetryAfter = TimeSpan.FromHours(1));

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => client.GenerateAsync(new GenerationRequest { Prompt = "broke" }, h.SaveHere()).Within("the refused request"));
        await client.GenerateAsync(new GenerationRequest { Prompt = "fine", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere()).Within("the next request, which a pause would hold");

        Assert.Equal(TuZiErrorKind.PermissionOrQuota, e.Kind);
        Assert.Equal(2, h.Server.Requests.Count);
        Assert.Null(client.RateStatus.ResumesIn);
    }

    [Fact]
    public async Task Cancelling_while_waiting_on_a_rate_limit_pause_ends_both_calls()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            RateLimit = new RateLimitMode { AdmitAtOnce = 0, RetryAfter = "3600" },
        });
        using var cancel = new CancellationTokenSource();
        // An hour's pause: only the cancel can end these calls within the hang bound.
        var client = h.Client(o => { o.MaxRetryAfter = TimeSpan.FromHours(1); o.RateLimitPatience = TimeSpan.FromHours(2); });
        var waiting = client.GenerateAsync(new GenerationRequest { Prompt = "paused" }, h.SaveHere(), cancel.Token);
        // A second request to the same address waits on the pause without having been sent.
        var queued = client.GenerateAsync(new GenerationRequest { Prompt = "queued" }, h.SaveHere(), cancel.Token);
        HangGuard.WaitUntil(() => h.Log.Any(l => l.Contains("HTTP 429; retrying in 3600.0 s")) && client.RateStatus.Waiting == 2, "both to wait on the pause");

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.Within("the paused request"));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued.Within("the queued request"));
        Assert.Equal(0, client.RateStatus.Waiting);
        Assert.Empty(h.Folder.FileNames());
    }

    [Fact]
    public async Task Progress_and_verbose_say_when_the_batch_waits_on_the_service()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            RateLimit = new RateLimitMode { AdmitAtOnce = 0, RetryAfter = "3600" },
        });
        // Paused for an hour: the batch reports progress while it waits, and the test stops it once it has.
        var saidWaiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var batch = h.StartBatch(throttle: 2, prompts: 2, o => { o.MaxRetryAfter = TimeSpan.FromHours(1); o.RateLimitPatience = TimeSpan.FromHours(2); }, (host, command) =>
            host.ProgressWritten += p =>
            {
                if (p.Service?.ResumesIn is not null && p.Status.Contains("waiting on the service's rate limit for"))
                {
                    saidWaiting.TrySetResult();
                    command.Stop();
                }
            });

        var host = await batch.Within("the batch, stopped once its progress said it waits");

        Assert.True(saidWaiting.Task.IsCompleted);
        Assert.Contains(host.Verbose, v => v.StartsWith("Concurrency: the service is limiting requests (HTTP 429) at 2 at once: concurrency 2 -> 1"));
        Assert.Empty(host.Results);
        Assert.Equal(0, host.CallsOffThePipelineThread);
    }
}
