using System;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;
using TuZiImages.TestServer;

namespace TuZiImages.EngineTests.Streams;

/// <summary>PowerShell.Stop() from another thread is what Ctrl+C does.</summary>
[Trait("Category", "Engine")]
public sealed class StopTests
{
    /// <summary>"Within a second" for a person; the bound is generous because CI's two cores are shared.</summary>
    private static readonly TimeSpan StopBound = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task Stop_while_requests_wait_for_the_service_returns_at_once_and_leaves_no_file()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.Server.EnqueueFault(new FaultSpec { Match = "slow", DelayMs = 60_000, Times = 0 });
        using var shell = engine.Create("'slow one', 'slow two', 'slow three' | New-TuZiImage -ResponseFormat b64_json -OutDirectory out");

        var running = shell.BeginInvoke();
        EngineSession.WaitUntil(() => engine.Server.Requests.Count == 3 || Ended(shell), "all three requests to reach the service");
        Assert.False(Ended(shell), "the pipeline ended before it was stopped: " + EngineSession.SoFar(shell.Streams.Error));
        var clock = Stopwatch.StartNew();
        shell.Stop();
        clock.Stop();

        Assert.True(clock.Elapsed < StopBound, $"Stop() took {clock.Elapsed}");
        Assert.True(running.IsCompleted);
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        Assert.Empty(engine.FilesOnDisk());
        EngineSession.WaitUntil(() => engine.Server.ActiveRequests == 0, "the service to see the requests go away");
        Assert.All(engine.Server.Requests, r => Assert.Equal("aborted", r.Outcome));
    }

    [Fact]
    public async Task Stop_while_an_answer_streams_in_returns_at_once_and_leaves_no_partial_file()
    {
        await using var engine = await EngineSession.StartAsync();
        // The service sends the start of a 1 MB image and then stalls: the client is surely mid-read.
        engine.Server.EnqueueFault(new FaultSpec { PayloadBytes = 1024 * 1024, StallMidBodyMs = 60_000 });
        using var shell = engine.Create("New-TuZiImage 'a big one' -ResponseFormat b64_json -OutDirectory out");

        var running = shell.BeginInvoke();
        EngineSession.WaitUntil(() => engine.FilesOnDisk().Any(f => f.StartsWith("out/")) || Ended(shell), "the client to start writing the image");
        Assert.False(Ended(shell), "the pipeline ended before it was stopped: " + EngineSession.SoFar(shell.Streams.Error));
        var clock = Stopwatch.StartNew();
        shell.Stop();
        clock.Stop();

        Assert.True(clock.Elapsed < StopBound, $"Stop() took {clock.Elapsed}");
        Assert.True(running.IsCompleted);
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        Assert.Empty(shell.Streams.Error);
        // Nothing under a final name, and no temporary file either: the pipeline is disposed before Stop() returns,
        // and disposing waits for the cancelled worker to remove its file, so a host that exits at once leaves none.
        Assert.Empty(engine.FilesOnDisk());
    }

    private static bool Ended(PowerShell shell) => shell.InvocationStateInfo.State is PSInvocationState.Completed or PSInvocationState.Failed;
}
