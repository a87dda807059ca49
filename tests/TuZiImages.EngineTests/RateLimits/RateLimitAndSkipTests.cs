using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;
using TuZiImages.Tests.Support;
using TuZiImages.TestServer;

namespace TuZiImages.EngineTests.RateLimits;

/// <summary>
/// What a user sees of the service's limits and of -SkipExisting in the real engine: verbose lines when
/// concurrency changes, RateLimited errors when the service admits nothing, and skipped files in the pipeline as
/// if they had just been made. (What the progress bar says of a pause is the core's: RateLimitTests.)
/// </summary>
[Trait("Category", "Engine")]
public sealed class RateLimitAndSkipTests
{
    [Fact]
    public async Task A_batch_wider_than_the_service_loses_nothing_and_says_why_it_runs_fewer()
    {
        await using var engine = await EngineSession.StartAsync(new FakeServerOptions
        {
            RateLimit = new RateLimitMode { AdmitAtOnce = 1, RetryAfter = "1" },
        });
        // The admitted request is held until another has been refused: that one surely met the limit. Whether the
        // third starts before that refusal comes back is the pipeline's timing, so neither outcome is assumed.
        engine.Server.EnqueueFault(new FaultSpec { Hold = "admitted" });
        using var shell = engine.Create("'one', 'two', 'three' | New-TuZiImage -ThrottleLimit 3 -ResponseFormat b64_json -MaxRetryCount 0 -Verbose");

        var running = shell.BeginInvoke();
        HangGuard.WaitUntil(() => engine.Server.RateLimitedRequests >= 1, "a second request to be refused");
        engine.Server.Holds.Release("admitted");
        var run = await engine.EndAsync(shell, running);

        run.ThrowIfFailed();
        Assert.Equal(3, run.Results.Length);
        Assert.True(engine.Server.MaxAdmittedRequests <= 1);
        Assert.Contains(run.Verbose, v => v.StartsWith("Concurrency: the service is limiting requests (HTTP 429) at 3 at once: concurrency 3 -> "));
        Assert.Contains(run.Verbose, v => v.Contains("HTTP 429; retrying in 1.0 s") && v.Contains("not counted against the retries"));
        Assert.Equal(ProgressRecordType.Completed, run.Progress[^1].RecordType);
    }

    [Fact]
    public async Task A_service_that_admits_nothing_ends_each_request_as_a_RateLimited_error_after_the_patience()
    {
        await using var engine = await EngineSession.StartAsync(new FakeServerOptions
        {
            RateLimit = new RateLimitMode { AdmitAtOnce = 0, RetryAfter = null, RetryAfterMs = 200 },
        });

        var run = engine.Run("'one', 'two' | New-TuZiImage -RateLimitPatienceSec 1 -ResponseFormat b64_json");

        Assert.Null(run.Terminating);
        Assert.Empty(run.Results);
        Assert.Equal(2, run.Errors.Count);
        Assert.All(run.Errors, e =>
        {
            Assert.StartsWith("TuZiImages.RateLimited", e.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.LimitsExceeded, e.CategoryInfo.Category);
            Assert.Contains("admitted none for 1.0 s", e.Exception.Message);
        });
        Assert.Equal(new[] { "one", "two" }, run.Errors.Select(e => (string)e.TargetObject).OrderBy(t => t));
    }

    [Fact]
    public async Task Stop_while_the_batch_waits_out_a_rate_limit_pause_returns_without_waiting_it_out()
    {
        await using var engine = await EngineSession.StartAsync();
        // Both refusals are held until both requests are on the wire, so neither is paused before it is sent; then
        // the pause is two minutes, which only a Stop() can end within the hang bound.
        engine.Server.EnqueueFault(new FaultSpec { Status = 429, RetryAfter = "120", Hold = "refusals", Times = 0 });
        using var shell = engine.Create("'one', 'two', 'three' | New-TuZiImage -ThrottleLimit 2 -ResponseFormat b64_json -OutDirectory out");

        var running = shell.BeginInvoke();
        await engine.Server.Holds.WhenReachedAsync("refusals", 2).Within("both requests to reach the service");
        engine.Server.Holds.Release("refusals");
        // Two refused and paused; the third waits in the pipeline for a place.
        HangGuard.WaitUntil(() => engine.Server.Requests.Count(r => r.Outcome == "429") == 2, "both requests to be refused");
        await Task.Run(shell.Stop).Within("Stop() during the two-minute pause");

        Assert.True(running.IsCompleted);
        Assert.Equal(PSInvocationState.Stopped, shell.InvocationStateInfo.State);
        Assert.Equal(2, engine.Server.Requests.Count);
        Assert.Empty(engine.FilesOnDisk());
    }

    [Fact]
    public async Task A_rerun_with_SkipExisting_sends_only_what_is_missing_and_pipes_the_whole_set_on()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.Run("'a red fox', 'a blue whale', 'a green frog' | New-TuZiImage -OutDirectory out -ResponseFormat b64_json").ThrowIfFailed();
        var whale = Directory.GetFiles(engine.Folder.Combine("out"), "a-blue-whale-*").Single();
        File.Delete(whale);
        engine.Server.Reset();

        var run = engine.Run("""
            'a red fox', 'a blue whale', 'a green frog' | New-TuZiImage -OutDirectory out -ResponseFormat b64_json -SkipExisting -Verbose |
                Resolve-TestPipedPath
            """);

        run.ThrowIfFailed();
        var sent = Assert.Single(engine.Server.Requests);
        Assert.Equal("a blue whale", sent.Field("prompt"));
        var paths = run.Output.Select(o => (string)o.BaseObject).OrderBy(p => p).ToArray();
        Assert.Equal(3, paths.Length);
        Assert.All(paths, p => Assert.True(File.Exists(p), p));
        Assert.Contains(whale, paths);
        Assert.Equal(2, run.Verbose.Count(v => v.StartsWith("Skipped: ")));
        Assert.Contains(run.Progress, p => p.StatusDescription.Contains("2 skipped"));
    }

    [Fact]
    public async Task Skipped_results_say_so_and_Edit_finds_its_own_files_too()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("photo1.png", 1);
        engine.WritePng("photo2.png", 2);
        const string Edit = "Get-TestChildItem photo*.png | Edit-TuZiImage -Prompt 'add snow' -Separately -OutDirectory out -ResponseFormat b64_json";
        engine.Run(Edit).ThrowIfFailed();
        engine.Server.Reset();

        var run = engine.Run(Edit + " -SkipExisting");

        run.ThrowIfFailed();
        Assert.Empty(engine.Server.Requests);
        Assert.Equal(2, run.Results.Length);
        Assert.All(run.Results, r =>
        {
            Assert.True(r.Prop<bool>("Skipped"));
            Assert.Equal(0, r.Prop<int>("Attempts"));
            Assert.Equal("Edit", r.Prop<string>("Operation"));
        });
    }

    [Theory]
    [InlineData("New-TuZiImage 'a red fox' -OutDirectory out -SkipExisting -Force")]
    [InlineData("Edit-TuZiImage -Prompt 'x' -Path photo.png -SkipExisting -Force")]
    public async Task SkipExisting_with_Force_is_a_terminating_error_before_anything_is_sent(string script)
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("photo.png");

        // A try block catches a terminating error and nothing after it in the block runs.
        var run = engine.Run("try { " + script + "; 'not reached' } catch { $_ }");

        Assert.Null(run.Terminating);
        var record = Assert.Single(run.Output).BaseObject as ErrorRecord;
        Assert.NotNull(record);
        Assert.StartsWith("TuZiImages.InvalidConfiguration", record!.FullyQualifiedErrorId);
        Assert.Contains("-SkipExisting", record.Exception.Message);
        Assert.Empty(engine.Server.Requests);
    }
}
