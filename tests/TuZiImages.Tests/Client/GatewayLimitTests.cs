using System.Diagnostics;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
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
/// </summary>
public class GatewayLimitTests
{
    private static void Run(ClientHarness h, RecordingHost host, int throttle, int prompts, Action<TuZiClientOptions>? change = null)
    {
        using var command = new GenerateCommand(host, h.Options(change), throttle, h.Folder.Path, promptFromCommandLine: false);
        for (int i = 0; i < prompts; i++)
        {
            command.Process($"prompt {i}", Array.Empty<string>(), new ImageSettings { [BodyFields.ResponseFormat] = "b64_json" });
        }
        command.End();
    }

    [Fact]
    public async Task A_window_without_retry_after_is_learned_from_the_answers_and_not_overrun_once_learned()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            LatencyMs = 200,
            RateLimit = new RateLimitMode { WindowLimit = 6, WindowMs = 1500, NewApi = true },
        });
        var host = new RecordingHost();
        var clock = Stopwatch.StartNew();

        Run(h, host, throttle: 8, prompts: 18);

        Assert.Empty(host.Failures);
        Assert.Equal(18, host.Results.Count);
        Assert.Equal(6, h.Server.MaxAdmittedInWindow);
        // Ideal: (ceil(18 / 6) - 1) x 1.5 s + 0.2 s = 3.2 s. Guessed backoffs of 2 s and more would take far longer.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(7), $"took {clock.Elapsed}");
        Assert.InRange(h.Server.RateLimitedRequests, 1, 18);
        // The client sees starts and refusals a little off the server's clock: on a loaded machine it may settle one
        // below the limit, which still never overruns it (asserted above), but never above.
        Assert.Contains(host.Verbose, v => System.Text.RegularExpressions.Regex.IsMatch(v, "^Window: the service admits [56] per window of more than"));
        Assert.Contains(host.Verbose, v => v.Contains("HTTP 429; retrying in") && v.Contains("when the service's window allows"));
        Assert.Equal(0, host.CallsOffThePipelineThread);
    }

    [Fact]
    public async Task An_in_flight_limit_without_retry_after_resumes_as_requests_end()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            LatencyMs = 300,
            RateLimit = new RateLimitMode { AdmitAtOnce = 2, NewApi = true },
        });
        var host = new RecordingHost();
        var clock = Stopwatch.StartNew();

        Run(h, host, throttle: 6, prompts: 12);

        Assert.Empty(host.Failures);
        Assert.Equal(12, host.Results.Count);
        Assert.True(h.Server.MaxAdmittedRequests <= 2);
        // Ideal: 12 / 2 x 0.3 s = 1.8 s; the old guessed backoff (2 s, doubling) alone took longer than that.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        Assert.Contains(host.Verbose, v => v.StartsWith("HTTP 429; retrying when one of the") && v.Contains("request(s) in flight ends"));
        Assert.Contains(host.Verbose, v => v.StartsWith("Concurrency: the service is limiting requests (HTTP 429) at 6 at once: concurrency 6 -> 3"));
    }

    [Fact]
    public async Task A_window_the_message_names_is_taken_at_its_word_and_a_wait_past_the_patience_ends_at_once()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions
        {
            RateLimit = new RateLimitMode { WindowLimit = 3, WindowMs = 60_000, NewApi = true },
        });
        var host = new RecordingHost();
        var clock = Stopwatch.StartNew();

        Run(h, host, throttle: 1, prompts: 4, o => o.RateLimitPatience = TimeSpan.FromSeconds(20));

        Assert.Equal(3, host.Results.Count);
        var failure = Assert.Single(host.Failures);
        Assert.Equal(TuZiErrorKind.RateLimit, failure.Kind);
        Assert.Contains("1分钟内最多请求3次", failure.Message);
        Assert.Contains(host.Verbose, v => v == "Window: the service admits 3 per 60.0 s (its message says so).");
        // The window reopens in a minute, past the 20 s patience: the request ends now rather than in 20 s.
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(1, h.Server.RateLimitedRequests);
    }
}
