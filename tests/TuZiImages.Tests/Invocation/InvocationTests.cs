using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System.Threading;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Invocation;
using TuZiImages.Core.Results;
using TuZiImages.Core;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Invocation;

/// <summary>The cmdlets' logic, driven as the pipeline drives it: record by record, then the end.</summary>
public class InvocationTests
{
    private static EditCommand Edit(ClientHarness h, RecordingHost host, ImageSettings? settings = null, bool separately = false, string? mask = null, int throttle = 4) =>
        new(host, h.Options(), throttle, h.Folder.Path, "merge them", mask, settings ?? new ImageSettings { [BodyFields.ResponseFormat] = "b64_json" }, separately);

    private static GenerateCommand Generate(ClientHarness h, RecordingHost host, bool promptFromCommandLine, int throttle = 4) =>
        new(host, h.Options(), throttle, h.Folder.Path, promptFromCommandLine);

    /// <summary>A pipeline on a thread of its own (the host is made there), so the test can release the server's holds meanwhile.</summary>
    private static Task<RecordingHost> OnItsOwnThread(Action<RecordingHost> pipeline) =>
        Task.Factory.StartNew(() =>
        {
            var host = new RecordingHost();
            pipeline(host);
            return host;
        }, TaskCreationOptions.LongRunning);

    private static string[] Pngs(ClientHarness h, int count) =>
        Enumerable.Range(1, count).Select(i => TestImages.WritePng(h.Folder.Path, $"in{i}.png", 8 * i, 8, (byte)i)).ToArray();

    [Fact]
    public async Task Piped_images_go_into_one_edit_request_by_default()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost();
        var images = Pngs(h, 3);

        using (var command = Edit(h, host))
        {
            foreach (var image in images)
            {
                command.Process(new[] { image }); // one pipeline record each, as Get-ChildItem sends them
            }
            Assert.Empty(h.Server.Requests);
            command.End();
        }

        var sent = Assert.Single(h.Server.Requests);
        Assert.Equal(images.Select(p => Path.GetFileName(p)).ToArray(), sent.Files.Select(f => f.FileName).ToArray());
        Assert.Single(host.Results);
        Assert.Equal(images, host.Results[0].InputImages);
        Assert.Equal(0, host.CallsOffThePipelineThread);
    }

    [Fact]
    public async Task Separately_sends_one_request_per_image_concurrently()
    {
        await using var h = await ClientHarness.StartAsync();
        var images = Pngs(h, 4);
        // Two held at once can only be if the requests run side by side.
        h.Server.EnqueueFault(new FaultSpec { Hold = "together", Times = 2 });

        var running = OnItsOwnThread(host =>
        {
            using var command = Edit(h, host, separately: true);
            command.Process(images);
            command.End();
        });
        await h.Server.Holds.WhenReachedAsync("together", 2).Within("two requests at once");
        h.Server.Holds.Release("together");
        var host = await running.Within("the edits");

        Assert.Equal(4, h.Server.Requests.Count);
        Assert.All(h.Server.Requests, r => Assert.Single(r.Files));
        Assert.Equal(images.Select(p => Path.GetFileName(p)).OrderBy(n => n), h.Server.Requests.Select(r => r.Files[0].FileName!).OrderBy(n => n));
        Assert.True(h.Server.MaxConcurrentRequests >= 2);
        Assert.Equal(4, host.Results.Count);
        Assert.Equal(4, host.Results.Select(r => r.FullName).Distinct().Count());
        Assert.Equal(0, host.CallsOffThePipelineThread);
    }

    [Fact]
    public async Task A_prompt_from_the_command_line_takes_every_piped_reference_image()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost();
        var refs = Pngs(h, 2);

        using (var command = Generate(h, host, promptFromCommandLine: true))
        {
            command.Process("a poster in this style", new[] { refs[0] }, new ImageSettings { [BodyFields.ResponseFormat] = "b64_json" });
            command.Process("a poster in this style", new[] { refs[1], "https://example.com/r.png" }, new ImageSettings { [BodyFields.ResponseFormat] = "b64_json" });
            command.End();
        }

        var sent = Assert.Single(h.Server.Requests);
        Assert.Equal(2, sent.Files.Count);
        Assert.Equal(new[] { "https://example.com/r.png" }, sent.ImageUrls);
    }

    [Fact]
    public async Task Each_piped_prompt_is_its_own_request_with_its_own_settings()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost();

        using (var command = Generate(h, host, promptFromCommandLine: false))
        {
            command.Process("a red fox", Array.Empty<string>(), new ImageSettings { AspectRatio = "16:9", Quality = "4K", [BodyFields.ResponseFormat] = "b64_json" });
            command.Process("a blue whale", Array.Empty<string>(), new ImageSettings { Size = "1024 x 1536", Model = "gpt-image-1", Count = 2, [BodyFields.ResponseFormat] = "b64_json" });
            command.End();
        }

        var byPrompt = h.Server.Requests.ToDictionary(r => r.Field("prompt")!);
        Assert.Equal("16x9", byPrompt["a red fox"].Field("size"));
        Assert.Equal("4k", byPrompt["a red fox"].Field("quality"));
        Assert.Equal("gemini-3-pro-image-preview", byPrompt["a red fox"].Field("model"));
        Assert.Equal("1024x1536", byPrompt["a blue whale"].Field("size"));
        Assert.Equal("gpt-image-1", byPrompt["a blue whale"].Field("model"));
        Assert.Equal("2", byPrompt["a blue whale"].Field("n"));
        Assert.Equal(3, host.Results.Count);
        // Named after the prompt and a hash of the request, so that the same request finds its file again.
        Assert.Contains(host.Results, r => System.Text.RegularExpressions.Regex.IsMatch(Path.GetFileName(r.FullName!), "^a-red-fox-[0-9a-f]{8}[.]png$"));
    }

    [Fact]
    public async Task A_bad_item_is_a_failure_of_its_own_and_the_others_go_on()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost();
        string notAnImage = h.Folder.Combine("notes.png");
        File.WriteAllText(notAnImage, "hello");

        using (var command = Generate(h, host, promptFromCommandLine: false))
        {
            command.Process("fine one", Array.Empty<string>(), new ImageSettings { [BodyFields.ResponseFormat] = "b64_json" });
            command.Process("", Array.Empty<string>(), new ImageSettings());
            command.Process("too many", Array.Empty<string>(), new ImageSettings { Count = 11 });
            command.Process("bad ratio", Array.Empty<string>(), new ImageSettings { AspectRatio = "wide" });
            command.Process("both", Array.Empty<string>(), new ImageSettings { AspectRatio = "1:1", Size = "1024x1024" });
            command.Process("bad ref", new[] { notAnImage }, new ImageSettings { [BodyFields.ResponseFormat] = "b64_json" });
            command.Process("bad size", Array.Empty<string>(), new ImageSettings { Size = "huge" });
            command.Process("fine two", Array.Empty<string>(), new ImageSettings { [BodyFields.ResponseFormat] = "b64_json" });
            command.End();
        }

        // A request with a reference that cannot be read is not sent with the others alone: it would pay for another image.
        Assert.Equal(new[] { "fine one", "fine two" }, h.Server.Requests.Select(r => r.Field("prompt")).OrderBy(p => p).ToArray());
        Assert.Equal(5, host.Failures.Count);
        Assert.All(host.Failures, f => Assert.Equal(TuZiErrorKind.InvalidInput, f.Kind));
        Assert.Contains(host.Failures, f => f.Message.Contains("11") && f.Target == "too many");
        Assert.Contains(host.Failures, f => f.Message.Contains("'wide'"));
        Assert.Contains(host.Failures, f => f.RecommendedAction?.Contains("-Size or -AspectRatio") == true);
        Assert.Contains(host.Failures, f => f.Target == "bad ref" && f.Message.Contains("Nothing was sent") && f.Message.Contains(notAnImage));
        Assert.Contains(host.Failures, f => f.Message.Contains("'huge'"));
        // Every failure of a row names the row by its prompt, whatever input of it was bad.
        Assert.All(host.Failures, f => Assert.Contains(f.Target, new[] { "too many", "bad ratio", "both", "bad ref", "bad size" }));
        // A blank prompt from the pipeline (an empty line of prompts.txt) is no request, and no error either.
        Assert.Contains(host.Verbose, v => v.Contains("Skipped a blank prompt"));
        Assert.Equal(2, host.Results.Count);
    }

    [Fact]
    public async Task A_failing_request_is_non_terminating_for_the_others()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Match = "doomed", Status = 400, Message = "bad prompt", Times = 0 });
        var host = new RecordingHost();

        using (var command = Generate(h, host, promptFromCommandLine: false))
        {
            foreach (string prompt in new[] { "one", "doomed", "three" })
            {
                command.Process(prompt, Array.Empty<string>(), new ImageSettings { [BodyFields.ResponseFormat] = "b64_json" });
            }
            command.End();
        }

        var failure = Assert.Single(host.Failures);
        Assert.Equal(TuZiErrorKind.BadRequest, failure.Kind);
        Assert.Contains("bad prompt", failure.Message);
        Assert.Equal(new[] { "one", "three" }, host.Results.Select(r => r.Prompt).OrderBy(p => p, StringComparer.Ordinal).ToArray());
        var progress = host.Progress.Last();
        Assert.True(progress.IsFinished);
        Assert.Equal((2, 1, 3), (progress.Completed, progress.Failed, progress.Total));
    }

    [Fact]
    public async Task WhatIf_describes_the_request_and_sends_nothing()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost { Confirm = false };
        var images = Pngs(h, 2);

        using (var command = Edit(h, host, new ImageSettings { Count = 2, Model = "gemini-2.5-flash-image" }))
        {
            command.Process(images);
            command.End();
        }

        Assert.Empty(h.Server.Requests);
        Assert.Empty(host.Results);
        string target = Assert.Single(host.ShouldProcessTargets);
        Assert.Contains("POST /v1/images/edits", target);
        Assert.Contains("model gemini-2.5-flash-image", target);
        Assert.Contains("n 2", target);
        Assert.Contains("in1.png", target);
        Assert.Contains("in2.png", target);
        Assert.Contains("prompt 'merge them'", target);
    }

     [Fact]
    public async Task No_more_than_the_throttle_limit_run_at_once_and_results_stream_before_the_end()
    {
        await using var h = await ClientHarness.StartAsync();
        // The first two are held together: a third could only reach the service past the throttle limit.
        h.Server.EnqueueFault(new FaultSpec { Hold = "pair", Times = 2 });
        int resultsBeforeEnd = 0;

        var running = OnItsOwnThread(host =>
        {
            using var command = Generate(h, host, promptFromCommandLine: false, throttle: 2);
            for (int i = 0; i < 6; i++)
            {
                command.Process($"prompt {i}", Array.Empty<string>(), new ImageSettings { [BodyFields.ResponseFormat] = "b64_json" });
            }
            resultsBeforeEnd = host.Results.Count;
            command.End();
        });
        await h.Server.Holds.WhenReachedAsync("pair", 2).Within("two requests at once");
        h.Server.Holds.Release("pair");
        var host = await running.Within("the batch");

        Assert.Equal(2, h.Server.MaxConcurrentRequests);
        Assert.True(resultsBeforeEnd >= 2, $"only {resultsBeforeEnd} results were written before the end of input");
        Assert.Equal(6, host.Results.Count);
        Assert.Equal(0, host.CallsOffThePipelineThread);
    }

    [Fact]
    public async Task Without_an_output_folder_urls_stay_urls_and_bytes_land_in_the_current_folder()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost();

        using (var command = Generate(h, host, promptFromCommandLine: false))
        {
            command.Process("as url", Array.Empty<string>(), new ImageSettings());
            command.Process("as bytes", Array.Empty<string>(), new ImageSettings { [BodyFields.ResponseFormat] = "b64_json" });
            command.End();
        }

        var url = host.Results.Single(r => r.Prompt == "as url");
        Assert.NotNull(url.Url);
        Assert.Null(url.FullName);
        var bytes = host.Results.Single(r => r.Prompt == "as bytes");
        Assert.Equal(h.Folder.Path, Path.GetDirectoryName(bytes.FullName));
        Assert.Empty(h.Server.Downloads);
    }

    [Fact]
    public async Task An_output_folder_gets_url_results_downloaded()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost();
        string outDir = h.Folder.Combine("out");

        using (var command = Generate(h, host, promptFromCommandLine: false))
        {
            command.Process("a red fox", Array.Empty<string>(), new ImageSettings { OutDirectory = outDir, Count = 2 });
            command.End();
        }

        var names = Directory.GetFiles(outDir).Select(Path.GetFileName).OrderBy(n => n).ToArray();
        Assert.Equal(2, names.Length);
        Assert.Matches("^a-red-fox-[0-9a-f]{8}-1[.]png$", names[0]);
        Assert.Equal(names[0]!.Replace("-1.png", "-2.png"), names[1]);
        Assert.All(host.Results, r => Assert.NotNull(r.Url));
    }

    [Fact]
    public async Task An_out_file_without_an_extension_is_refused_before_sending_when_an_image_already_stands_there()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost();
        File.WriteAllText(h.Folder.Combine("poster.webp"), "mine");

        using (var command = Generate(h, host, promptFromCommandLine: false))
        {
            command.Process("kept", Array.Empty<string>(), new ImageSettings { OutFile = h.Folder.Combine("poster") });
            command.End();
        }

        Assert.Empty(h.Server.Requests); // a paid image would otherwise have gone to poster_2
        Assert.Contains("already exists", Assert.Single(host.Failures).Message);
        Assert.Equal(new[] { "poster.webp" }, h.Folder.FileNames());
    }

    [Fact]
    public async Task An_existing_out_file_is_kept_unless_forced()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost();
        string outFile = h.Folder.Combine("poster.png");
        File.WriteAllText(outFile, "mine");

        using (var command = Generate(h, host, promptFromCommandLine: false))
        {
            command.Process("kept", Array.Empty<string>(), new ImageSettings { OutFile = outFile });
            command.End();
        }
        Assert.Empty(h.Server.Requests);
        Assert.Equal("mine", File.ReadAllText(outFile));
        Assert.Contains("already exists", Assert.Single(host.Failures).Message);

        using (var command = Generate(h, host, promptFromCommandLine: false))
        {
            command.Process("forced", Array.Empty<string>(), new ImageSettings { OutFile = outFile, Force = true });
            command.End();
        }
        Assert.Equal(outFile, Assert.Single(host.Results).FullName);
        Assert.NotEqual("mine", File.ReadAllText(outFile));
    }

    [Fact]
    public async Task A_merge_any_of_whose_inputs_cannot_be_read_is_not_sent_and_one_error_names_every_bad_input()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost();
        string notAnImage = h.Folder.Combine("notes.png");
        File.WriteAllText(notAnImage, "hello");
        string missingMask = h.Folder.Combine("no-such-mask.png");

        using (var command = Edit(h, host, mask: missingMask))
        {
            command.Process(Pngs(h, 2));
            command.Process(new[] { notAnImage }, new[] { TuZiImagesException.InvalidInput("No file matches 'extra*.png'.", "extra*.png") });
            command.End();
        }

        Assert.Empty(h.Server.Requests);
        var failure = Assert.Single(host.Failures);
        Assert.Equal(TuZiErrorKind.InvalidInput, failure.Kind);
        Assert.Equal("merge them", failure.Target);
        Assert.Contains("Nothing was sent", failure.Message);
        Assert.Contains("3 of its inputs", failure.Message);
        Assert.Contains(notAnImage, failure.Message);
        Assert.Contains("extra*.png", failure.Message);
        Assert.Contains(missingMask, failure.Message);
    }

    [Fact]
    public async Task Separately_each_image_stands_on_its_own_and_a_bad_one_fails_alone()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost();
        string notAnImage = h.Folder.Combine("notes.png");
        File.WriteAllText(notAnImage, "hello");

        using (var command = Edit(h, host, separately: true))
        {
            command.Process(Pngs(h, 2).Append(notAnImage), new[] { TuZiImagesException.InvalidInput("No file matches 'extra*.png'.", "extra*.png") });
            command.End();
        }

        Assert.Equal(2, h.Server.Requests.Count);
        Assert.Equal(new[] { "extra*.png", notAnImage }.OrderBy(t => t, StringComparer.Ordinal), host.Failures.Select(f => f.Target).OrderBy(t => t, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Piped_references_of_a_command_line_prompt_are_not_sent_when_one_cannot_be_read()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost();
        var refs = Pngs(h, 2);
        string missing = h.Folder.Combine("gone.png");

        using (var command = Generate(h, host, promptFromCommandLine: true))
        {
            command.Process("a poster in this style", new[] { refs[0] }, new ImageSettings());
            command.Process("a poster in this style", new[] { missing }, new ImageSettings());
            command.Process("a poster in this style", new[] { refs[1] }, new ImageSettings());
            command.End();
        }

        Assert.Empty(h.Server.Requests);
        var failure = Assert.Single(host.Failures);
        Assert.Equal("a poster in this style", failure.Target);
        Assert.Contains(missing, failure.Message);
    }

    [Fact]
    public async Task An_out_file_inside_the_out_directory_gets_its_folders_made_as_the_directory_would()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost();
        string outDirectory = h.Folder.Combine("out");
        string outFile = Path.Combine(outDirectory, "posters", "fox.png");
        string elsewhere = h.Folder.Combine("missing", "fox.png");

        using (var command = Generate(h, host, promptFromCommandLine: false))
        {
            command.Process("inside", Array.Empty<string>(), new ImageSettings { OutDirectory = outDirectory, OutFile = outFile, [BodyFields.ResponseFormat] = "b64_json" });
            command.Process("outside", Array.Empty<string>(), new ImageSettings { OutDirectory = outDirectory, OutFile = elsewhere, [BodyFields.ResponseFormat] = "b64_json" });
            command.End();
        }

        Assert.Equal(outFile, Assert.Single(host.Results).FullName);
        // A file outside -OutDirectory needs its folder, as -OutFile alone does: a typo must not make folders.
        var failure = Assert.Single(host.Failures);
        Assert.Equal("outside", failure.Target);
        Assert.Contains("does not exist", failure.Message);
        Assert.Equal("inside", Assert.Single(h.Server.Requests).Field("prompt"));
    }

    [Fact]
    public async Task A_bad_mask_fails_the_request_that_would_carry_it()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost();

        using (var command = Edit(h, host, mask: h.Folder.Combine("no-such-mask.png")))
        {
            command.Process(Pngs(h, 1));
            command.End();
        }

        Assert.Empty(h.Server.Requests);
        Assert.Contains("mask", Assert.Single(host.Failures).Message);
    }

    [Fact]
    public async Task Stopping_cancels_requests_in_flight_without_their_answers_and_leaves_no_partial_file()
    {
        await using var h = await ClientHarness.StartAsync();
        // The service holds every answer until the test ends: only the stop can end the requests.
        h.Server.EnqueueFault(new FaultSpec { Hold = "answers", Times = 0 });

        var running = OnItsOwnThread(host =>
        {
            using var command = Generate(h, host, promptFromCommandLine: false);
            command.Process("slow one", Array.Empty<string>(), new ImageSettings { [BodyFields.ResponseFormat] = "b64_json" });
            command.Process("slow two", Array.Empty<string>(), new ImageSettings { [BodyFields.ResponseFormat] = "b64_json" });
            // Ctrl+C arrives on another thread, as StopProcessing does, once both requests wait on the service.
            var stopper = h.Server.Holds.WhenReachedAsync("answers", 2).ContinueWith(_ => command.Stop(), TaskScheduler.Default);
            command.End();
            stopper.Wait();
        });
        var host = await running.Within("the stopped batch");

        Assert.Empty(host.Results);
        Assert.Empty(h.Folder.FileNames());
        HangGuard.WaitUntil(() => h.Server.ActiveRequests == 0, "the service to see the requests go away");
        Assert.False(h.Server.Holds.IsReleased("answers"));
    }

    [Fact]
    public async Task Disposing_a_stopped_batch_waits_for_its_workers_to_remove_their_temporary_files()
    {
        // After Ctrl+C the host may exit as soon as the pipeline is disposed: a worker still deleting its hidden
        // temporary file then would leave it behind.
        using var folder = new TempDirectory();
        string temporary = folder.Combine(".tuzi-test.partial");
        File.WriteAllText(temporary, "half an image");
        using var started = new ManualResetEventSlim();

        await Task.Run(() =>
        {
            var host = new RecordingHost();

            // No bound on the wait, so the 300 ms cleanup need not fit in the default 2 s on a loaded machine.
            using (var batch = new ImageBatch(host, throttleLimit: 4) { UnwindWait = Timeout.InfiniteTimeSpan })
            {
                batch.Add("a slow cleanup", "Generate image", async token =>
                {
                    try
                    {
                        started.Set();
                        await Task.Delay(Timeout.Infinite, token);
                        return new ImageResponse();
                    }
                    finally
                    {
                        await Task.Delay(300); // a busy disk
                        File.Delete(temporary);
                    }
                });
                Assert.True(started.Wait(HangGuard.Bound), "the request never started");
                batch.Cancel();
            }
        }).Within("Dispose to wait out the cleanup");

        Assert.False(File.Exists(temporary), "the batch was disposed while its worker still had a temporary file");
    }

    [Fact]
    public async Task Verbose_lines_reach_the_host_on_the_pipeline_thread()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost();

        using (var command = Generate(h, host, promptFromCommandLine: false))
        {
            command.Process("a red fox", Array.Empty<string>(), new ImageSettings { [BodyFields.ResponseFormat] = "b64_json" });
            command.End();
        }

        Assert.Contains(host.Verbose, v => v.Contains("POST /v1/images/generations") && v.Contains("attempt 1 of 3"));
        Assert.DoesNotContain(host.Verbose, v => v.Contains(ClientHarness.ApiKey));
        Assert.Equal(0, host.CallsOffThePipelineThread);
    }
}
