using System.Collections.Generic;
using System.Collections;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Requests;
using TuZiImages.Core;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Client;

/// <summary>The gpt-image fields, extra body fields and extra headers reach the service with the right types.</summary>
public class SurfaceWireTests
{
    [Fact]
    public async Task A_generation_sends_the_gpt_image_fields_as_json_of_their_own_types()
    {
        await using var h = await ClientHarness.StartAsync();
        var request = new GenerationRequest
        {
            Prompt = "a sticker of a fox", Model = "gpt-image-1", [BodyFields.ResponseFormat] = "b64_json",
            [BodyFields.Background] = "transparent", [BodyFields.OutputFormat] = "webp", [BodyFields.OutputCompression] = 80, [BodyFields.Moderation] = "low",
        };

        await h.Client().GenerateAsync(request, h.SaveHere("fox"));

        var sent = Assert.Single(h.Server.Requests);
        using var json = JsonDocument.Parse(sent.Json!);
        var root = json.RootElement;
        Assert.Equal("transparent", root.GetProperty("background").GetString());
        Assert.Equal("webp", root.GetProperty("output_format").GetString());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("output_compression").ValueKind);
        Assert.Equal(80, root.GetProperty("output_compression").GetInt32());
        Assert.Equal("low", root.GetProperty("moderation").GetString());
        Assert.False(root.TryGetProperty("stream", out _));
        Assert.Equal("200", sent.Outcome);
    }

    [Fact]
    public async Task An_edit_sends_the_gpt_image_fields_as_text_parts()
    {
        await using var h = await ClientHarness.StartAsync();
        var request = new EditRequest
        {
            Prompt = "remove the background", Model = "gpt-image-1", [BodyFields.ResponseFormat] = "b64_json",
            [BodyFields.Background] = "transparent", [BodyFields.InputFidelity] = "high", [BodyFields.OutputFormat] = "png", [BodyFields.OutputCompression] = 0,
        };
        request.Images.Add(InputImage.FromFile(TestImages.WritePng(h.Folder.Path, "in.png", 32, 32)));

        await h.Client().EditAsync(request, h.SaveHere("out"));

        var sent = Assert.Single(h.Server.Requests);
        Assert.Equal("transparent", sent.Field("background"));
        Assert.Equal("high", sent.Field("input_fidelity"));
        Assert.Equal("png", sent.Field("output_format"));
        Assert.Equal("0", sent.Field("output_compression"));
        Assert.Null(sent.Field("moderation"));
        Assert.Equal(new[] { "image" }, sent.Files.Select(f => f.FieldName).ToArray());
        Assert.Equal("200", sent.Outcome);
    }

    [Fact]
    public async Task Additional_fields_keep_their_types_in_json()
    {
        await using var h = await ClientHarness.StartAsync();
        var request = new GenerationRequest { Prompt = "a fox", [BodyFields.ResponseFormat] = "b64_json" };
        request.AdditionalFields["seed"] = 42;
        request.AdditionalFields["guidance"] = 7.5;
        request.AdditionalFields["watermark"] = false;
        request.AdditionalFields["tags"] = new List<object?> { "a", 1, true };
        request.AdditionalFields["extra_body"] = new Dictionary<string, object?> { ["aspect"] = "16:9", ["steps"] = 30L, ["inner"] = new Hashtable { ["x"] = null } };
        request.AdditionalFields["note"] = "中文 text";
        request.AdditionalFields["nothing"] = null;

        await h.Client().GenerateAsync(request, h.SaveHere());

        var sent = Assert.Single(h.Server.Requests);
        using var json = JsonDocument.Parse(sent.Json!);
        var root = json.RootElement;
        Assert.Equal(42, root.GetProperty("seed").GetInt32());
        Assert.Equal("42", root.GetProperty("seed").GetRawText());
        Assert.Equal(7.5, root.GetProperty("guidance").GetDouble());
        Assert.Equal(JsonValueKind.False, root.GetProperty("watermark").ValueKind);
        Assert.Equal("[\"a\",1,true]", root.GetProperty("tags").GetRawText());
        var nested = root.GetProperty("extra_body");
        Assert.Equal(JsonValueKind.Object, nested.ValueKind);
        Assert.Equal("16:9", nested.GetProperty("aspect").GetString());
        Assert.Equal(30, nested.GetProperty("steps").GetInt32());
        Assert.Equal(JsonValueKind.Null, nested.GetProperty("inner").GetProperty("x").ValueKind);
        Assert.Equal("中文 text", root.GetProperty("note").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("nothing").ValueKind);
        // The named fields are still there and come first, in the field table's order.
        Assert.Equal(new[] { "model", "prompt", "response_format" }, sent.Fields.Take(3).Select(f => f.Name).ToArray());
    }

    [Fact]
    public async Task Additional_fields_become_text_parts_in_an_edit_and_an_array_repeats_the_field()
    {
        await using var h = await ClientHarness.StartAsync();
        var request = new EditRequest { Prompt = "blend", [BodyFields.ResponseFormat] = "b64_json" };
        request.Images.Add(InputImage.FromFile(TestImages.WritePng(h.Folder.Path, "in.png")));
        request.AdditionalFields["seed"] = 7;
        request.AdditionalFields["strength"] = 0.25;
        request.AdditionalFields["watermark"] = true;
        request.AdditionalFields["tags[]"] = new object?[] { "a", "b", 3 };
        request.AdditionalFields["options"] = new Dictionary<string, object?> { ["k"] = 1 };
        request.AdditionalFields["left_out"] = null;

        await h.Client().EditAsync(request, h.SaveHere());

        var sent = Assert.Single(h.Server.Requests);
        Assert.Equal("7", sent.Field("seed"));
        Assert.Equal("0.25", sent.Field("strength"));
        Assert.Equal("true", sent.Field("watermark"));
        Assert.Equal(new[] { "a", "b", "3" }, sent.FieldValues("tags[]"));
        Assert.Equal("{\"k\":1}", sent.Field("options"));
        Assert.Null(sent.Field("left_out"));
    }

    [Fact]
    public async Task A_field_that_a_parameter_also_sets_is_refused_naming_both_and_nothing_is_sent()
    {
        await using var h = await ClientHarness.StartAsync();
        var request = new GenerationRequest { Prompt = "a fox", Quality = "high" };
        request.AdditionalFields["quality"] = "low";

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client().GenerateAsync(request, h.SaveHere()));

        Assert.Equal(TuZiErrorKind.InvalidInput, e.Kind);
        Assert.Contains("'quality'", e.Message);
        Assert.Contains("-AdditionalParameter", e.Message);
        Assert.Contains("-Quality", e.Message);
        Assert.Empty(h.Server.Requests);
    }

    [Theory]
    [InlineData("model", "-Model")]
    [InlineData("Prompt", "-Prompt")]
    [InlineData("stream", "-PartialImages")]
    public void Fields_that_are_always_or_also_set_conflict_whatever_their_case(string key, string parameter)
    {
        var request = new GenerationRequest { Prompt = "a fox", PartialImages = 2 };
        request.AdditionalFields[key] = "x";

        var e = Assert.Throws<TuZiImagesException>(request.Validate);

        Assert.Contains(parameter, e.Message);
        Assert.Contains($"'{key}'", e.Message);
    }

    [Fact]
    public void A_field_whose_parameter_was_not_given_is_not_a_conflict()
    {
        var request = new EditRequest { Prompt = "a fox" };
        request.Images.Add(InputImage.FromFile(TestImages.WritePng(Path.GetTempPath(), $"surface-{Guid.NewGuid():N}.png")));
        request.AdditionalFields["quality"] = "hd";
        request.AdditionalFields["background"] = "opaque";

        request.Validate();

        var e = Assert.Throws<TuZiImagesException>(() =>
        {
            request.AdditionalFields["mask"] = "x";
            request.Mask = request.Images[0];
            request.Validate();
        });
        Assert.Contains("-Mask", e.Message);
        File.Delete(request.Images[0].FullPath);
    }

    [Fact]
    public void A_value_with_no_json_form_is_refused_by_its_name()
    {
        var request = new GenerationRequest { Prompt = "a fox" };
        request.AdditionalFields["callback"] = new Action(() => { });

        var e = Assert.Throws<TuZiImagesException>(request.Validate);

        Assert.Equal(TuZiErrorKind.InvalidInput, e.Kind);
        Assert.Contains("'callback'", e.Message);
        Assert.Contains("System.Action", e.Message);

        request.AdditionalFields["callback"] = double.NaN;
        Assert.Contains("'callback'", Assert.Throws<TuZiImagesException>(request.Validate).Message);
    }

    [Theory]
    [InlineData("transparent", "jpeg")]
    [InlineData("Transparent", "JPEG")]
    [InlineData("transparent", "jpg")]
    public async Task Transparent_with_jpeg_is_refused_locally_and_nothing_is_sent(string background, string format)
    {
        await using var h = await ClientHarness.StartAsync();
        var request = new GenerationRequest { Prompt = "a sticker", [BodyFields.Background] = background, [BodyFields.OutputFormat] = format };

        var e = await Assert.ThrowsAsync<TuZiImagesException>(() => h.Client().GenerateAsync(request, h.SaveHere()));

        Assert.Equal(TuZiErrorKind.InvalidInput, e.Kind);
        Assert.Contains("transparent", e.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("JPEG", e.Message);
        Assert.Contains("png", e.RecommendedAction);
        Assert.Empty(h.Server.Requests);
    }

    [Theory]
    [InlineData(-1, null)]
    [InlineData(101, null)]
    [InlineData(null, 0)]
    [InlineData(null, 4)]
    public void Compression_and_preview_counts_outside_their_ranges_are_refused(int? compression, int? previews)
    {
        var request = new GenerationRequest { Prompt = "a fox", [BodyFields.OutputCompression] = compression, PartialImages = previews };
        Assert.Equal(TuZiErrorKind.InvalidInput, Assert.Throws<TuZiImagesException>(request.Validate).Kind);
    }

    [Fact]
    public async Task Extra_headers_go_to_the_api_but_not_to_result_hosts()
    {
        await using var h = await ClientHarness.StartAsync();
        var client = h.Client(o => o.AdditionalHeaders = new Dictionary<string, string> { ["X-Trace-Id"] = "trace-7", ["OpenAI-Organization"] = "org-1" });

        var response = await client.GenerateAsync(new GenerationRequest { Prompt = "a fox" }, h.SaveHere());

        var sent = Assert.Single(h.Server.Requests);
        Assert.Equal("trace-7", sent.Header("X-Trace-Id"));
        Assert.Equal("org-1", sent.Header("OpenAI-Organization"));
        Assert.Equal("Bearer " + ClientHarness.ApiKey, sent.Header("Authorization"));
        var download = Assert.Single(h.Server.Downloads);
        Assert.Null(download.Header("X-Trace-Id"));
        Assert.True(File.Exists(Assert.Single(response.Images).FullName));
    }

    [Fact]
    public async Task A_header_name_with_spaces_around_it_is_sent_under_the_name_that_was_checked()
    {
        await using var h = await ClientHarness.StartAsync();
        var client = h.Client(o => o.AdditionalHeaders = new Dictionary<string, string> { [" X-Trace-Id "] = "trace-7" });

        await client.GenerateAsync(new GenerationRequest { Prompt = "a fox", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere());

        Assert.Equal("trace-7", Assert.Single(h.Server.Requests).Header("X-Trace-Id"));
    }

    [Theory]
    [InlineData("Authorization")]
    [InlineData("authorization")]
    [InlineData("Proxy-Authorization")]
    public void An_authorization_header_is_refused_with_a_pointer_to_the_api_key(string name)
    {
        var options = new TuZiClientOptions { ApiKey = ClientHarness.ApiKey, AdditionalHeaders = new Dictionary<string, string> { [name] = "Bearer sk-other" } };

        var e = Assert.Throws<TuZiImagesException>(() => new TuZiImagesClient(options));

        Assert.Equal(TuZiErrorKind.Configuration, e.Kind);
        Assert.Contains(name, e.Message);
        Assert.Contains("-ApiKey", e.Message);
        Assert.DoesNotContain("sk-other", e.Message);
    }

    [Theory]
    [InlineData("Content-Type", "text/plain")]
    [InlineData("Bad Name", "x")]
    [InlineData("X-Ok", "line\r\nInjected: yes")]
    public void Headers_that_would_corrupt_the_request_are_refused(string name, string value)
    {
        var options = new TuZiClientOptions { ApiKey = ClientHarness.ApiKey, AdditionalHeaders = new Dictionary<string, string> { [name] = value } };
        Assert.Equal(TuZiErrorKind.Configuration, Assert.Throws<TuZiImagesException>(() => new TuZiImagesClient(options)).Kind);
    }

    [Fact]
    public void A_header_value_that_is_not_ascii_is_refused_before_anything_is_sent()
    {
        // HttpClient would refuse it on every attempt as a connection failure ("Could not reach"), retried in vain.
        var options = new TuZiClientOptions { ApiKey = ClientHarness.ApiKey, AdditionalHeaders = new Dictionary<string, string> { ["X-Job"] = "任务7" } };

        var e = Assert.Throws<TuZiImagesException>(() => new TuZiImagesClient(options));

        Assert.Equal(TuZiErrorKind.Configuration, e.Kind);
        Assert.Contains("X-Job", e.Message);
        Assert.Contains("ASCII", e.Message);
    }

    [Fact]
    public async Task A_gpt_image_answer_puts_its_usage_and_settings_on_every_result_and_the_extension_comes_from_the_bytes()
    {
        await using var h = await ClientHarness.StartAsync();
        var request = new GenerationRequest { Prompt = "two foxes", Model = "gpt-image-1.5", Count = 2, Quality = "medium", Size = "1536x1024", [BodyFields.OutputFormat] = "jpeg", [BodyFields.ResponseFormat] = "b64_json" };

        var response = await h.Client().GenerateAsync(request, h.SaveHere("fox"));

        Assert.Equal(2, response.Images.Count);
        Assert.All(response.Images, image =>
        {
            Assert.Equal("jpeg", image.OutputFormat);
            Assert.Equal("medium", image.Quality);
            Assert.Equal("1536x1024", image.ReportedSize);
            Assert.Equal("opaque", image.Background);
            Assert.Equal(".jpg", Path.GetExtension(image.FullName));
            var usage = image.Usage!;
            Assert.Equal(2 * 1056, usage.OutputTokens);
            Assert.Equal(usage.InputTokens + usage.OutputTokens, usage.TotalTokens);
            Assert.Equal(usage.InputTokens, usage.InputTokensDetails!["text_tokens"] + usage.InputTokensDetails["image_tokens"]);
        });
    }

    [Fact]
    public async Task A_gemini_answer_has_no_usage()
    {
        await using var h = await ClientHarness.StartAsync();

        var response = await h.Client().GenerateAsync(new GenerationRequest { Prompt = "a fox", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere());

        var image = Assert.Single(response.Images);
        Assert.Null(image.Usage);
        Assert.Null(image.OutputFormat);
        Assert.Empty(image.Previews);
    }

    [Theory]
    [InlineData("medium")]
    [InlineData("auto")]
    [InlineData("hd")]
    [InlineData("standard")]
    public void Quality_words_of_other_models_pass_unchanged(string quality)
    {
        Assert.Equal(quality, ImageSizes.NormalizeQuality(quality));
        Assert.Equal(quality, ImageSizes.NormalizeQuality(" " + quality.ToUpperInvariant() + " "));
    }
}
