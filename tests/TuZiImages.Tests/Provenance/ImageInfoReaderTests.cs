using System;
using System.Collections;
using System.IO;
using System.Linq;
using TuZiImages.Core;
using TuZiImages.Core.Provenance;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Provenance;

/// <summary>Get-TuZiImageInfo's reading, without PowerShell: the module's records, other tools', none, and files that are no image.</summary>
public class ImageInfoReaderTests
{
    [Theory]
    [InlineData("image.png")]
    [InlineData("exif.jpg")]
    [InlineData("lossy.webp")]
    [InlineData("lossless.webp")]
    public void The_record_reads_back_as_parameters_with_their_types(string fixture)
    {
        using var folder = new TempDirectory();
        var (path, _) = RecordSamples.SaveFixture(folder.Path, fixture);

        var info = ImageInfoReader.Read(path);

        Assert.Equal(RecordSources.Embedded, info.RecordSource);
        Assert.Equal(path, info.RecordPath);
        Assert.Equal(Path.GetFileName(path), info.Name);
        Assert.Equal(RecordSamples.Prompt, info.Prompt);
        Assert.Equal("a red fox, revised", info.RevisedPrompt);
        Assert.Equal("gemini-3-pro-image-preview", info.Model);
        // As given: the ratio, not the 16x9 it was sent as, so another model works out its own size.
        Assert.Equal("16:9", info.AspectRatio);
        Assert.Null(info.Size);
        Assert.Equal("2k", info.Quality);
        Assert.Equal("transparent", info.Parameters["Background"]);
        Assert.Equal(80, info.Parameters["OutputCompression"]);
        Assert.IsType<int>(info.Parameters["OutputCompression"]);
        Assert.False(info.Parameters.ContainsKey("Count"));
        var additional = info.AdditionalParameter!;
        Assert.Equal(new object?[] { "extra", "label", "seed", "style preset", "watermark" }, additional.Keys.Cast<object?>());
        Assert.IsType<int>(additional["seed"]);
        Assert.Equal(42, additional["seed"]);
        Assert.Equal(false, additional["watermark"]);
        Assert.Equal("42", additional["label"]);
        Assert.Equal("a, b: c", additional["style preset"]);
        var extra = Assert.IsAssignableFrom<IDictionary>(additional["extra"]);
        Assert.Equal(2, extra["depth"]);
        Assert.Equal(new object?[] { "x", 1 }, (object?[])extra["tags"]!);
        Assert.Equal(1, info.Fields["n"]);
        Assert.Equal("16x9", info.Fields["size"]);
        Assert.Equal(RecordSamples.Created, info.Created);
        Assert.Equal("req_123", info.RequestId);
        Assert.Equal("task_456", info.TaskId);
        Assert.Equal("Generate", info.Operation);
        Assert.Equal("api.example.test:8443", info.Service);
        Assert.Equal("TuZiImages " + ImageRecord.ModuleVersion, info.CreatorTool);
        Assert.Equal(new RecordedInput("ReferenceImage", "image.png", ClientHarness.Sha256(ImageBytes.Fixture("image.png"))), info.InputImages[0]);
        Assert.False(info.HasContentCredentials);
    }

    [Fact]
    public void A_stable_diffusion_parameters_text_is_read_as_far_as_it_goes()
    {
        var info = ImageInfoReader.Read(ImageBytes.Fixture("parameters.png"));

        Assert.Equal(RecordSources.Parameters, info.RecordSource);
        Assert.Equal("a castle at dusk, oil painting", info.Prompt);
        Assert.Equal("sd_xl_base_1.0", info.Model);
        Assert.Equal("512x768", info.Size);
        Assert.Equal("1234", info.Fields["Seed"]);
        Assert.Equal("Euler a", info.Fields["Sampler"]);
    }

    [Fact]
    public void Another_tools_xmp_description_is_read_as_the_prompt()
    {
        var info = ImageInfoReader.Read(ImageBytes.Fixture("xmp.png"));

        Assert.Equal(RecordSources.Xmp, info.RecordSource);
        Assert.Equal("An older description", info.Prompt);
        Assert.Null(info.Model);
    }

    [Theory]
    [InlineData("image.png", false)]
    [InlineData("c2pa.jpg", true)]
    public void An_image_without_a_record_says_so(string fixture, bool credentials)
    {
        var info = ImageInfoReader.Read(ImageBytes.Fixture(fixture));

        Assert.Equal(RecordSources.None, info.RecordSource);
        Assert.False(info.HasRecord);
        Assert.Null(info.Prompt);
        Assert.Null(info.RecordPath);
        Assert.Equal(credentials, info.HasContentCredentials);
    }

    [Theory]
    [InlineData("notes.txt", "hello", "is not a PNG, JPEG, WebP or GIF image")]
    [InlineData("fox.xmp", "<x:xmpmeta/>", "is an XMP sidecar, not an image")]
    [InlineData("cut.png", "cut", "is damaged: it is cut off")]
    [InlineData("missing.png", null, "does not exist")]
    public void A_file_that_is_no_readable_image_is_an_error_naming_it(string name, string? content, string message)
    {
        using var folder = new TempDirectory();
        string path = folder.Combine(name);
        if (content == "cut")
        {
            File.WriteAllBytes(path, File.ReadAllBytes(ImageBytes.Fixture("image.png")).Take(60).ToArray());
        }
        else if (content is not null)
        {
            File.WriteAllText(path, content);
        }

        var error = Assert.Throws<TuZiImagesException>(() => ImageInfoReader.Read(path));

        Assert.Equal(TuZiErrorKind.InvalidInput, error.Kind);
        Assert.Contains(path, error.Message);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Text_xml_cannot_carry_is_replaced_and_line_breaks_survive()
    {
        var record = new ImageRecord { Prompt = "bell\u0007 and\r\nbreak\ttab \U0001F98A", Fields = new[] { new RecordField("2k wide", "null") } };

        var (read, description) = XmpRecord.Read(System.Text.Encoding.UTF8.GetString(XmpRecord.Write(record, null)));

        Assert.Equal("bell\uFFFD and\r\nbreak\ttab \U0001F98A", description);
        Assert.Equal("2k wide", read!.Fields.Single().Name);
        Assert.Equal("null", read.Fields.Single().Value);
    }
}
