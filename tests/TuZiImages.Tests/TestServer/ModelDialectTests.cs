using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using TuZiImages.Core.Imaging;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.TestServer;

/// <summary>
/// The fake service speaks each family's dialect, over plain HTTP past the client: a client that sends a family the
/// wrong one gets what the real service would answer. What the dialect tests of the client stand on.
/// </summary>
public class ModelDialectTests
{
    [Theory]
    [InlineData("{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"image\":[\"https://images.example/a.png\"]}", 400, "image")]
    [InlineData("{\"model\":\"gpt-image-2\",\"prompt\":\"x\",\"seed\":42}", 400, "seed")]
    [InlineData("{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"seed\":42}", 400, "seed")]
    [InlineData("{\"model\":\"dall-e-3\",\"prompt\":\"x\",\"background\":\"opaque\"}", 400, "background")]
    [InlineData("{\"model\":\"gpt-image-1\",\"prompt\":\"x\",\"background\":\"opaque\",\"moderation\":\"low\",\"stream\":false}", 200, null)]
    [InlineData("{\"model\":\"gemini-3-pro-image-preview\",\"prompt\":\"x\",\"seed\":42,\"background\":\"opaque\"}", 200, null)]
    [InlineData("{\"model\":\"doubao-seedream-4-5-251128\",\"prompt\":\"x\",\"seed\":42}", 200, null)]
    public async Task OpenAIs_models_refuse_a_parameter_they_do_not_know_and_the_others_ignore_it(string body, int status, string? param)
    {
        await using var h = await ClientHarness.StartAsync();
        using var raw = new RawServerClient(h.Server.ApiBaseAddress);

        using var answer = await raw.Http.SendAsync(Post("v1/images/generations", new StringContent(body, Encoding.UTF8, "application/json")));

        Assert.Equal(status, (int)answer.StatusCode);
        if (param is not null)
        {
            var error = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("error");
            Assert.Equal("unknown_parameter", error.GetProperty("code").GetString());
            Assert.Equal(param, error.GetProperty("param").GetString());
        }
    }

    [Theory]
    [InlineData("\"size\":\"1024x1024\",\"aspect_ratio\":\"16:9\"", 200, 1024, 576)]
    [InlineData("\"size\":\"16x9\"", 200, 1024, 1024)]
    [InlineData("\"aspect_ratio\":\"9:21\"", 200, 439, 1024)]
    [InlineData("\"aspect_ratio\":\"3:1\"", 400, 0, 0)]
    [InlineData("\"aspect_ratio\":\"16:9\",\"output_format\":\"webp\"", 400, 0, 0)]
    public async Task Flux_ignores_size_and_makes_the_shape_of_its_aspect_ratio(string fields, int status, int width, int height)
    {
        await using var h = await ClientHarness.StartAsync();
        using var raw = new RawServerClient(h.Server.ApiBaseAddress);
        string body = $"{{\"model\":\"flux-kontext-pro\",\"prompt\":\"x\",\"response_format\":\"b64_json\",{fields}}}";

        using var answer = await raw.Http.SendAsync(Post("v1/images/generations", new StringContent(body, Encoding.UTF8, "application/json")));

        Assert.Equal(status, (int)answer.StatusCode);
        if (status == 200)
        {
            var image = JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("data")[0].GetProperty("b64_json").GetString()!;
            var bytes = System.Convert.FromBase64String(image);
            var format = ImageFormat.Sniff(bytes);
            Assert.Same(ImageFormat.Jpeg, format); // FLUX's default format
            Assert.Equal((width, height), ImageDimensions.Read(new MemoryStream(bytes), format!));
        }
    }

    [Theory]
    [InlineData(16, 1024, 200, null)]
    [InlineData(17, 1024, 400, "array_above_max_length")]
    [InlineData(1, 50L * 1024 * 1024, 400, "image_too_large")]
    public async Task Gpt_image_takes_at_most_16_images_under_50_MB_each(int count, long bytes, int status, string? code)
    {
        await using var h = await ClientHarness.StartAsync();
        using var raw = new RawServerClient(h.Server.ApiBaseAddress);
        string path = TestImages.WritePng(h.Folder.Path, "in.png", 8, 8, 1);
        using (var file = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            file.SetLength(bytes); // a PNG header and a hole: any length, written at once
        }
        using var form = new MultipartFormDataContent { { new StringContent("gpt-image-1"), "model" }, { new StringContent("merge"), "prompt" } };
        for (int i = 0; i < count; i++)
        {
            var part = new StreamContent(File.OpenRead(path));
            part.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            form.Add(part, "image", $"in{i}.png");
        }

        using var answer = await raw.Http.SendAsync(Post("v1/images/edits", form));

        Assert.Equal(status, (int)answer.StatusCode);
        if (code is not null)
        {
            Assert.Equal(code, JsonDocument.Parse(await answer.Content.ReadAsStringAsync()).RootElement.GetProperty("error").GetProperty("code").GetString());
        }
    }

    [Fact]
    public async Task The_task_API_ignores_fields_it_does_not_know()
    {
        await using var h = await ClientHarness.StartAsync();
        using var raw = new RawServerClient(h.Server.ApiBaseAddress);
        using var form = new MultipartFormDataContent
        {
            { new StringContent("gemini-3-pro-image-preview-async"), "model" }, { new StringContent("x"), "prompt" },
            { new StringContent("16:9"), "size" }, { new StringContent("transparent"), "background" }, { new StringContent("7"), "seed" },
        };

        using var answer = await raw.Http.SendAsync(Post("v1/videos", form));

        Assert.Equal(200, (int)answer.StatusCode);
        Assert.Equal("16:9", Assert.Single(h.Server.Tasks.Snapshot()).Size);
    }

    private static HttpRequestMessage Post(string path, HttpContent content) =>
        new(HttpMethod.Post, path) { Content = content, Headers = { { "Authorization", "Bearer k" } } };
}
