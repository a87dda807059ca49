using System.Diagnostics;
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

    private static GenerateCommand Batch(ClientHarness h, RecordingHost host, int throttle, Action<TuZiClientOptions>? change = null) =>
        new(host, h.Options(change), throttle, h.Folder.Path, promptFromCommandLine: false);

    private static void Run(GenerateCommand command, int prompts)
    {
        using (command)
        {
            for (int i = 0; i < prompts; i++)
            {
                command.Process($"prompt {i}", Array.Empty<string>(), new ImageSettings { [BodyFields.ResponseFormat] = "b64_json" });
            }
            command.End();
        }
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), "timed out waiting until " + what);
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task A_batch_wider_than_the_service_loses_nothing_and_never_overloads_it_after_learning()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            LatencyMs = 150,
            RateLimit = new RateLimitMode { AdmitAtOnce = 2, RetryAfterMs = 100 },
        });
        var host = new RecordingHost();

        Run(Batch(h, host, throttle: 8), 16);

        Assert.Empty(host.Failures);
        Assert.Equal(16, host.Results.Count);
        Assert.Equal(16, host.Results.Select(r => r.FullName).Distinct().Count());
        Assert.True(h.Server.MaxAdmittedRequests <= 2);
        Assert.InRange(h.Server.RateLimitedRequests, 1, 15); // fewer refusals than prompts: the limit was learned
        Assert.Equal(16 + h.Server.RateLimitedRequests, h.Server.Requests.Count);
        Assert.Equal(0, host.CallsOffThePipelineThread);
    }

    [Fact]
    public async Task Concurrency_drops_on_429_and_grows_back_while_answers_succeed()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            LatencyMs = 250, // the refusals of the first round come back long before any success
            RateLimit = new RateLimitMode { AdmitAtOnce = 3, RetryAfterMs = 50 },
        });
        var host = new RecordingHost();

        Run(Batch(h, host, throttle: 8), 30);

        Assert.Equal(30, host.Results.Count);
        var changes = host.Verbose.Select(v => Change.Match(v)).Where(m => m.Success)
            .Select(m => (From: int.Parse(m.Groups[1].Value), To: int.Parse(m.Groups[2].Value))).ToList();
        Assert.Equal((8, 4), changes[0]); // halved at the first 429: nothing was known yet
        Assert.Contains(changes, c => c.To < c.From && c.To == 3); // not below what the service was seen to run
        Assert.Contains(changes, c => c.To == c.From + 1); // additive increase
        Assert.All(changes, c => Assert.InRange(c.To, 1, 8));
        Assert.Contains(host.Verbose, v => v.Contains("limiting requests (HTTP 429) at 8 at once: concurrency 8 -> 4"));
    }

    [Fact]
    public async Task A_later_batch_that_asks_for_more_at_once_gets_it_while_nothing_was_refused()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions { LatencyMs = 400 });
        Run(Batch(h, new RecordingHost(), throttle: 2), 2);
        h.Server.Reset();

        var host = new RecordingHost();
        Run(Batch(h, host, throttle: 6), 6);

        Assert.Equal(6, host.Results.Count);
        Assert.True(h.Server.MaxConcurrentRequests > 2, $"{h.Server.MaxConcurrentRequests} at once: the earlier batch's ThrottleLimit held");
        Assert.DoesNotContain(host.Verbose, v => v.StartsWith("Concurrency:"));
    }

    [Fact]
    public async Task A_rate_limit_pauses_new_starts_for_every_request_to_the_address()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            RateLimit = new RateLimitMode { AdmitAtOnce = 0, RetryAfter = null, RetryAfterMs = 800 },
        });
        var first = h.Client();
        var firstRun = first.GenerateAsync(new GenerationRequest { Prompt = "first", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere());
        await WaitUntil(() => h.Log.Any(l => l.Contains("HTTP 429; retrying")), "the first request was refused");
        h.Server.RateLimit = new RateLimitMode(); // the service has room again, but it asked for 800 ms

        // Another client (another invocation) of the same address and key: it must wait out the same pause.
        var second = await h.Client().GenerateAsync(new GenerationRequest { Prompt = "second", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere());
        await firstRun;

        var requests = h.Server.Requests;
        var refused = requests.Single(r => r.RateLimited);
        var secondSent = requests.Single(r => r.Field("prompt") == "second");
        Assert.True(secondSent.ReceivedAt - refused.ReceivedAt >= TimeSpan.FromMilliseconds(700),
            $"the second request went out {(secondSent.ReceivedAt - refused.ReceivedAt).TotalMilliseconds} ms after the 429");
        Assert.Equal(1, second.Attempts);
    }

    [Fact]
    public async Task A_rate_limited_request_goes_before_requests_that_came_after_it()
    {
        await using var h = await ClientHarness.StartAsync();
        // The refusal comes late, so that the later request is already queued when the first one is refused.
        h.Server.EnqueueFault(new FaultSpec { Match = "first", Status = 429, RetryAfter = "1", DelayMs = 300 });
        var client = h.Client(o => o.MaxConcurrency = 1);
        var first = client.GenerateAsync(new GenerationRequest { Prompt = "first", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere());
        await WaitUntil(() => h.Server.Requests.Count == 1, "the first request reached the server");

        var later = client.GenerateAsync(new GenerationRequest { Prompt = "later", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere());
        await WaitUntil(() => client.RateStatus.Waiting >= 1, "the later request waits for the place");
        await Task.WhenAll(first, later);

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
        var host = new RecordingHost();
        var clock = Stopwatch.StartNew();

        Run(Batch(h, host, throttle: 3, o => { o.RateLimitPatience = TimeSpan.FromSeconds(1); o.MaxRetries = 0; }), 6);

        Assert.Empty(host.Results);
        Assert.Equal(6, host.Failures.Count);
        Assert.All(host.Failures, f =>
        {
            Assert.Equal(TuZiErrorKind.RateLimit, f.Kind);
            Assert.Contains("admitted none for 1.0 s", f.Message);
            Assert.False(f.MayHaveBeenBilled);
            Assert.Contains("-RateLimitPatienceSec", f.RecommendedAction);
        });
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(0.8), $"gave up after {clock.Elapsed}");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(6), $"took {clock.Elapsed}");
        // Rate-limited attempts do not spend -MaxRetryCount (0 here): the first requests were tried several times.
        Assert.True(h.Server.Requests.Count > 3, $"{h.Server.Requests.Count} requests");
        Assert.All(h.Server.Requests, r => Assert.True(r.RateLimited));
    }

    [Fact]
    public async Task A_spent_quota_is_not_a_rate_limit_it_neither_retries_nor_pauses()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec
        {
            Status = 429, Match = "broke", RetryAfter = "2", Times = 0, ContentType = "application/json",
            Body = "{\"error\":{\"message\":\"You exceeded your current quota\",\"type\":\"insufficient_quota\"}}",
        });
        var client = h.Client();

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => client.GenerateAsync(new GenerationRequest { Prompt = "broke" }, h.SaveHere()));
        var clock = Stopwatch.StartNew();
        await client.GenerateAsync(new GenerationRequest { Prompt = "fine", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere());

        Assert.Equal(TuZiErrorKind.PermissionOrQuota, e.Kind);
        Assert.Equal(2, h.Server.Requests.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.5), $"the next request waited {clock.Elapsed}: a spent quota paused the address");
    }

    [Fact]
    public async Task Cancelling_while_waiting_on_a_rate_limit_pause_stops_at_once()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            RateLimit = new RateLimitMode { AdmitAtOnce = 0, RetryAfter = "30" },
        });
        using var cancel = new CancellationTokenSource();
        var client = h.Client(o => o.MaxRetryAfter = TimeSpan.FromSeconds(30));
        var waiting = client.GenerateAsync(new GenerationRequest { Prompt = "paused" }, h.SaveHere(), cancel.Token);
        // A second request to the same address waits on the pause without having been sent.
        var queued = client.GenerateAsync(new GenerationRequest { Prompt = "queued" }, h.SaveHere(), cancel.Token);
        await WaitUntil(() => h.Log.Count(l => l.Contains("HTTP 429; retrying in 30.0 s")) >= 1 && client.RateStatus.Waiting == 2, "both wait on the pause");
        var clock = Stopwatch.StartNew();

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed} after the cancel");
        Assert.Equal(0, client.RateStatus.Waiting);
        Assert.Empty(h.Folder.FileNames());
    }

    [Fact]
    public async Task Progress_and_verbose_say_when_the_batch_waits_on_the_service()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            RateLimit = new RateLimitMode { AdmitAtOnce = 0, RetryAfter = "1" },
        });
        var host = new RecordingHost();

        Run(Batch(h, host, throttle: 2, o => o.RateLimitPatience = TimeSpan.FromSeconds(2.5)), 2);

        Assert.Equal(2, host.Failures.Count);
        Assert.Contains(host.Progress, p => p.Service?.ResumesIn is not null && p.Status.Contains("waiting on the service's rate limit for"));
        Assert.Contains(host.Verbose, v => v.StartsWith("Concurrency: the service is limiting requests (HTTP 429) at 2 at once: concurrency 2 -> 1"));
        Assert.True(host.Progress.Last().IsFinished);
        Assert.Equal(0, host.CallsOffThePipelineThread);
    }
}
