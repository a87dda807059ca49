using System;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;
using TuZiImages.Tests.Support;
using TuZiImages.TestServer;

namespace TuZiImages.EngineTests.Streams;

/// <summary>
/// PowerShell.Stop() from another thread is what Ctrl+C does. The service holds its answers until the test ends,
/// so a Stop() that returns at all did not wait for the service: no clock decides it.
/// </summary>
[Trait("Category", "Engine")]
public sealed class StopTests
{
    [Fact]
    public async Task Stop_while_requests_wait_for_the_service_returns_without_their_answers_and_leaves_no_file()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.Server.EnqueueFault(new FaultSpec { Match = "slow", Hold = "answers", Times = 0 });
        using var shell = engine.Create("'slow one', 'slow two', 'slow three' | New-TuZiImage -ResponseFormat b64_json -OutDirectory out");

        var running = shell.BeginInvoke();
        await engine.Server.Holds.WhenReachedAsync("answers", 3).Within("all three requests to reach the service");
        await Task.Run(shell.Stop).Within("Stop() while the service holds every answer");

        Assert.True(running.IsCompleted);
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        Assert.Empty(engine.FilesOnDisk());
        HangGuard.WaitUntil(() => engine.Server.ActiveRequests == 0, "the service to see the requests go away");
        Assert.All(engine.Server.Requests, r => Assert.Equal("aborted", r.Outcome));
    }

    [Fact]
    public async Task Stop_while_an_answer_streams_in_returns_without_the_rest_and_leaves_no_partial_file()
    {
        await using var engine = await EngineSession.StartAsync();
        // The service sends the start of a 1 MB image and holds the rest: the client is surely mid-read.
        engine.Server.EnqueueFault(new FaultSpec { PayloadBytes = 1024 * 1024, HoldMidBody = "rest" });
        using var shell = engine.Create("New-TuZiImage 'a big one' -ResponseFormat b64_json -OutDirectory out");

        var running = shell.BeginInvoke();
        HangGuard.WaitUntil(() => engine.FilesOnDisk().Any(f => f.StartsWith("out/")) || Ended(shell), "the client to start writing the image");
        Assert.False(Ended(shell), "the pipeline ended before it was stopped: " + EngineSession.SoFar(shell.Streams.Error));
        await Task.Run(shell.Stop).Within("Stop() while the service holds the rest of the answer");

        Assert.True(running.IsCompleted);
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        Assert.Empty(shell.Streams.Error);
        // Nothing under a final name, and no temporary file either: the pipeline is disposed before Stop() returns,
        // and disposing waits for the cancelled worker to remove its file, so a host that exits at once leaves none.
        Assert.Empty(engine.FilesOnDisk());
    }

    private static bool Ended(PowerShell shell) => shell.InvocationStateInfo.State is PSInvocationState.Completed or PSInvocationState.Failed;
}
