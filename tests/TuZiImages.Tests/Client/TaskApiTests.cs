using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Invocation;
using TuZiImages.Core.Requests;
using TuZiImages.Core.Saving;
using TuZiImages.Core;
using TuZiImages.TestServer.Endpoints;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Client;

/// <summary>The async models' task API: submit once, journal, poll through the shared rate view, save like any image.</summary>
public class TaskApiTests
{
    private const string Async4k = "gemini-3-pro-image-preview-4k-async";

    private static TuZiImagesClient Client(ClientHarness h, Action<TuZiClientOptions>? change = null) =>
        h.Client(o =>
        {
            o.TaskPollInterval = TimeSpan.FromMilliseconds(40);
            change?.Invoke(o);
        });

    private static Task<FakeTuZiServer> Start(int durationMs = 200) => FakeTuZiServer.StartAsync(new FakeServerOptions { TaskDurationMs = durationMs });

    private static GenerationRequest Request(string prompt, string model = "gemini-3-pro-image-preview-async", string? size = null) =>
        new() { Prompt = prompt, Model = model, Size = size };

    private static string[] Journal(string folder) => Directory.GetFiles(folder, ".tuzi-task-*").Select(Path.GetFileName).ToArray()!;

    [Fact]
    public async Task An_async_model_is_submitted_to_the_task_api_polled_and_saved_with_its_task_id()
    {
        await using var h = await ClientHarness.StartAsync();
        // The task works until a poll has found it working: then the test lets it end.
        h.Server.TaskMode = new TaskMode { DurationMs = 0, Hold = "working" };
        var statuses = new System.Collections.Concurrent.ConcurrentQueue<TuZiImages.Core.Tasks.ImageTaskStatus>();
        var save = h.SaveHere("fox");
        save.TaskStatusChanged = statuses.Enqueue;

        var run = Client(h).GenerateAsync(Request("a red fox", Async4k, "16:9"), save);
        await h.Server.Holds.WhenReachedAsync("working").Within("a poll of the working task");
        h.Server.Holds.Release("working");
        var image = Assert.Single((await run.Within("the task")).Images);

        var submit = Assert.Single(h.Server.Requests, r => r.Method == "POST");
        Assert.Equal("/v1/videos", submit.Path);
        Assert.Equal(Async4k, submit.Field("model"));
        Assert.Equal("16:9", submit.Field("size"));
        var task = Assert.Single(h.Server.Tasks.Snapshot());
        Assert.Equal(task.Id, image.TaskId);
        Assert.Equal((4096, 2304), (image.Width, image.Height));
        Assert.Equal("image/png", image.ContentType);
        Assert.Equal(Path.Combine(h.Folder.Path, "fox.png"), image.FullName);
        Assert.Contains(statuses, s => s.Status == "in_progress" && s.Progress is > 0 and < 100);
        Assert.True(statuses.Last().IsFinished);
        Assert.Contains(h.Log, l => l.Contains("in_progress"));
        Assert.Empty(Journal(h.Folder.Path));
        // The file host is another origin: the key never goes there.
        Assert.All(h.Server.Downloads, d => Assert.False(d.Headers.ContainsKey("Authorization")));
        Assert.NotEmpty(h.Server.Downloads);
    }

    [Fact]
    public async Task A_ratio_is_sent_as_1_1_when_none_is_given_and_reference_files_go_as_input_reference_parts()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions { TaskDurationMs = 50 });
        string a = h.Folder.Combine("a.png"), b = h.Folder.Combine("b.png");
        File.WriteAllBytes(a, TestImages.Png(4, 4, 1));
        File.WriteAllBytes(b, TestImages.Png(4, 4, 2));
        var request = Request("merge");
        request.ReferenceImages.Add(ReferenceImage.FromFile(InputImage.FromFile(a)));
        request.ReferenceImages.Add(ReferenceImage.FromFile(InputImage.FromFile(b)));

        var image = Assert.Single((await Client(h).GenerateAsync(request, h.SaveHere("merged"))).Images);

        var submit = Assert.Single(h.Server.Requests, r => r.Method == "POST");
        Assert.Equal("1:1", submit.Field("size"));
        Assert.Equal(new[] { "input_reference", "input_reference" }, submit.Files.Select(f => f.FieldName));
        Assert.Equal(new[] { ClientHarness.Sha256(a), ClientHarness.Sha256(b) }, submit.Files.Select(f => f.Sha256));
        Assert.Equal(new[] { a, b }, image.InputImages);
    }

    [Fact]
    public async Task A_failed_task_is_content_refused_with_the_services_reason_and_leaves_no_journal_entry()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions { TaskDurationMs = 100 });

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => Client(h).GenerateAsync(Request("a fox [task:failed]"), h.SaveHere("fox")));

        Assert.Equal(TuZiErrorKind.ContentRefused, e.Kind);
        Assert.Contains("PROHIBITED_CONTENT", e.Message);
        Assert.Null(e.TaskId);
        Assert.Equal("a fox [task:failed]", e.Target);
        Assert.Empty(Journal(h.Folder.Path));
        Assert.Empty(h.Folder.FileNames());
    }

    [Fact]
    public async Task A_failure_given_as_text_is_a_server_error_with_that_text()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions { TaskDurationMs = 50 });

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => Client(h).GenerateAsync(Request("a fox [task:failed-text]"), h.SaveHere("fox")));

        Assert.Equal(TuZiErrorKind.Server, e.Kind);
        Assert.Contains("upstream channel error", e.Message);
    }

    [Fact]
    public async Task Polls_answered_429_reset_or_with_an_unknown_word_are_waited_out_and_the_task_is_submitted_once()
    {
        await using var h = await ClientHarness.StartAsync();
        // The task works, under a word the client has not seen, until the client has said that word.
        h.Server.TaskMode = new TaskMode { DurationMs = 0, InProgressWord = "rendering", Hold = "rendering" };
        h.Server.EnqueuePollFault(new FaultSpec { Status = 429, RetryAfter = "0", Times = 2 });
        h.Server.EnqueuePollFault(new FaultSpec { Reset = true, Times = 1 });

        var run = Client(h, o => o.MaxRetries = 0).GenerateAsync(Request("a fox"), h.SaveHere("fox"));
        HangGuard.WaitUntil(() => h.Log.Any(l => l.Contains("rendering")), "the client to report the unknown word");
        h.Server.Holds.Release("rendering");
        var image = Assert.Single((await run.Within("the task")).Images);

        Assert.NotNull(image.FullName);
        Assert.Equal(1, h.Server.Tasks.Submissions);
        Assert.Contains(h.Server.Requests, r => r.Outcome == "429");
        Assert.Contains(h.Server.Requests, r => r.Outcome == "reset");
        Assert.Contains(h.Log, l => l.Contains("rendering"));
    }

    [Fact]
    public async Task A_404_for_the_task_is_a_clear_error_and_removes_its_journal_entry()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions { TaskDurationMs = 5000 });
        h.Server.EnqueuePollFault(new FaultSpec { Status = 404, Message = "task not found" });

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => Client(h).GenerateAsync(Request("a fox"), h.SaveHere("fox")));

        Assert.Equal(TuZiErrorKind.BadRequest, e.Kind);
        Assert.Contains("knows no task", e.Message);
        Assert.Null(e.TaskId);
        Assert.Empty(Journal(h.Folder.Path));
    }

    [Fact]
    public async Task Completed_without_a_url_keeps_the_journal_entry_and_names_the_task()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions { TaskDurationMs = 50 });

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => Client(h).GenerateAsync(Request("a fox [task:nourl]"), h.SaveHere("fox")));

        Assert.Equal(TuZiErrorKind.NoImage, e.Kind);
        Assert.Equal(h.Server.Tasks.Snapshot().Single().Id, e.TaskId);
        Assert.Single(Journal(h.Folder.Path));
    }

    [Fact]
    public async Task Past_the_total_wait_the_task_stays_pending_and_a_resumed_run_polls_it_without_submitting_again()
    {
        await using var h = await ClientHarness.StartAsync();
        // Working until released: the total wait is surely over first.
        h.Server.TaskMode = new TaskMode { DurationMs = 0, Hold = "slow" };
        string folder = h.Folder.Combine("out");
        var request = Request("a slow fox", size: "16:9");

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() =>
            Client(h, o => o.TaskTimeout = TimeSpan.FromMilliseconds(300)).GenerateAsync(request, SaveOptions.ToDirectory(folder, "slow")).Within("the first run"));

        var task = Assert.Single(h.Server.Tasks.Snapshot());
        Assert.Equal(TuZiErrorKind.Timeout, e.Kind);
        Assert.Equal(task.Id, e.TaskId);
        Assert.Contains("still", e.Message);
        Assert.Contains($"Receive-TuZiImage -TaskId {task.Id}", e.Message);
        Assert.Contains("-SkipExisting", e.Message);
        string entry = Assert.Single(Journal(folder));
        Assert.Contains(request.IdentityHash(TuZiClientOptions.DefaultModel), entry);
        Assert.Contains(task.Id, File.ReadAllText(Path.Combine(folder, entry)));
        Assert.DoesNotContain(ClientHarness.ApiKey, File.ReadAllText(Path.Combine(folder, entry)));

        h.Server.Holds.Release("slow");
        var resume = SaveOptions.ToDirectory(folder, "slow");
        resume.ResumePendingTask = true;
        var image = Assert.Single((await Client(h).GenerateAsync(Request("a slow fox", size: "16:9"), resume).Within("the resumed task")).Images);

        Assert.Equal(1, h.Server.Tasks.Submissions);
        Assert.Equal(task.Id, image.TaskId);
        Assert.Empty(Journal(folder));
        Assert.Contains(h.Log, l => l.Contains("instead of submitting"));
    }

    [Fact]
    public async Task Without_SkipExisting_a_rerun_submits_anew_and_says_so()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.TaskMode = new TaskMode { DurationMs = 0, Hold = "first" };
        await Assert.ThrowsAsync<TuZiImagesException>(() =>
            Client(h, o => o.TaskTimeout = TimeSpan.FromMilliseconds(100)).GenerateAsync(Request("a fox"), h.SaveHere("fox")).Within("the first run"));
        h.Server.Holds.Release("first");

        await Client(h).GenerateAsync(Request("a fox"), h.SaveHere("fox")).Within("the second run");

        Assert.Equal(2, h.Server.Tasks.Submissions);
        Assert.Contains(h.Log, l => l.Contains("submitting a new one"));
    }

    [Fact]
    public async Task A_task_is_received_by_id_into_the_name_its_request_would_have_had()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.TaskMode = new TaskMode { DurationMs = 0, Hold = "owl" };
        var request = Request("an owl");
        await Assert.ThrowsAsync<TuZiImagesException>(() =>
            Client(h, o => o.TaskTimeout = TimeSpan.FromMilliseconds(100)).GenerateAsync(request, h.SaveHere("owl-stem")).Within("the first run"));
        string id = h.Server.Tasks.Snapshot().Single().Id;
        h.Server.Holds.Release("owl");

        var image = Assert.Single((await Client(h).ReceiveTaskAsync(id, h.SaveHere("owl-stem")).Within("the received task")).Images);

        Assert.Equal(id, image.TaskId);
        Assert.Equal("an owl", image.Prompt);
        Assert.Equal("Generate", image.Operation);
        Assert.Equal("owl-stem.png", Path.GetFileName(image.FullName));
        Assert.Empty(Journal(h.Folder.Path));
        Assert.Equal(1, h.Server.Tasks.Submissions);
    }

    [Theory]
    [InlineData(524, false, "gemini-3-pro-image-preview-4k", "-Model gemini-3-pro-image-preview-4k-async")]
    [InlineData(504, true, "gemini-3-pro-image-preview", "-Model gemini-3-pro-image-preview-async")]
    [InlineData(524, true, "gpt-image-1", "-SkipExisting")] // the family table names no async variant for it
    public async Task A_cdn_timeout_page_is_not_retried_and_says_the_image_may_be_billed(int status, bool html, string model, string advice)
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(html
            ? new FaultSpec { Status = status, Html = true, Times = 0 }
            : new FaultSpec { Status = status, Body = "<!DOCTYPE html><html><head><title>A timeout occurred</title></head><body>Error code 524</body></html>", ContentType = "text/html", Times = 0 });

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client().GenerateAsync(new GenerationRequest { Prompt = "a fox", Model = model }, h.SaveHere("fox")));

        Assert.Single(h.Server.Requests);
        Assert.Equal(TuZiErrorKind.Timeout, e.Kind);
        Assert.True(e.MayHaveBeenBilled);
        Assert.Contains("may have been made and billed", e.Message);
        Assert.Contains(advice, e.Message);
        Assert.Contains("-SkipExisting", e.RecommendedAction);
        Assert.Equal(model.StartsWith("gemini", StringComparison.Ordinal), e.Message.Contains("async variant", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_plain_502_page_is_still_retried()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Status = 502, Html = true, Times = 1 });

        await h.Client().GenerateAsync(new GenerationRequest { Prompt = "a fox", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere("fox"));

        Assert.Equal(2, h.Server.Requests.Count);
    }

    [Fact]
    public async Task What_the_task_api_cannot_take_is_refused_before_anything_is_sent()
    {
        await using var h = await ClientHarness.StartAsync();
        var two = Request("two foxes");
        two.Count = 2;
        var withUrl = Request("a fox");
        withUrl.ReferenceImages.Add(ReferenceImage.FromUrl("https://example.com/a.png"));

        foreach (var request in new[] { two, withUrl })
        {
            var e = await Assert.ThrowsAsync<TuZiImagesException>(() => Client(h).GenerateAsync(request, h.SaveHere("x")));
            Assert.Equal(TuZiErrorKind.InvalidInput, e.Kind);
        }
        Assert.Empty(h.Server.Requests);
    }

    [Fact]
    public async Task The_command_sends_an_aspect_ratio_with_a_colon_to_async_models_only()
    {
        await using var h = await ClientHarness.StartAsync(new FakeServerOptions { TaskDurationMs = 20 });
        var host = new RecordingHost();
        using (var command = new GenerateCommand(host, h.Options(o => o.TaskPollInterval = TimeSpan.FromMilliseconds(20)), 4, h.Folder.Path, promptFromCommandLine: false))
        {
            command.Process("async fox", Array.Empty<string>(), new ImageSettings { Model = "mj-imagine", AspectRatio = "16:9", OutDirectory = h.Folder.Path });
            command.Process("sync fox", Array.Empty<string>(), new ImageSettings { AspectRatio = "16:9", OutDirectory = h.Folder.Path, [BodyFields.ResponseFormat] = "b64_json" });
            command.End();
        }

        Assert.Empty(host.Failures);
        Assert.Equal("16:9", h.Server.Requests.Single(r => r.Path == "/v1/videos").Field("size"));
        Assert.Equal("16x9", h.Server.Requests.Single(r => r.Path == "/v1/images/generations").Field("size"));
        Assert.Equal(2, host.Results.Count);
        Assert.Single(host.Results, r => r.TaskId is not null);
    }
}
