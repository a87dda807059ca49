using System;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Requests;
using TuZiImages.TestServer;
using TuZiImages.Tests.Provenance;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.TestServer;

/// <summary>The fake's Content Credentials, read by the tests' own reader: each format's place, and a file that is still whole.</summary>
public class ContentCredentialsTests
{
    [Theory]
    [InlineData("png", "caBX")]
    [InlineData("jpeg", "APP11")]
    [InlineData("webp", "C2PA")]
    public async Task Each_format_carries_a_c2pa_store_where_that_format_puts_it(string format, string place)
    {
        await using var h = await ClientHarness.StartAsync();
        h.Server.EnqueueFault(new FaultSpec { Format = format });

        var image = Assert.Single((await h.Client().GenerateAsync(
            new GenerationRequest { Prompt = "signed [c2pa]", Size = "40x24", [BodyFields.ResponseFormat] = "b64_json" }, h.SaveHere())).Images);

        byte[] bytes = File.ReadAllBytes(image.FullName!);
        var names = format switch
        {
            "png" => ImageBytes.PngChunks(bytes).Select(c => c.Type).ToList(), // checks every CRC and the end
            "jpeg" => ImageBytes.JpegSegments(bytes),
            _ => ImageBytes.WebPChunks(bytes).Select(c => c.Type).ToList(), // checks the RIFF size
        };
        Assert.Contains(place, names);
        Assert.True(bytes.AsSpan().IndexOf("c2pa"u8) > 0);
        Assert.Equal((40, 24), (image.Width, image.Height));
    }
}
