using System.Linq;
using System.Threading.Tasks;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Invocation;
using TuZiImages.Core;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Client;

/// <summary>
/// Gateways that run new-api: their limiters answer 429 with no Retry-After, so the client learns the limit
/// from the answers' timing. Real HTTP against the test server's new-api modes; each test has its own server.
/// How fast a batch gets through such a gateway is the bench's (bench/README.md, "new-api limits"), and how the
/// window is fitted is asserted on virtual time (RateLimitEstimatorTests): these tests hold to what no machine's
/// speed can change.
/// </summary>
public class GatewayLimitTests
{
    [Fact]
    public async Task A_window_without_retry_after_is_learned_from_the_answers_and_not_overrun_once_learned()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            LatencyMs = 200,
            RateLimit = new RateLimitMode { WindowLimit = 6, WindowMs = 1500, NewApi = true },
        });
        var host = await h.StartBatch(throttle: 8, prompts: 18).Within("the batch");

        Assert.Empty(host.Failures);
        Assert.Equal(18, host.Results.Count);
        Assert.InRange(h.Server.RateLimitedRequests, 1, 18);
        // The client sees starts and refusals a little off the server's clock: on a loaded machine it may settle
        // below the limit, which never overruns it, but never above.
        Assert.Contains(host.Verbose, v => System.Text.RegularExpressions.Regex.IsMatch(v, "^Window: the service admits [1-6] per window of more than"));
        Assert.Contains(host.Verbose, v => v.Contains("HTTP 429; retrying in") && v.Contains("when the service's window allows"));
        Assert.Equal(0, host.CallsOffThePipelineThread);
    }

    [Fact]
    public async Task An_in_flight_limit_without_retry_after_resumes_as_requests_end()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            RateLimit = new RateLimitMode { AdmitAtOnce = 2, NewApi = true },
        });
        // The two admitted are held until a request past the limit was refused: how many more of the first round start
        // before that refusal comes back is the scheduler's timing, so none is counted on.
        h.Server.EnqueueFault(new FaultSpec { Hold = "admitted", Times = 2 });

        var batch = h.StartBatch(throttle: 6, prompts: 12);
        HangGuard.WaitUntil(() => h.Server.RateLimitedRequests >= 1, "a request past the limit to be refused");
        h.Server.Holds.Release("admitted");
        var host = await batch.Within("the batch");

        Assert.Empty(host.Failures);
        Assert.Equal(12, host.Results.Count);
        Assert.True(h.Server.MaxAdmittedRequests <= 2);
        Assert.Contains(host.Verbose, v => v.StartsWith("HTTP 429; retrying when one of the") && v.Contains("request(s) in flight ends"));
        Assert.Contains(host.Verbose, v => v.StartsWith("Concurrency: the service is limiting requests (HTTP 429) at 6 at once: concurrency 6 -> 3"));
    }

    [Fact]
    public async Task A_window_the_message_names_is_taken_at_its_word_and_a_wait_past_the_patience_ends_at_once()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            RateLimit = new RateLimitMode { WindowLimit = 3, WindowMs = 3_600_000, NewApi = true },
        });

        // The window reopens in an hour, past the ten minutes' patience: only ending at once gets inside the hang bound.
        var host = await h.StartBatch(throttle: 1, prompts: 4, o => o.RateLimitPatience = TimeSpan.FromMinutes(10)).Within("the batch");

        Assert.Equal(3, host.Results.Count);
        var failure = Assert.Single(host.Failures);
        Assert.Equal(TuZiErrorKind.RateLimit, failure.Kind);
        Assert.Contains("60分钟内最多请求3次", failure.Message);
        Assert.Contains(host.Verbose, v => v == "Window: the service admits 3 per 3600.0 s (its message says so).");
        Assert.Equal(1, h.Server.RateLimitedRequests);
    }
}
