using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Invocation;
using TuZiImages.Core;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Invocation;

/// <summary>The new parameters as the cmdlets hand them to the core: words normalised, previews reported, conflicts per item.</summary>
public class SurfaceInvocationTests
{

    [Fact]
    public async Task Words_are_sent_lower_case_and_each_preview_is_reported_as_progress_on_the_pipeline_thread()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost();

        using (var command = new GenerateCommand(host, h.Options(), 4, h.Folder.Path, promptFromCommandLine: false))
        {
            command.Process("a sticker", Array.Empty<string>(), new ImageSettings
            {
                Model = "gpt-image-1", [BodyFields.Background] = " Transparent ", [BodyFields.OutputFormat] = "PNG", [BodyFields.Moderation] = "Low", [BodyFields.OutputCompression] = 50, PartialImages = 2,
                OutFile = h.Folder.Combine("sticker.png"),
            });
            command.End();
        }

        var sent = Assert.Single(h.Server.Requests);
        Assert.Equal("transparent", sent.Field("background"));
        Assert.Equal("png", sent.Field("output_format"));
        Assert.Equal("low", sent.Field("moderation"));
        var result = Assert.Single(host.Results);
        Assert.Equal(h.Folder.Combine("sticker.png"), result.FullName);
        Assert.Equal(new[] { h.Folder.Combine("sticker.partial-1.png"), h.Folder.Combine("sticker.partial-2.png") }, result.Previews);
        var notes = host.Progress.Where(p => p.CurrentOperation is not null).Select(p => p.CurrentOperation!).ToList();
        Assert.Equal(2, notes.Count);
        Assert.Contains("Preview 1", notes[0]);
        Assert.Contains(h.Folder.Combine("sticker.partial-1.png"), notes[0]);
        Assert.Contains("Preview 2", notes[1]);
        Assert.Contains(host.Verbose, v => v.Contains("Preview 2"));
        Assert.Equal(0, host.CallsOffThePipelineThread);
    }

    [Fact]
    public async Task An_edit_takes_input_fidelity_and_additional_fields()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost();
        string image = TestImages.WritePng(h.Folder.Path, "in.png");
        var settings = new ImageSettings
        {
            Model = "an-image-model-of-tomorrow", [BodyFields.ResponseFormat] = "b64_json", [BodyFields.InputFidelity] = "HIGH", [BodyFields.Background] = "opaque",
            AdditionalFields = new Dictionary<string, object?> { ["seed"] = 3, ["tags"] = new List<object?> { "x", "y" } },
        };

        using (var command = new EditCommand(host, h.Options(), 4, h.Folder.Path, "keep the face", null, settings, separately: false))
        {
            command.Process(new[] { image });
            command.End();
        }

        var sent = Assert.Single(h.Server.Requests);
        Assert.Equal("high", sent.Field("input_fidelity"));
        Assert.Equal("opaque", sent.Field("background"));
        Assert.Equal("3", sent.Field("seed"));
        Assert.Equal(new[] { "x", "y" }, sent.FieldValues("tags"));
        Assert.Empty(host.Failures);
    }

    [Fact]
    public async Task A_conflicting_additional_field_fails_each_item_and_sends_nothing()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost();
        var settings = new ImageSettings { Size = "1024x1024", AdditionalFields = new Dictionary<string, object?> { ["size"] = "2048x2048" } };

        using (var command = new GenerateCommand(host, h.Options(), 4, h.Folder.Path, promptFromCommandLine: false))
        {
            command.Process("one", Array.Empty<string>(), settings);
            command.Process("two", Array.Empty<string>(), settings);
            command.End();
        }

        Assert.Empty(h.Server.Requests);
        Assert.Equal(2, host.Failures.Count);
        Assert.All(host.Failures, f =>
        {
            Assert.Equal(TuZiErrorKind.InvalidInput, f.Kind);
            Assert.Contains("-AdditionalParameter", f.Message);
            Assert.Contains("-Size", f.Message);
        });
    }

    [Fact]
    public async Task WhatIf_tells_every_field_the_body_table_has_and_sends_nothing()
    {
        await using var h = await ClientHarness.StartAsync();
        var host = new RecordingHost { Confirm = false };
        string photo = TestImages.WritePng(h.Folder.Path, "photo.png", 8, 8, 1);

        using (var command = new GenerateCommand(host, h.Options(), 4, h.Folder.Path, promptFromCommandLine: false))
        {
            command.Process("a fox", Array.Empty<string>(), new ImageSettings
            {
                Model = "gpt-image-1", [BodyFields.Background] = "transparent", [BodyFields.OutputFormat] = "webp", [BodyFields.OutputCompression] = 70,
                PartialImages = 3, [BodyFields.Moderation] = "Low", [BodyFields.User] = "ops",
                AdditionalFields = new Dictionary<string, object?> { ["seed"] = 1 },
            });
            // Style is dall-e-3's: gpt-image would refuse it.
            command.Process("a cat", Array.Empty<string>(), new ImageSettings { Model = "dall-e-3", [BodyFields.Style] = "vivid" });
            command.End();
        }
        var edit = new ImageSettings { Model = "gpt-image-1", [BodyFields.InputFidelity] = "HIGH" };
        using (var command = new EditCommand(host, h.Options(), 4, h.Folder.Path, "keep the face", null, edit, separately: false))
        {
            command.Process(new[] { photo });
            command.End();
        }

        Assert.Empty(h.Server.Requests);
        Assert.Empty(host.Failures);
        Assert.Equal(3, host.ShouldProcessTargets.Count);
        string target = host.ShouldProcessTargets[0];
        Assert.Contains(": POST /v1/images/generations (JSON): model gpt-image-1, prompt 'a fox', ", target);
        Assert.Contains("background transparent", target);
        Assert.Contains("output_format webp", target);
        Assert.Contains("output_compression 70", target);
        Assert.Contains("stream true, partial_images 3", target);
        Assert.Contains("seed 1", target);
        Assert.Contains("moderation low", target);
        Assert.Contains("user ops", target);
        Assert.Contains("style vivid", host.ShouldProcessTargets[1]);
        Assert.Contains(": POST /v1/images/edits (multipart): model gpt-image-1, prompt 'keep the face', ", host.ShouldProcessTargets[2]);
        Assert.Contains("input_fidelity high", host.ShouldProcessTargets[2]);
        Assert.EndsWith($", image @photo.png ({new System.IO.FileInfo(photo).Length} bytes)", host.ShouldProcessTargets[2]);
    }
}
