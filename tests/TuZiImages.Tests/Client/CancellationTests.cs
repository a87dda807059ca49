using System.Threading.Tasks;
using System.Threading;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Requests;
using TuZiImages.Core;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Client;

/// <summary>
/// Cancelling a call at a point the test chose: the service holds its answer (or the rest of it) until the test
/// ends, or the client waits an hour to retry, so a call that ends at all was ended by the cancel.
/// </summary>
public class CancellationTests
{
    [Fact]
    public async Task Cancelling_while_waiting_for_the_service_ends_the_call_without_the_answer_and_leaves_no_file()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Hold = "answer" });
        using var cancel = new CancellationTokenSource();
        var run = h.Client().GenerateAsync(new GenerationRequest { Prompt = "slow", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere(), cancel.Token);
        await h.Server.Holds.WhenReachedAsync("answer").Within("the request to reach the service");

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.Within("the cancelled call"));
        Assert.False(h.Server.Holds.IsReleased("answer"));
        Assert.Empty(h.Folder.FileNames());
    }

    [Fact]
    public async Task Cancelling_during_a_retry_wait_stops_too()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Status = 503, RetryAfter = "3600", Times = 0 });
        using var cancel = new CancellationTokenSource();
        // Cancelled when the client says it waits to retry: an hour, which only the cancel can cut short.
        var log = new CancelOnLog(cancel, "retrying in 3600.0 s");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new TuZiImagesClient(h.Options(o => o.MaxRetryAfter = TimeSpan.FromHours(1)), log)
                .GenerateAsync(new GenerationRequest { Prompt = "x" }, h.SaveHere(), cancel.Token).Within("the cancelled retry wait"));

        Assert.True(log.Cancelled);
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task Cancelling_while_a_large_answer_streams_in_removes_the_partial_file()
    {
        await using var h = await ClientHarness.StartAsync();
        // The start of a 1 MB image comes, and the service holds the rest: the client is surely writing it.
        h.Server.EnqueueFault(new FaultSpec { PayloadBytes = 1024 * 1024, HoldMidBody = "rest" });
        using var cancel = new CancellationTokenSource();
        var run = h.Client().GenerateAsync(new GenerationRequest { Prompt = "big", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere(), cancel.Token);
        await h.Server.Holds.WhenReachedAsync("rest").Within("the answer to reach its middle");
        HangGuard.WaitUntil(() => h.Folder.FileNames().Length > 0 || run.IsCompleted, "the client to start writing the image");
        Assert.False(run.IsCompleted, "the call ended before it was cancelled");

        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.Within("the cancelled read"));
        Assert.Empty(h.Folder.FileNames());
    }

    /// <summary>Cancels the moment the client logs a given step, so the cancel lands in that step.</summary>
    private sealed class CancelOnLog(CancellationTokenSource cancel, string step) : IClientLog
    {
        public bool Cancelled { get; private set; }

        public void Verbose(string message)
        {
            if (message.Contains(step))
            {
                Cancelled = true;
                cancel.Cancel();
            }
        }
    }
}
