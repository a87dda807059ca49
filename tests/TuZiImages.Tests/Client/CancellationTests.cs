using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.Core;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Client;

public class CancellationTests
{
    [Fact]
    public async Task Cancelling_while_waiting_for_the_service_stops_at_once_and_leaves_no_file()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { DelayMs = 10_000 });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            h.Client().GenerateAsync(new GenerationRequest { Prompt = "slow", ResponseFormat = "b64_json" }, h.SaveHere(), cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.Empty(h.Folder.FileNames());
    }

    [Fact]
    public async Task Cancelling_during_a_retry_wait_stops_too()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Status = 503, RetryAfter = "30", Times = 0 });
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            h.Client(o => o.MaxRetryAfter = TimeSpan.FromSeconds(30)).GenerateAsync(new GenerationRequest { Prompt = "x" }, h.SaveHere(), cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed}");
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task Cancelling_while_a_large_answer_streams_in_removes_the_partial_file()
    {
        await using var h = await ClientHarness.StartAsync();
        // Many large images: the answer takes long enough to write that cancellation lands in the middle of it.
        h.Server.EnqueueFault(new FaultSpec { PayloadBytes = 4 * 1024 * 1024 });
        using var cancel = new CancellationTokenSource();
        var client = h.Client();
        var save = h.SaveHere();
        var log = new FirstByteLog(cancel);

        var run = new TuZiImagesClient(h.Options(), log).GenerateAsync(new GenerationRequest { Prompt = "big", Count = 10, ResponseFormat = "b64_json" }, save, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(h.Folder.FileNames());
    }

    /// <summary>Cancels as soon as the client says it is reading the images.</summary>
    private sealed class FirstByteLog : IClientLog
    {
        private readonly CancellationTokenSource _cancel;

        public FirstByteLog(CancellationTokenSource cancel) => _cancel = cancel;

        public void Verbose(string message)
        {
            if (message.Contains("reading the images"))
            {
                _cancel.CancelAfter(20);
            }
        }
    }
}
