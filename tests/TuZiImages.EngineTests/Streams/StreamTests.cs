using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;
using TuZiImages.Tests.Support;
using TuZiImages.TestServer;

namespace TuZiImages.EngineTests.Streams;

/// <summary>Progress, verbose and output as the engine carries them while a batch runs.</summary>
[Trait("Category", "Engine")]
public sealed class StreamTests
{
    [Fact]
    public async Task Progress_says_done_of_total_and_is_completed_at_the_end()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("'one', 'two', 'three' | New-TuZiImage -ResponseFormat b64_json");

        run.ThrowIfFailed();
        Assert.Equal(3, run.Results.Length);
        Assert.NotEmpty(run.Progress);
        Assert.All(run.Progress, p => Assert.Equal("New-TuZiImage", p.Activity));
        Assert.Single(run.Progress.Select(p => p.ActivityId).Distinct());
        Assert.All(run.Progress, p => Assert.Matches(@"^\d+ of \d+ done", p.StatusDescription));
        var last = run.Progress[^1];
        Assert.Equal(ProgressRecordType.Completed, last.RecordType);
        Assert.StartsWith("3 of 3 done", last.StatusDescription);
        Assert.Equal(100, last.PercentComplete);
        Assert.All(run.Progress.Take(run.Progress.Count - 1), p => Assert.Equal(ProgressRecordType.Processing, p.RecordType));
        // The engine hands progress to the host too: that is what draws the bar.
        Assert.Contains(engine.HostUI.Progress, p => p.RecordType == ProgressRecordType.Completed);
    }

    [Fact]
    public async Task Verbose_says_what_is_sent_and_received_only_when_asked()
    {
        await using var engine = await EngineSession.StartAsync();

        var quiet = engine.Run("New-TuZiImage 'a red fox' -ResponseFormat b64_json");
        var verbose = engine.Run("New-TuZiImage 'a blue whale' -ResponseFormat b64_json -Verbose");

        quiet.ThrowIfFailed();
        verbose.ThrowIfFailed();
        Assert.Empty(quiet.Verbose);
        Assert.NotEmpty(verbose.Verbose);
        string said = string.Join("\n", verbose.Verbose);
        Assert.Contains("/v1/images/generations", said);
        Assert.Contains("200", said);
    }

    [Fact]
    public async Task Results_stream_out_while_later_requests_are_still_running()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.Server.EnqueueFault(new FaultSpec { Match = "slow", Hold = "slow", Times = 0 });
        using var shell = engine.Create("'fast one', 'slow two' | New-TuZiImage -ResponseFormat b64_json");
        var output = new PSDataCollection<PSObject>();
        using var firstResult = new ManualResetEventSlim();
        output.DataAdded += (_, _) => firstResult.Set();

        var running = shell.BeginInvoke<PSObject, PSObject>(null, output);
        try
        {
            WaitHandle.WaitAny(new[] { firstResult.WaitHandle, running.AsyncWaitHandle }, HangGuard.Bound);
            Assert.True(firstResult.IsSet, "no result came out while the slow request ran: " + EngineSession.SoFar(shell.Streams.Error));

            Assert.Equal("fast one", output[0].Prop<string>("Prompt"));
            // The slow request may not even have reached the service yet; held, it is surely unanswered.
            Assert.All(engine.Server.Requests.Where(r => r.Field("prompt") == "slow two"), r => Assert.Equal("pending", r.Outcome));
            Assert.Equal(PSInvocationState.Running, shell.InvocationStateInfo.State);
        }
        finally
        {
            shell.Stop();
        }
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        Assert.Single(output);
    }
}
