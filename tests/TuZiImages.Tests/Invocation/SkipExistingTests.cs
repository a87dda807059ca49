using System.IO;
using System.Linq;
using System.Threading.Tasks;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Invocation;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Invocation;

/// <summary>-SkipExisting: a re-run pays only for what is missing, and the pipeline still sees the whole set.</summary>
public class SkipExistingTests
{
    private static GenerateCommand Generate(ClientHarness h, RecordingHost host) =>
        new(host, h.Options(), 4, h.Folder.Path, promptFromCommandLine: false);

    private static void RunPrompts(ClientHarness h, RecordingHost host, ImageSettings settings, params string[] prompts)
    {
        using var command = Generate(h, host);
        foreach (string prompt in prompts)
        {
            command.Process(prompt, Array.Empty<string>(), settings.Clone());
        }
        command.End();
    }

    private static string[] Files(string folder) => Directory.GetFiles(folder).Select(Path.GetFileName).OrderBy(n => n).ToArray()!;

    [Fact]
    public async Task A_rerun_into_a_folder_sends_only_what_failed_and_writes_the_whole_set()
    {
        await using var h = await ClientHarness.StartAsync();
        string outDir = h.Folder.Combine("out");
        var settings = new ImageSettings { OutDirectory = outDir, [BodyFields.ResponseFormat] = "b64_json", AspectRatio = "16:9" };
        var prompts = new[] { "a red fox", "a blue whale", "a green frog", "a grey owl" };
        h.Server.EnqueueFault(new FaultSpec { Match = "whale", Status = 400, Message = "not today" });
        var first = new RecordingHost();
        RunPrompts(h, first, settings, prompts);
        Assert.Equal(3, first.Results.Count);
        Assert.Single(first.Failures);
        var made = Files(outDir);
        h.Server.Reset();

        var again = new RecordingHost();
        settings.SkipExisting = true;
        RunPrompts(h, again, settings, prompts);

        var sent = Assert.Single(h.Server.Requests);
        Assert.Equal("a blue whale", sent.Field("prompt"));
        Assert.Empty(again.Failures);
        Assert.Equal(4, again.Results.Count);
        var skipped = again.Results.Where(r => r.Skipped).ToList();
        Assert.Equal(3, skipped.Count);
        Assert.All(skipped, r =>
        {
            Assert.Equal(0, r.Attempts);
            Assert.Equal("Generate", r.Operation);
            Assert.Equal("image/png", r.ContentType);
            Assert.True(r.Width > 0 && r.Height > 0);
            Assert.Equal(new FileInfo(r.FullName!).Length, r.Length);
        });
        Assert.Equal(made.OrderBy(n => n), skipped.Select(r => Path.GetFileName(r.FullName!)).OrderBy(n => n));
        Assert.Equal(4, Files(outDir).Length);
        Assert.Contains(again.Verbose, v => v.StartsWith("Skipped: ") && v.Contains("a red fox"));
        Assert.Equal(3, again.Progress.Last().Skipped);
        Assert.Equal(0, again.CallsOffThePipelineThread);
    }

    [Fact]
    public async Task A_preview_reported_in_a_rerun_keeps_the_skipped_count_and_the_throttle_limit_in_the_progress_bar()
    {
        await using var h = await ClientHarness.StartAsync();
        string outDir = h.Folder.Combine("out");
        var settings = new ImageSettings { OutDirectory = outDir, [BodyFields.ResponseFormat] = "b64_json", Model = "gpt-image-1", PartialImages = 1 };
        RunPrompts(h, new RecordingHost(), settings, "a red fox");

        var again = new RecordingHost();
        settings.SkipExisting = true;
        RunPrompts(h, again, settings, "a red fox", "a grey owl");

        var preview = Assert.Single(again.Progress, p => p.CurrentOperation is { } note && note.StartsWith("Preview 1"));
        Assert.Equal(1, preview.Skipped);
        Assert.Equal(4, preview.ThrottleLimit);
        Assert.Contains("(1 skipped, already on disk)", preview.Status);
    }

    [Fact]
    public async Task Without_skip_existing_a_rerun_overwrites_nothing()
    {
        await using var h = await ClientHarness.StartAsync();
        string outDir = h.Folder.Combine("out");
        var settings = new ImageSettings { OutDirectory = outDir, [BodyFields.ResponseFormat] = "b64_json" };
        RunPrompts(h, new RecordingHost(), settings, "a red fox");
        var firstName = Assert.Single(Files(outDir));
        byte[] firstBytes = File.ReadAllBytes(Path.Combine(outDir, firstName));

        RunPrompts(h, new RecordingHost(), settings, "a red fox");

        var names = Files(outDir);
        Assert.Equal(2, names.Length);
        Assert.Contains(Path.GetFileNameWithoutExtension(firstName) + "_2.png", names);
        Assert.Equal(firstBytes, File.ReadAllBytes(Path.Combine(outDir, firstName)));
    }

    [Fact]
    public async Task The_name_follows_what_decides_the_image_so_a_changed_request_is_sent()
    {
        await using var h = await ClientHarness.StartAsync();
        string outDir = h.Folder.Combine("out");
        RunPrompts(h, new RecordingHost(), new ImageSettings { OutDirectory = outDir, [BodyFields.ResponseFormat] = "b64_json", Quality = "2k" }, "a red fox");
        h.Server.Reset();

        var host = new RecordingHost();
        RunPrompts(h, host, new ImageSettings { OutDirectory = outDir, [BodyFields.ResponseFormat] = "b64_json", Quality = "4k", SkipExisting = true }, "a red fox");
        // The response format and the user decide nothing about the image: the same file is found.
        RunPrompts(h, host, new ImageSettings { OutDirectory = outDir, [BodyFields.ResponseFormat] = "url", [BodyFields.User] = "ops", Quality = "2k", SkipExisting = true }, "a red fox");

        Assert.Single(h.Server.Requests);
        Assert.Equal("4k", h.Server.Requests[0].Field("quality"));
        Assert.Equal(new[] { false, true }, host.Results.Select(r => r.Skipped).ToArray());
    }

    [Fact]
    public async Task Several_images_are_skipped_only_when_every_one_is_there()
    {
        await using var h = await ClientHarness.StartAsync();
        string outDir = h.Folder.Combine("out");
        var settings = new ImageSettings { OutDirectory = outDir, [BodyFields.ResponseFormat] = "b64_json", Count = 3 };
        RunPrompts(h, new RecordingHost(), settings, "a red fox");
        h.Server.Reset();
        settings.SkipExisting = true;

        var host = new RecordingHost();
        RunPrompts(h, host, settings, "a red fox");
        Assert.Empty(h.Server.Requests);
        Assert.Equal(new[] { 1, 2, 3 }, host.Results.Select(r => r.Index).ToArray());
        Assert.All(host.Results, r => Assert.True(r.Skipped));

        File.Delete(host.Results[1].FullName!);
        var partial = new RecordingHost();
        RunPrompts(h, partial, settings, "a red fox");
        Assert.Single(h.Server.Requests);
        Assert.Equal(3, partial.Results.Count);
        Assert.All(partial.Results, r => Assert.False(r.Skipped));
    }

    [Fact]
    public async Task An_out_file_and_its_numbered_siblings_are_found()
    {
        await using var h = await ClientHarness.StartAsync();
        string poster = h.Folder.Combine("poster.png");
        string mine = TestImages.WritePng(h.Folder.Path, "poster.png", 16, 8, 7);
        Assert.Equal(poster, mine);
        byte[] before = File.ReadAllBytes(poster);

        var host = new RecordingHost();
        RunPrompts(h, host, new ImageSettings { OutFile = poster, SkipExisting = true }, "a poster");

        Assert.Empty(h.Server.Requests);
        var result = Assert.Single(host.Results);
        Assert.True(result.Skipped);
        Assert.Equal(poster, result.FullName);
        Assert.Equal((16, 8), (result.Width!.Value, result.Height!.Value));
        Assert.Equal(before, File.ReadAllBytes(poster));

        // With -Count 2 the files are poster-1.png and poster-2.png; one alone is not the whole set.
        File.Delete(poster); // (an existing poster.png itself refuses the request before anything is sent)
        TestImages.WritePng(h.Folder.Path, "poster-1.png", 8, 8, 1);
        var two = new RecordingHost();
        RunPrompts(h, two, new ImageSettings { OutFile = poster, SkipExisting = true, Count = 2, [BodyFields.ResponseFormat] = "b64_json" }, "a poster");
        Assert.Single(h.Server.Requests);
        TestImages.WritePng(h.Folder.Path, "poster-2.png", 8, 8, 2);
        h.Server.Reset();
        var both = new RecordingHost();
        RunPrompts(h, both, new ImageSettings { OutFile = poster, SkipExisting = true, Count = 2 }, "a poster");
        Assert.Empty(h.Server.Requests);
        Assert.Equal(new[] { h.Folder.Combine("poster-1.png"), h.Folder.Combine("poster-2.png") }, both.Results.Select(r => r.FullName).ToArray());
    }

    [Fact]
    public async Task An_out_file_without_an_extension_matches_any_image_extension()
    {
        await using var h = await ClientHarness.StartAsync();
        TestImages.WritePng(h.Folder.Path, "cover.webp", 8, 8, 3); // the name says webp; what counts is that it is there
        var host = new RecordingHost();

        RunPrompts(h, host, new ImageSettings { OutFile = h.Folder.Combine("cover"), SkipExisting = true }, "a cover");

        Assert.Empty(h.Server.Requests);
        Assert.Equal(h.Folder.Combine("cover.webp"), Assert.Single(host.Results).FullName);
    }

    [Fact]
    public async Task Edits_are_found_again_by_the_content_of_their_images()
    {
        await using var h = await ClientHarness.StartAsync();
        string outDir = h.Folder.Combine("out");
        var inputs = new[] { TestImages.WritePng(h.Folder.Path, "a.png", 8, 8, 1), TestImages.WritePng(h.Folder.Path, "b.png", 8, 8, 2) };
        var settings = new ImageSettings { OutDirectory = outDir, [BodyFields.ResponseFormat] = "b64_json" };
        void Edit(RecordingHost host, bool separately)
        {
            using var command = new EditCommand(host, h.Options(), 4, h.Folder.Path, "make it blue", null, settings.Clone(), separately);
            command.Process(inputs);
            command.End();
        }
        Edit(new RecordingHost(), separately: true);
        Edit(new RecordingHost(), separately: false);
        Assert.Equal(3, h.Server.Requests.Count);
        h.Server.Reset();
        settings.SkipExisting = true;

        var again = new RecordingHost();
        Edit(again, separately: true);
        Edit(again, separately: false);
        Assert.Empty(h.Server.Requests);
        Assert.Equal(3, again.Results.Count);
        Assert.All(again.Results, r => { Assert.True(r.Skipped); Assert.Equal("Edit", r.Operation); });
        Assert.Equal(inputs, again.Results.Last().InputImages);

        // Same names, other pixels: a different request, so it is sent.
        TestImages.WritePng(h.Folder.Path, "b.png", 8, 8, 9);
        var changed = new RecordingHost();
        Edit(changed, separately: true);
        var sent = Assert.Single(h.Server.Requests);
        Assert.Equal("b.png", sent.Files[0].FileName);
        Assert.Equal(new[] { true, false }, changed.Results.OrderBy(r => r.InputImages[0]).Select(r => r.Skipped).ToArray());
    }
}
