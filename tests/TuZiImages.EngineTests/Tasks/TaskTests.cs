using System;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;
using TuZiImages.Tests.Support;
using TuZiImages.TestServer;
using TuZiImages.TestServer.Endpoints;

namespace TuZiImages.EngineTests.Tasks;

/// <summary>The async models through the cmdlets: the task API, its progress, its journal, and Receive-TuZiImage.</summary>
[Trait("Category", "Engine")]
public sealed class TaskTests
{
    /// <param name="hold">Tasks work until the test releases this hold, however long they take.</param>
    private static async Task<EngineSession> StartAsync(int taskMs = 100, string? hold = null)
    {
        var engine = await EngineSession.StartAsync(new FakeServerOptions { TaskDurationMs = taskMs });
        engine.Server.TaskMode = new TaskMode { DurationMs = taskMs, Hold = hold };
        EngineSession.UseTaskPollInterval(TimeSpan.FromMilliseconds(50));
        return engine;
    }

    private static string[] Journal(EngineSession engine, string folder = "out") =>
        engine.FilesOnDisk().Where(f => f.StartsWith(folder + "/.tuzi-task-", StringComparison.Ordinal)).ToArray();

    [Fact]
    public async Task An_async_4K_generation_shows_a_bar_per_task_with_its_status_and_saves_the_image_with_its_task_id()
    {
        await using var engine = await StartAsync(hold: "working");
        using var shell = engine.Create("New-TuZiImage 'a fox in the snow' -Model gemini-3-pro-image-preview-4k-async -AspectRatio 16:9 -OutDirectory out -Verbose");

        var running = shell.BeginInvoke();
        // A poll finds the task working before the test lets it end: its bar shows the status and a percentage.
        await engine.Server.Holds.WhenReachedAsync("working").Within("a poll of the working task");
        engine.Server.Holds.Release("working");
        var run = (await engine.EndAsync(shell, running)).ThrowIfFailed();

        var result = Assert.Single(run.Results);
        var task = Assert.Single(engine.Server.Tasks.Snapshot());
        Assert.Equal(task.Id, result.Prop<string>("TaskId"));
        Assert.Equal("16:9", task.Size);
        Assert.Equal(4096, result.Prop<int>("Width"));
        Assert.Equal(2304, result.Prop<int>("Height"));
        Assert.StartsWith(engine.Folder.Combine("out", "a-fox-in-the-snow-"), result.Prop<string>("FullName"));
        var bars = run.Progress.Where(p => p.ParentActivityId != -1).ToList();
        Assert.Contains(bars, p => p.StatusDescription.StartsWith("in_progress", StringComparison.Ordinal) && p.PercentComplete is > 0 and < 100);
        Assert.All(bars, p => Assert.Contains(task.Id, p.Activity));
        Assert.Equal(ProgressRecordType.Completed, bars.Last().RecordType);
        Assert.Contains(bars, p => p.ParentActivityId == run.Progress.First(b => b.ParentActivityId == -1).ActivityId);
        Assert.Contains(run.Verbose, v => v.Contains("in_progress") && v.Contains(task.Id));
        Assert.Contains(run.Verbose, v => v.Contains("POST /v1/videos"));
        Assert.Empty(Journal(engine));
        Assert.DoesNotContain(engine.ApiKey, run.AllText());
    }

    [Fact]
    public async Task Piped_reference_files_and_the_images_of_an_edit_go_as_input_reference_parts()
    {
        await using var engine = await StartAsync();
        engine.WritePng("a.png", 0x10);
        engine.WritePng("b.png", 0x20);

        engine.Run("Get-TestChildItem *.png | New-TuZiImage -Prompt 'merge them' -Model mj-imagine -OutDirectory out").ThrowIfFailed();
        engine.Run("Get-TestChildItem *.png | Edit-TuZiImage 'make it night' -Model gemini-3-pro-image-preview-async -OutDirectory out").ThrowIfFailed();

        var submits = engine.Server.Requests.Where(r => r.Path == "/v1/videos").ToList();
        Assert.Equal(2, submits.Count);
        Assert.All(submits, s =>
        {
            Assert.Equal(new[] { "input_reference", "input_reference" }, s.Files.Select(f => f.FieldName));
            Assert.Equal("1:1", s.Field("size"));
        });
        Assert.Equal(new[] { "mj-imagine", "gemini-3-pro-image-preview-async" }, submits.Select(s => s.Field("model")));
        Assert.DoesNotContain(engine.Server.Requests, r => r.Path.StartsWith("/v1/images", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_task_is_a_non_terminating_error_with_the_services_reason_and_the_others_go_on()
    {
        await using var engine = await StartAsync();

        var run = engine.Run("'a fox', 'a banned fox [task:failed]', 'an owl' | New-TuZiImage -Model mj-imagine -OutDirectory out");

        Assert.Equal(2, run.Results.Length);
        var error = Assert.Single(run.Errors);
        Assert.Equal("TuZiImages.ContentRefused,TuZiImages.Commands.NewTuZiImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("PROHIBITED_CONTENT", error.ToString());
        Assert.Equal("a banned fox [task:failed]", error.TargetObject);
        Assert.Null(engine.Run("param($e) $e.TaskId", ("e", error)).Output.FirstOrDefault());
        Assert.Empty(Journal(engine));
    }

    [Fact]
    public async Task Stopped_mid_poll_a_rerun_with_SkipExisting_polls_the_same_task_and_submits_nothing()
    {
        await using var engine = await StartAsync(hold: "slow");
        const string command = "New-TuZiImage 'a slow fox' -Model gemini-3-pro-image-preview-async -AspectRatio 3:2 -OutDirectory out";
        using (var shell = engine.Create(command))
        {
            var running = shell.BeginInvoke();
            await engine.Server.Holds.WhenReachedAsync("slow", 2).Within("the task to be polled twice");
            Assert.False(running.IsCompleted, "the command ended before it was stopped: " + EngineSession.SoFar(shell.Streams.Error));
            await Task.Run(shell.Stop).Within("Stop() mid-poll");
        }
        Assert.Single(Journal(engine));
        engine.Server.Holds.Release("slow");
        Assert.DoesNotContain(engine.FilesOnDisk(), f => f.EndsWith(".png", StringComparison.Ordinal));

        var run = engine.Run(command + " -SkipExisting -Verbose").ThrowIfFailed();

        Assert.Equal(1, engine.Server.Tasks.Submissions);
        Assert.Equal(engine.Server.Tasks.Snapshot().Single().Id, Assert.Single(run.Results).Prop<string>("TaskId"));
        Assert.Contains(run.Verbose, v => v.Contains("instead of submitting"));
        Assert.Empty(Journal(engine));

        // Once saved, -SkipExisting finds the file: nothing is sent at all, not even a poll.
        int polls = engine.Server.Tasks.Polls;
        var again = engine.Run(command + " -SkipExisting").ThrowIfFailed();
        Assert.True(Assert.Single(again.Results).Prop<bool>("Skipped"));
        Assert.Equal(polls, engine.Server.Tasks.Polls);
    }

    [Fact]
    public async Task A_runspace_thrown_away_mid_poll_leaves_the_task_in_the_journal_for_a_new_one_to_pick_up()
    {
        await using var engine = await StartAsync(hold: "abandoned");
        const string command = "New-TuZiImage 'an abandoned fox' -Model mj-imagine -OutDirectory out";
        var shell = engine.Create(command);
        var running = shell.BeginInvoke();
        await engine.Server.Holds.WhenReachedAsync("abandoned").Within("the task to be polled");
        Assert.False(running.IsCompleted);

        engine.RestartRunspace();
        Assert.Single(Journal(engine));
        engine.Server.Holds.Release("abandoned");
        var run = engine.Run(command + " -SkipExisting").ThrowIfFailed();

        Assert.Single(run.Results);
        Assert.Equal(1, engine.Server.Tasks.Submissions);
        Assert.Empty(Journal(engine));
    }

    [Fact]
    public async Task Past_the_total_wait_the_error_says_how_to_resume_and_Receive_takes_the_piped_error_or_the_id()
    {
        await using var engine = await StartAsync(hold: "pending");

        var first = engine.Run("'an owl', 'a heron' | New-TuZiImage -Model mj-imagine -OutDirectory out -TaskTimeoutSec 1 -ErrorVariable +pending; $global:pending = $pending");

        Assert.Empty(first.Results);
        Assert.Equal(2, first.Errors.Count);
        var ids = engine.Server.Tasks.Snapshot().ToDictionary(t => t.Prompt, t => t.Id);
        Assert.All(first.Errors, e =>
        {
            Assert.Equal("TuZiImages.Timeout,TuZiImages.Commands.NewTuZiImageCommand", e.FullyQualifiedErrorId);
            string id = ids[(string)e.TargetObject];
            Assert.Contains($"still", e.ToString());
            Assert.Contains($"Receive-TuZiImage -TaskId {id}", e.ToString());
            Assert.Contains("-SkipExisting", e.ToString());
            // The module's type data gives the record the property that Receive-TuZiImage binds by name.
            Assert.Equal(id, engine.Run("param($e) $e.TaskId", ("e", e)).Output.Single().BaseObject);
        });
        Assert.Equal(2, Journal(engine).Length);
        engine.Server.Holds.Release("pending");

        var piped = engine.Run("$global:pending | Where-Object TargetObject -eq 'an owl' | Receive-TuZiImage -OutDirectory out").ThrowIfFailed();
        var byId = engine.Run("param($Id) Receive-TuZiImage -TaskId $Id -OutDirectory elsewhere", ("Id", ids["a heron"])).ThrowIfFailed();

        var owl = Assert.Single(piped.Results);
        Assert.Equal(ids["an owl"], owl.Prop<string>("TaskId"));
        Assert.Equal("an owl", owl.Prop<string>("Prompt"));
        Assert.Equal(2, engine.Server.Tasks.Submissions);
        // The name the command would have given it: a re-run with -SkipExisting finds it and sends nothing.
        var rerun = engine.Run("New-TuZiImage 'an owl' -Model mj-imagine -OutDirectory out -SkipExisting").ThrowIfFailed();
        Assert.Equal(owl.Prop<string>("FullName"), Assert.Single(rerun.Results).Prop<string>("FullName"));
        Assert.Equal(2, engine.Server.Tasks.Submissions);
        var heron = Assert.Single(byId.Results);
        Assert.Equal(engine.Folder.Combine("elsewhere", "task-" + ids["a heron"] + ".png"), heron.Prop<string>("FullName"));
        // The heron's entry stays in out/, where its command would look for it.
        Assert.Single(Journal(engine));
    }

    [Fact]
    public async Task An_error_record_without_a_task_is_refused_by_Receive_and_the_pipeline_goes_on()
    {
        await using var engine = await StartAsync();
        engine.Run("New-TuZiImage 'x [task:failed]' -Model mj-imagine -OutDirectory out -ErrorVariable global:failed -ErrorAction SilentlyContinue");
        int polls = engine.Server.Tasks.Polls;

        var run = engine.Run("$global:failed | Receive-TuZiImage -OutDirectory out; 'done'");

        Assert.Contains(run.Output, o => o.BaseObject as string == "done");
        Assert.Empty(run.Results);
        Assert.Contains(run.Errors, e => e.FullyQualifiedErrorId.Contains("Receive-TuZiImage") || e.FullyQualifiedErrorId.Contains("ReceiveTuZiImage"));
        Assert.Equal(polls, engine.Server.Tasks.Polls);
    }

    [Fact]
    public async Task A_cdn_timeout_page_is_sent_once_and_the_error_names_the_async_variant()
    {
        await using var engine = await StartAsync();
        engine.Server.EnqueueFault(new FaultSpec
        {
            Status = 524, Times = 0, ContentType = "text/html",
            Body = "<!DOCTYPE html><html><head><title>api.example.com | 524: A timeout occurred</title></head><body>The origin web server timed out.</body></html>",
        });

        var run = engine.Run("New-TuZiImage 'a fox' -Model gemini-3-pro-image-preview-4k -OutDirectory out");

        Assert.Single(engine.Server.Requests);
        var error = Assert.Single(run.Errors);
        Assert.Equal("TuZiImages.Timeout,TuZiImages.Commands.NewTuZiImageCommand", error.FullyQualifiedErrorId);
        Assert.Contains("HTTP 524", error.ToString());
        Assert.Contains("may have been made and billed", error.ToString());
        Assert.Contains("gemini-3-pro-image-preview-4k-async", error.ToString());
    }
}
