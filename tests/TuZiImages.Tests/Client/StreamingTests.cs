using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Requests;
using TuZiImages.Core.Results;
using TuZiImages.Core;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Client;

/// <summary>-PartialImages: previews streamed as server-sent events, saved beside the final image.</summary>
public class StreamingTests
{
    [Fact]
    public async Task Three_previews_are_saved_beside_the_final_image_which_lists_them()
    {
        await using var h = await ClientHarness.StartAsync();
        var told = new ConcurrentQueue<ImagePreview>();
        var save = h.SaveHere("fox");
        save.PreviewSaved = told.Enqueue;
        var request = new GenerationRequest { Prompt = "a fox", Model = "gpt-image-1", Size = "1536x1024", PartialImages = 3 };

        var response = await h.Client().GenerateAsync(request, save);

        var sent = Assert.Single(h.Server.Requests);
        using (var json = JsonDocument.Parse(sent.Json!))
        {
            Assert.Equal(JsonValueKind.True, json.RootElement.GetProperty("stream").ValueKind);
            Assert.Equal(3, json.RootElement.GetProperty("partial_images").GetInt32());
        }
        Assert.Contains("text/event-stream", sent.Header("Accept"));
        var image = Assert.Single(response.Images);
        Assert.Equal(h.Folder.Combine("fox.png"), image.FullName);
        Assert.Equal((1536, 1024), (image.Width, image.Height));
        Assert.Equal(new[] { "fox.partial-1.png", "fox.partial-2.png", "fox.partial-3.png" }, image.Previews.Select(Path.GetFileName).ToArray());
        Assert.All(image.Previews, p => Assert.Equal(h.Folder.Path, Path.GetDirectoryName(p)));
        // Each preview is a whole image of its own, smaller than the final one.
        Assert.All(image.Previews, p => Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(p).Take(4).ToArray()));
        Assert.Equal(3, image.Previews.Select(ClientHarness.Sha256).Distinct().Count());
        Assert.Equal(new[] { "fox.partial-1.png", "fox.partial-2.png", "fox.partial-3.png", "fox.png" }, h.Folder.FileNames());
        Assert.Equal(new[] { 1, 2, 3 }, told.Select(p => p.Number).ToArray());
        Assert.Equal(image.Previews, told.Select(p => p.FullName).ToArray());
        // The completed event's usage and settings are on the result.
        Assert.NotNull(image.Usage);
        Assert.True(image.Usage!.OutputTokens > 0);
        Assert.Equal(image.Usage.InputTokens + image.Usage.OutputTokens, image.Usage.TotalTokens);
        Assert.Equal("png", image.OutputFormat);
        Assert.Equal("1536x1024", image.ReportedSize);
        Assert.Equal("opaque", image.Background);
        Assert.True(image.Created > DateTimeOffset.UtcNow.AddHours(-1), $"created {image.Created}");
    }

    [Fact]
    public async Task An_edit_streams_its_previews_as_image_edit_events()
    {
        await using var h = await ClientHarness.StartAsync();
        var request = new EditRequest { Prompt = "add snow", Model = "gpt-image-1", PartialImages = 2, [BodyFields.OutputFormat] = "webp" };
        request.Images.Add(InputImage.FromFile(TestImages.WritePng(h.Folder.Path, "in.png", 32, 32)));

        var response = await h.Client().EditAsync(request, h.SaveHere("snow"));

        var sent = Assert.Single(h.Server.Requests);
        Assert.Equal("true", sent.Field("stream"));
        Assert.Equal("2", sent.Field("partial_images"));
        var image = Assert.Single(response.Images);
        Assert.Equal("image/webp", image.ContentType);
        Assert.Equal(h.Folder.Combine("snow.webp"), image.FullName);
        Assert.Equal(new[] { "snow.partial-1.webp", "snow.partial-2.webp" }, image.Previews.Select(Path.GetFileName).ToArray());
        Assert.Equal("webp", image.OutputFormat);
    }

    [Fact]
    public async Task A_stream_cut_before_its_final_image_fails_clearly_and_leaves_no_file()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Truncate = true });
        var told = new ConcurrentQueue<ImagePreview>();
        var save = h.SaveHere("fox");
        save.PreviewSaved = told.Enqueue;
        var request = new GenerationRequest { Prompt = "a fox", Model = "gpt-image-1", PartialImages = 3 };

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client().GenerateAsync(request, save));

        Assert.Equal(TuZiErrorKind.Network, e.Kind);
        Assert.True(e.MayHaveBeenBilled);
        Assert.Contains("not sent again", e.Message);
        Assert.Equal(3, told.Count); // the previews had been saved and announced as they came
        // A failed request leaves nothing: no final image, no previews, no temporary file.
        Assert.Empty(h.Folder.FileNames());
        Assert.Single(h.Server.Requests);
    }

    [Fact]
    public async Task A_stream_that_ends_cleanly_without_a_completed_event_is_an_error_that_says_so()
    {
        await using var h = await ClientHarness.StartAsync();
        string preview = Convert.ToBase64String(TestImages.Png(8, 8));
        h.Server.EnqueueFault(new FaultSpec
        {
            ContentType = "text/event-stream",
            Body = $"event: image_generation.partial_image\ndata: {{\"type\":\"image_generation.partial_image\",\"b64_json\":\"{preview}\",\"partial_image_index\":0}}\n\n",
        });

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() =>
            h.Client().GenerateAsync(new GenerationRequest { Prompt = "a fox", PartialImages = 1 }, h.SaveHere("fox")));

        Assert.Equal(TuZiErrorKind.MalformedResponse, e.Kind);
        Assert.Contains("ended before the final image", e.Message);
        Assert.Contains("1 preview", e.Message);
        Assert.Empty(h.Folder.FileNames());
    }

    [Fact]
    public async Task A_service_that_ignores_stream_and_answers_json_gives_a_normal_result()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { IgnoreStream = true });

        var response = await h.Client().GenerateAsync(
            new GenerationRequest { Prompt = "a fox", Model = "gpt-image-1", [BodyFields.ResponseFormat] = "b64_json", PartialImages = 2 }, h.SaveHere("fox"));

        var image = Assert.Single(response.Images);
        Assert.Equal(h.Folder.Combine("fox.png"), image.FullName);
        Assert.Empty(image.Previews);
        Assert.NotNull(image.Usage);
        Assert.Equal(new[] { "fox.png" }, h.Folder.FileNames());
    }

    [Fact]
    public async Task An_error_event_in_the_stream_becomes_the_services_error()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec
        {
            ContentType = "text/event-stream",
            Body = ": keep-alive\n\nevent: error\ndata: {\"type\":\"error\",\"error\":{\"message\":\"Your request was rejected by the safety system.\",\"type\":\"image_generation_user_error\",\"code\":\"moderation_blocked\"}}\n\n",
        });

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() =>
            h.Client().GenerateAsync(new GenerationRequest { Prompt = "a fox", PartialImages = 1 }, h.SaveHere()));

        Assert.Contains("safety system", e.Message);
        Assert.Equal("moderation_blocked", e.ServerErrorCode);
        Assert.Empty(h.Folder.FileNames());
    }

    [Fact]
    public async Task A_preview_name_already_taken_gets_a_numbered_alternative_and_nothing_is_overwritten()
    {
        await using var h = await ClientHarness.StartAsync();
        File.WriteAllText(h.Folder.Combine("fox.partial-1.png"), "mine");

        var response = await h.Client().GenerateAsync(new GenerationRequest { Prompt = "a fox", PartialImages = 1 }, h.SaveHere("fox"));

        Assert.Equal("mine", File.ReadAllText(h.Folder.Combine("fox.partial-1.png")));
        Assert.Equal("fox.partial-1_2.png", Path.GetFileName(Assert.Single(Assert.Single(response.Images).Previews)));
    }
}
