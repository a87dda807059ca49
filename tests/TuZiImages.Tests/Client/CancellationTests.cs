using System.Diagnostics;
using System.Threading.Tasks;
using System.Threading;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Requests;
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
            h.Client().GenerateAsync(new GenerationRequest { Prompt = "slow", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere(), cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
        Assert.Empty(h.Folder.FileNames());
    }

    [Fact]
    public async Task Cancelling_during_a_retry_wait_stops_too()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Status = 503, RetryAfter = "30", Times = 0 });
        using var cancel = new CancellationTokenSource();
        // Cancel when the client says it is waiting to retry, not on a timer that a busy machine can outrun.
        var log = new CancelOnLog(cancel, "retrying in", afterMilliseconds: 200);
        var clock = new Stopwatch();
        log.Cancelled += clock.Start;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            new TuZiImagesClient(h.Options(o => o.MaxRetryAfter = TimeSpan.FromSeconds(30)), log).GenerateAsync(new GenerationRequest { Prompt = "x" }, h.SaveHere(), cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"took {clock.Elapsed} after the cancel");
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task Cancelling_while_a_large_answer_streams_in_removes_the_partial_file()
    {
        await using var h = await ClientHarness.StartAsync();
        // Many large images: the answer takes long enough to write that cancellation lands in the middle of it.
        h.Server.EnqueueFault(new FaultSpec { PayloadBytes = 4 * 1024 * 1024 });
        using var cancel = new CancellationTokenSource();
        var save = h.SaveHere();
        var log = new CancelOnLog(cancel, "reading the images", afterMilliseconds: 20);

        var run = new TuZiImagesClient(h.Options(), log).GenerateAsync(new GenerationRequest { Prompt = "big", Count = 10, [BodyFields.ResponseFormat] = "b64_json" }, save, cancel.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        Assert.Empty(h.Folder.FileNames());
    }

    /// <summary>Cancels shortly after the client logs a given step, so the cancel lands inside that step.</summary>
    private sealed class CancelOnLog : IClientLog
    {
        private readonly CancellationTokenSource _cancel;
        private readonly string _step;
        private readonly int _afterMilliseconds;

        public CancelOnLog(CancellationTokenSource cancel, string step, int afterMilliseconds)
        {
            _cancel = cancel;
            _step = step;
            _afterMilliseconds = afterMilliseconds;
        }

        public event Action? Cancelled;

        public void Verbose(string message)
        {
            if (message.Contains(_step))
            {
                _cancel.Token.Register(() => Cancelled?.Invoke());
                _cancel.CancelAfter(_afterMilliseconds);
            }
        }
    }
}
