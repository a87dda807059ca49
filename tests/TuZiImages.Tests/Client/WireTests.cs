using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Requests;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Client;

/// <summary>Every field of both endpoints reaches the service intact, over real HTTP.</summary>
public class WireTests
{
    [Fact]
    public async Task A_generation_carries_every_field_and_its_reference_images()
    {
        // A model of no family the table knows, so every field goes as given (which a family would refuse or reroute).
        await using var h = await ClientHarness.StartAsync();
        string reference = TestImages.WritePng(h.Folder.Path, "ref.png", 40, 30, 9);
        var request = new GenerationRequest
        {
            Prompt = "一只红狐狸, poster", Model = "an-image-model-of-tomorrow", Count = 2, Size = "1536x1024", Quality = "high",
            [BodyFields.ResponseFormat] = "b64_json", [BodyFields.Style] = "vivid", [BodyFields.User] = "user-42",
        };
        request.ReferenceImages.Add(ReferenceImage.FromFile(InputImage.FromFile(reference)));
        request.ReferenceImages.Add(ReferenceImage.FromUrl("https://images.example/ref.jpg"));

        var response = await h.Client().GenerateAsync(request, h.SaveHere("fox"));

        var sent = Assert.Single(h.Server.Requests);
        Assert.Equal("/v1/images/generations", sent.Path);
        Assert.Equal("Bearer " + ClientHarness.ApiKey, sent.Header("Authorization"));
        Assert.StartsWith("application/json", sent.ContentType);
        Assert.False(sent.ChunkedTransfer);
        using var json = JsonDocument.Parse(sent.Json!);
        Assert.Equal(JsonValueKind.Number, json.RootElement.GetProperty("n").ValueKind);
        Assert.Equal("一只红狐狸, poster", sent.Field("prompt"));
        Assert.Equal("an-image-model-of-tomorrow", sent.Field("model"));
        Assert.Equal("2", sent.Field("n"));
        Assert.Equal("1536x1024", sent.Field("size"));
        Assert.Equal("high", sent.Field("quality"));
        Assert.Equal("b64_json", sent.Field("response_format"));
        Assert.Equal("vivid", sent.Field("style"));
        Assert.Equal("user-42", sent.Field("user"));
        var file = Assert.Single(sent.Files);
        Assert.Equal(ClientHarness.Sha256(reference), file.Sha256);
        Assert.Equal("image/png", file.SniffedContentType);
        Assert.Equal(new[] { "https://images.example/ref.jpg" }, sent.ImageUrls);

        Assert.Equal(2, response.Images.Count);
        Assert.All(response.Images, image =>
        {
            Assert.Equal((1536, 1024), (image.Width, image.Height));
            Assert.Equal("image/png", image.ContentType);
            Assert.Equal("an-image-model-of-tomorrow", image.Model);
            Assert.True(File.Exists(image.FullName));
            Assert.Equal(new FileInfo(image.FullName!).Length, image.Length);
            Assert.Equal(new[] { reference }, image.InputImages);
            Assert.Equal(sent.ResponseRequestId, image.RequestId);
        });
        Assert.Equal(new[] { "fox-1.png", "fox-2.png" }, h.Folder.FileNames().Where(n => n.StartsWith("fox")).ToArray());
    }

    [Fact]
    public async Task Unset_fields_are_left_out_and_the_default_model_is_sent()
    {
        await using var h = await ClientHarness.StartAsync();

        await h.Client().GenerateAsync(new GenerationRequest { Prompt = "a red fox", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere());

        var sent = Assert.Single(h.Server.Requests);
        Assert.Equal(new[] { "model", "prompt", "response_format" }, sent.Fields.Select(f => f.Name).ToArray());
        Assert.Equal("gemini-3-pro-image-preview", sent.Field("model"));
    }

    [Fact]
    public async Task An_edit_sends_two_images_and_a_mask_as_files_and_the_rest_as_text()
    {
        await using var h = await ClientHarness.StartAsync();
        string first = TestImages.WritePng(h.Folder.Path, "cat one.png", 64, 64, 1);
        string second = TestImages.WritePng(h.Folder.Path, "狗.png", 32, 48, 2);
        string mask = TestImages.WritePng(h.Folder.Path, "mask.png", 64, 64, 0);
        var request = new EditRequest
        {
            Prompt = "merge them", Count = 3, Size = "16x9", Quality = "4k", [BodyFields.ResponseFormat] = "b64_json", [BodyFields.User] = "u1",
            Mask = InputImage.FromFile(mask),
        };
        request.Images.Add(InputImage.FromFile(first));
        request.Images.Add(InputImage.FromFile(second));

        var response = await h.Client().EditAsync(request, h.SaveHere("merged"));

        var sent = Assert.Single(h.Server.Requests);
        Assert.Equal("/v1/images/edits", sent.Path);
        Assert.StartsWith("multipart/form-data; boundary=", sent.ContentType);
        Assert.False(sent.ChunkedTransfer);
        Assert.Equal(new[] { "image", "image", "mask" }, sent.Files.Select(f => f.FieldName).ToArray());
        Assert.Equal(new[] { "cat one.png", "狗.png", "mask.png" }, sent.Files.Select(f => f.FileName).ToArray());
        Assert.Equal(new[] { first, second, mask }.Select(ClientHarness.Sha256).ToArray(), sent.Files.Select(f => f.Sha256).ToArray());
        Assert.Equal(new[] { first, second, mask }.Select(p => new FileInfo(p).Length).ToArray(), sent.Files.Select(f => f.Length).ToArray());
        Assert.All(sent.Files, f => Assert.Equal("image/png", f.ContentType));
        Assert.Equal("gemini-3-pro-image-preview", sent.Field("model"));
        Assert.Equal("merge them", sent.Field("prompt"));
        Assert.Equal("3", sent.Field("n"));
        Assert.Equal("16x9", sent.Field("size"));
        Assert.Equal("4k", sent.Field("quality"));
        Assert.Equal("b64_json", sent.Field("response_format"));
        Assert.Equal("u1", sent.Field("user"));

        Assert.Equal(3, response.Images.Count);
        Assert.All(response.Images, i => Assert.Equal((4096, 2304), (i.Width, i.Height)));
        Assert.All(response.Images, i => Assert.Equal("Edit", i.Operation));
    }

    [Fact]
    public async Task A_jpeg_input_is_sent_as_jpeg_whatever_its_name()
    {
        await using var h = await ClientHarness.StartAsync();
        var jpeg = TestImages.JpegHeader(8, 8);
        string misnamed = h.Folder.Combine("photo.png");
        File.WriteAllBytes(misnamed, jpeg);
        var request = new EditRequest { Prompt = "sharpen", [BodyFields.ResponseFormat] = "b64_json" };
        request.Images.Add(InputImage.FromFile(misnamed));

        await h.Client().EditAsync(request, h.SaveHere());

        Assert.Equal("image/jpeg", Assert.Single(Assert.Single(h.Server.Requests).Files).ContentType);
    }
}
