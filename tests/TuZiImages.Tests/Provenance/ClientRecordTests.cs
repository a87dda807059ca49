using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using TuZiImages.Core;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Provenance;
using TuZiImages.Core.Requests;
using TuZiImages.TestServer;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Provenance;

/// <summary>The record through the client, against the fake service's images of each format: what reaches the disk.</summary>
public class ClientRecordTests
{
    private static GenerationRequest Fox(string prompt = "a red fox") => new() { Prompt = prompt, Size = "40x24", [BodyFields.ResponseFormat] = "b64_json" };

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    [InlineData("webp")]
    public async Task Each_served_format_is_saved_with_its_record_and_the_services_image_data(string format)
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Format = format, Times = 0, RequestId = "req_fixed" });
        var client = h.Client();

        var served = Assert.Single((await client.GenerateAsync(Fox(), h.SaveHere("served", MetadataMode.None))).Images);
        var image = Assert.Single((await client.GenerateAsync(Fox(), h.SaveHere("recorded", MetadataMode.Embed))).Images);

        byte[] exact = File.ReadAllBytes(served.FullName!);
        Assert.Equal(h.Server.Requests[0].ImageSha256.Single(), ClientHarness.Sha256(served.FullName!));
        Assert.Equal(ImageBytes.ImageData(exact), ImageBytes.ImageData(File.ReadAllBytes(image.FullName!)));
        Assert.Equal(new FileInfo(image.FullName!).Length, image.Length);
        Assert.Equal((40, 24), (image.Width, image.Height));
        var read = IndependentReader.Of(image.FullName!);
        Assert.Equal("a red fox", read.Description);
        Assert.Equal("40x24", read.Field("size"));
        Assert.Equal("req_fixed", read.Own("RequestId"));
        Assert.Equal($"127.0.0.1:{h.Server.ApiBaseAddress.Port}", read.Own("Service"));
        Assert.Equal(image.Created, ImageInfoReader.Read(image.FullName!).Created);
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    [InlineData("webp")]
    public async Task An_image_with_content_credentials_is_saved_byte_for_byte_with_its_record_beside_it(string format)
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Format = format, ContentCredentials = true });

        var image = Assert.Single((await h.Client().GenerateAsync(Fox(), h.SaveHere("signed", MetadataMode.Embed))).Images);

        Assert.Equal(h.Server.Requests.Single().ImageSha256.Single(), ClientHarness.Sha256(image.FullName!));
        Assert.True(image.HasContentCredentials);
        var info = ImageInfoReader.Read(image.FullName!);
        Assert.Equal(RecordSources.Sidecar, info.RecordSource);
        Assert.Equal("a red fox", info.Prompt);
        Assert.True(info.HasContentCredentials);
    }

    [Fact]
    public async Task With_metadata_none_an_image_with_content_credentials_still_says_so_and_gets_no_sidecar()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Format = "png", ContentCredentials = true });

        var image = Assert.Single((await h.Client().GenerateAsync(Fox(), h.SaveHere("signed", MetadataMode.None))).Images);

        // As a -SkipExisting result for the same file says: the flag is what the file carries, not whether a record was written.
        Assert.True(image.HasContentCredentials);
        Assert.Equal(new[] { "signed.png" }, h.Folder.FileNames());
    }

    [Fact]
    public async Task A_gif_is_saved_as_served_with_its_record_in_a_sidecar()
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Format = "gif" });

        var image = Assert.Single((await h.Client().GenerateAsync(Fox(), h.SaveHere("anim", MetadataMode.Embed))).Images);

        Assert.Equal(h.Server.Requests.Single().ImageSha256.Single(), ClientHarness.Sha256(image.FullName!));
        Assert.False(image.HasContentCredentials);
        Assert.Equal(new[] { "anim.gif", "anim.xmp" }, h.Folder.FileNames());
    }

    /// <summary>
    /// The key, in every place it could come from: typed into the prompt and a field, a header, a reference image's
    /// name, and echoed by the server in the revised prompt and the request id. No saved byte may hold it.
    /// </summary>
    [Theory]
    [InlineData("png", false)]
    [InlineData("jpeg", false)]
    [InlineData("webp", true)]
    public async Task The_key_is_in_no_saved_byte_wherever_it_was_put(string format, bool credentials)
    {
        await using var h = await ClientHarness.StartAsync();
        string key = ClientHarness.ApiKey;
        h.Server.EnqueueFault(new FaultSpec { Format = format, RevisedPrompt = "revised with " + key, RequestId = "req-" + key, ContentCredentials = credentials });
        string reference = h.Folder.Combine("ref-" + key + ".png");
        File.WriteAllBytes(reference, TestImages.Png(4, 4));
        var request = Fox("a fox, key " + key);
        request.AdditionalFields["note"] = key;
        request.AdditionalFields["nested"] = new Dictionary<string, object?> { ["deep"] = new List<object?> { key } };
        request.GivenParameters["Quality"] = key;
        request.ReferenceImages.Add(ReferenceImage.FromFile(InputImage.FromFile(reference)));
        var client = h.Client(o => o.AdditionalHeaders = new Dictionary<string, string> { ["X-Trace-Id"] = key });

        var image = Assert.Single((await client.GenerateAsync(request, h.SaveHere("leak", MetadataMode.Embed))).Images);

        // The record was written (so there was somewhere for the key to go), and the key went nowhere.
        var info = ImageInfoReader.Read(image.FullName!);
        Assert.Equal(credentials ? RecordSources.Sidecar : RecordSources.Embedded, info.RecordSource);
        Assert.Contains("a fox, key", info.Prompt);
        Assert.Equal("req-***", info.RequestId);
        foreach (string file in Directory.GetFiles(h.Folder.Path).Where(f => !f.Contains("ref-")))
        {
            byte[] bytes = File.ReadAllBytes(file);
            Assert.False(Contains(bytes, Encoding.UTF8.GetBytes(key)), $"{Path.GetFileName(file)} holds the key");
            Assert.False(Contains(bytes, Encoding.Unicode.GetBytes(key)), $"{Path.GetFileName(file)} holds the key in UTF-16");
        }
        Assert.Equal(credentials ? 3 : 2, Directory.GetFiles(h.Folder.Path).Length);
    }

    private static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;
}
