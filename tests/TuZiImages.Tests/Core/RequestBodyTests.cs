using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text.Json;
using System.Text;
using System.Threading.Tasks;
using System;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Requests;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Core;

public class RequestBodyTests
{
    private static async Task<byte[]> Serialize(HttpContent content)
    {
        var bytes = await content.ReadAsByteArrayAsync();
        Assert.Equal(content.Headers.ContentLength, bytes.Length); // the announced length is exact: no chunked upload
        return bytes;
    }

    [Fact]
    public async Task A_generation_sends_only_the_fields_set_with_n_as_an_integer()
    {
        var request = new GenerationRequest { Prompt = "一只狐狸 \"quoted\"", Count = 2, Size = "16x9", Quality = "4k" };
        var content = request.Plan("gemini-3-pro-image-preview").Content();

        using var json = JsonDocument.Parse(await Serialize(content));

        var root = json.RootElement;
        Assert.Equal("一只狐狸 \"quoted\"", root.GetProperty("prompt").GetString());
        Assert.Equal("gemini-3-pro-image-preview", root.GetProperty("model").GetString());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("n").ValueKind);
        Assert.Equal(2, root.GetProperty("n").GetInt32());
        Assert.Equal("16x9", root.GetProperty("size").GetString());
        Assert.Equal("4k", root.GetProperty("quality").GetString());
        // The field table's order, the same as the multipart body's.
        Assert.Equal(new[] { "model", "prompt", "n", "size", "quality" }, root.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal("application/json", content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Reference_files_become_data_urls_and_urls_pass_unchanged()
    {
        using var folder = new TempDirectory();
        var big = TestImages.Png(700, 500, 3);
        File.WriteAllBytes(folder.Combine("big.png"), big);
        var request = new GenerationRequest { Prompt = "in this style" };
        request.ReferenceImages.Add(ReferenceImage.FromFile(InputImage.FromFile(folder.Combine("big.png"))));
        request.ReferenceImages.Add(ReferenceImage.FromUrl("https://example.com/ref.jpg?a=1&b=\"2\""));

        using var json = JsonDocument.Parse(await Serialize(request.Plan("m").Content()));

        var images = json.RootElement.GetProperty("image").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(2, images.Length);
        Assert.StartsWith("data:image/png;base64,", images[0]);
        Assert.Equal(big, Convert.FromBase64String(images[0]["data:image/png;base64,".Length..]));
        Assert.Equal("https://example.com/ref.jpg?a=1&b=\"2\"", images[1]);
    }

    [Fact]
    public async Task An_edit_is_multipart_with_one_part_per_image_and_every_field_as_text()
    {
        using var folder = new TempDirectory();
        var first = TestImages.Png(10, 10, 1);
        var second = TestImages.Png(20, 10, 2);
        var mask = TestImages.Png(10, 10, 0);
        File.WriteAllBytes(folder.Combine("图 1.png"), first);
        File.WriteAllBytes(folder.Combine("b\"2\".png"), second);
        File.WriteAllBytes(folder.Combine("mask.png"), mask);
        var content = new MultipartFormContent();
        content.AddText("prompt", "merge ✨");
        content.AddFile("image", InputImage.FromFile(folder.Combine("图 1.png")));
        content.AddFile("image", InputImage.FromFile(folder.Combine("b\"2\".png")));
        content.AddFile("mask", InputImage.FromFile(folder.Combine("mask.png")));
        content.AddText("n", "2");

        var body = await Serialize(content);

        string boundary = HeaderUtilities.RemoveQuotes(MediaTypeHeaderValue.Parse(content.Headers.ContentType!.ToString()).Boundary).Value!;
        var reader = new MultipartReader(boundary, new MemoryStream(body));
        var parts = new System.Collections.Generic.List<(string Name, string? FileName, string? Type, byte[] Data)>();
        while (await reader.ReadNextSectionAsync() is { } section)
        {
            var disposition = ContentDispositionHeaderValue.Parse(section.ContentDisposition);
            using var data = new MemoryStream();
            await section.Body.CopyToAsync(data);
            parts.Add((disposition.Name.Value!, disposition.FileName.HasValue ? HeaderUtilities.RemoveQuotes(disposition.FileName).Value : null, section.ContentType, data.ToArray()));
        }

        Assert.Equal(new[] { "prompt", "image", "image", "mask", "n" }, parts.Select(p => p.Name).ToArray());
        Assert.Equal("merge ✨", Encoding.UTF8.GetString(parts[0].Data));
        Assert.Equal("图 1.png", parts[1].FileName);
        Assert.Equal("b%222%22.png", parts[2].FileName);
        Assert.Equal(new[] { first, second, mask }, parts.Skip(1).Take(3).Select(p => p.Data).ToArray());
        Assert.All(parts.Skip(1).Take(3), p => Assert.Equal("image/png", p.Type));
        Assert.Equal("2", Encoding.UTF8.GetString(parts[4].Data));
    }
}
