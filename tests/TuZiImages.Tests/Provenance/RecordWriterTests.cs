using System;
using System.IO;
using System.Linq;
using System.Text;
using TuZiImages.Core.Provenance;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Provenance;

/// <summary>
/// The record written into files made by real encoders (see Fixtures/make-fixtures.sh), read back by an independent
/// reader (MetadataExtractor) and by the module's own; the image data is the encoder's, byte for byte.
/// </summary>
public class RecordWriterTests
{
    public static TheoryData<string> Encoded => new()
    {
        "image.png", "image.jpg", "exif.jpg", "nojfif.jpg", "lossy.webp", "lossless.webp", "lossless-alpha.webp", "lossy-alpha.webp",
    };

    [Theory]
    [MemberData(nameof(Encoded))]
    public void Every_field_reads_back_through_an_independent_reader_and_the_image_data_is_untouched(string fixture)
    {
        using var folder = new TempDirectory();
        byte[] served = File.ReadAllBytes(ImageBytes.Fixture(fixture));

        var (path, file) = RecordSamples.SaveFixture(folder.Path, fixture);

        Assert.Null(file.RecordWarning);
        byte[] saved = File.ReadAllBytes(path);
        Assert.NotEqual(served, saved);
        Assert.Equal(ImageBytes.ImageData(served), ImageBytes.ImageData(saved));
        var read = IndependentReader.Of(path);
        Assert.Equal(RecordSamples.Prompt, read.Description);
        Assert.Equal("TuZiImages " + ImageRecord.ModuleVersion, read.CreatorTool);
        Assert.StartsWith("2026-12-06T05:06:07", read.CreateDate);
        Assert.Equal("gemini-3-pro-image-preview", read.Field("model"));
        Assert.Equal("16x9", read.Field("size"));
        Assert.Equal("2k", read.Field("quality"));
        Assert.Equal("transparent", read.Field("background"));
        Assert.Equal("80", read.Field("output_compression"));
        Assert.Equal("1", read.Field("n"));
        Assert.Equal("42", read.Field("seed"));
        Assert.Equal("false", read.Field("watermark"));
        Assert.Equal("\"42\"", read.Field("label"));
        Assert.Equal("a, b: c", read.Field("style preset"));
        Assert.Equal("{\"depth\":2,\"tags\":[\"x\",1]}", read.Field("extra"));
        Assert.Equal("16:9", read.GivenParameter("AspectRatio"));
        Assert.Equal("2k", read.GivenParameter("Quality"));
        Assert.Equal("a red fox, revised", read.Own("RevisedPrompt"));
        Assert.Equal("req_123", read.Own("RequestId"));
        Assert.Equal("task_456", read.Own("TaskId"));
        Assert.Equal("Generate", read.Own("Operation"));
        Assert.Equal("api.example.test:8443", read.Own("Service"));
        Assert.Equal("TuZiImages", read.Own("Module"));
        Assert.Equal(ImageRecord.ModuleVersion, read.Own("ModuleVersion"));
        Assert.Equal(new[]
        {
            ((string?)"ReferenceImage", (string?)"image.png", (string?)ClientHarness.Sha256(ImageBytes.Fixture("image.png"))),
            ("ReferenceImage", "https://images.example.test/refs/cat.png", null),
        }, read.Inputs());
        // The image is still the image: its size, as the independent reader sees it.
        Assert.Contains(read.Directories.SelectMany(d => d.Tags), t => t.Name == "Image Width" && t.Description?.StartsWith("24") == true);
    }

    [Fact]
    public void A_png_carries_the_stable_diffusion_parameters_text_beside_its_xmp()
    {
        using var folder = new TempDirectory();

        var (path, _) = RecordSamples.SaveFixture(folder.Path, "image.png");

        var chunks = ImageBytes.PngChunks(File.ReadAllBytes(path)).Select(c => c.Type).ToArray();
        Assert.Equal(new[] { "IHDR", "iTXt", "iTXt" }, chunks.Take(3));
        string parameters = IndependentReader.Of(path).PngTexts()["parameters"];
        Assert.StartsWith(RecordSamples.Prompt + "\n", parameters);
        string last = parameters.Split('\n').Last();
        Assert.StartsWith("Model: gemini-3-pro-image-preview, Count: 1, Size: 16x9, Quality: 2k, ", last);
        Assert.Contains("seed: 42, ", last);
        Assert.Contains("style preset: \"a, b: c\"", last);
        Assert.Contains("AspectRatio: \"16:9\"", last);
        Assert.Contains("Version: TuZiImages " + ImageRecord.ModuleVersion, last);
    }

    [Theory]
    [InlineData("lossy.webp", false)]
    [InlineData("lossless.webp", false)]
    [InlineData("lossless-alpha.webp", true)]
    public void A_simple_webp_becomes_extended_with_the_canvas_of_its_bitstream(string fixture, bool alpha)
    {
        using var folder = new TempDirectory();

        var (path, _) = RecordSamples.SaveFixture(folder.Path, fixture);

        var chunks = ImageBytes.WebPChunks(File.ReadAllBytes(path));
        Assert.Equal("VP8X", chunks[0].Type);
        byte[] header = chunks[0].Data;
        Assert.Equal(0x04 | (alpha ? 0x10 : 0), header[0]);
        Assert.Equal(24, 1 + (header[4] | (header[5] << 8) | (header[6] << 16)));
        Assert.Equal(16, 1 + (header[7] | (header[8] << 8) | (header[9] << 16)));
        Assert.Equal("XMP ", chunks[^1].Type);
        Assert.Equal(3, chunks.Count);
    }

    [Fact]
    public void An_extended_webp_keeps_its_chunks_and_gains_the_xmp_flag()
    {
        using var folder = new TempDirectory();
        var before = ImageBytes.WebPChunks(File.ReadAllBytes(ImageBytes.Fixture("lossy-alpha.webp")));

        var (path, _) = RecordSamples.SaveFixture(folder.Path, "lossy-alpha.webp");

        var after = ImageBytes.WebPChunks(File.ReadAllBytes(path));
        Assert.Equal(before.Select(c => c.Type).Append("XMP "), after.Select(c => c.Type));
        Assert.Equal(before[0].Data[0] | 0x04, after[0].Data[0]);
        Assert.Equal(before[0].Data.Skip(1), after[0].Data.Skip(1));
    }

    [Theory]
    [InlineData("image.jpg", new[] { "SOI", "APP0", "APP1-XMP", "FFDB" })]
    [InlineData("exif.jpg", new[] { "SOI", "APP0", "APP1-Exif", "APP1-XMP", "FFDB" })]
    [InlineData("nojfif.jpg", new[] { "SOI", "APP1-XMP", "FFDB" })]
    public void A_jpeg_takes_its_xmp_after_the_jfif_and_exif_segments_and_keeps_them(string fixture, string[] start)
    {
        using var folder = new TempDirectory();

        var (path, _) = RecordSamples.SaveFixture(folder.Path, fixture);

        Assert.Equal(start, ImageBytes.JpegSegments(File.ReadAllBytes(path)).Take(start.Length));
        if (fixture == "exif.jpg")
        {
            Assert.Contains(IndependentReader.Of(path).Directories.SelectMany(d => d.Tags), t => t.Name == "Make" && t.Description == "FixtureCam");
        }
    }

    [Theory]
    [InlineData("xmp.png")]
    [InlineData("xmp.jpg")]
    [InlineData("xmp.webp")]
    public void An_image_with_xmp_keeps_what_it_had_in_one_packet_and_gains_the_record(string fixture)
    {
        using var folder = new TempDirectory();
        byte[] served = File.ReadAllBytes(ImageBytes.Fixture(fixture));

        var (path, file) = RecordSamples.SaveFixture(folder.Path, fixture);

        Assert.Null(file.RecordWarning);
        var read = IndependentReader.Of(path); // one packet, or Xmp throws
        Assert.Equal("An existing title", read.Title);
        Assert.Equal(RecordSamples.Prompt, read.Description);
        Assert.Equal("16:9", read.GivenParameter("AspectRatio"));
        Assert.Equal(ImageBytes.ImageData(served), ImageBytes.ImageData(File.ReadAllBytes(path)));
        if (fixture == "xmp.jpg")
        {
            Assert.Equal("Someone", read.Xmp.GetArrayItem("http://purl.org/dc/elements/1.1/", "creator", 1).Value);
            Assert.Contains(read.Directories.SelectMany(d => d.Tags), t => t.Name == "Make" && t.Description == "FixtureCam");
        }
    }

    [Fact]
    public void Writing_the_record_again_replaces_the_modules_properties_instead_of_adding_a_second_set()
    {
        using var folder = new TempDirectory();
        var (first, _) = RecordSamples.SaveFixture(folder.Path, "image.png");
        var record = RecordSamples.Record() is var r ? new ImageRecord
        {
            Prompt = "another prompt", Fields = new[] { new RecordField("model", "gpt-image-2") }, Created = r.Created, Service = r.Service,
        } : null;

        var (second, _) = RecordSamples.Save(folder.Path, File.ReadAllBytes(first), MetadataMode.Embed, record, "again");

        var read = IndependentReader.Of(second);
        Assert.Equal("another prompt", read.Description);
        Assert.Equal("gpt-image-2", read.Field("model"));
        Assert.Null(read.Field("seed"));
        Assert.Null(read.Own("RequestId"));
        Assert.Equal(2, ImageBytes.PngChunks(File.ReadAllBytes(second)).Count(c => c.Type == "iTXt"));
    }

    [Theory]
    [InlineData("c2pa.png")]
    [InlineData("c2pa.jpg")]
    [InlineData("c2pa.webp")]
    public void An_image_with_content_credentials_is_saved_as_served_and_its_record_goes_into_a_sidecar(string fixture)
    {
        using var folder = new TempDirectory();
        byte[] served = File.ReadAllBytes(ImageBytes.Fixture(fixture));

        var (path, file) = RecordSamples.SaveFixture(folder.Path, fixture);

        Assert.Equal(served, File.ReadAllBytes(path));
        Assert.True(file.HasContentCredentials);
        Assert.Contains("Content Credentials", file.RecordNote);
        string sidecar = Path.ChangeExtension(path, ".xmp");
        var (record, description) = XmpRecord.Read(File.ReadAllText(sidecar));
        Assert.Equal(RecordSamples.Prompt, description);
        Assert.Equal("16x9", record!.Fields.Single(f => f.Name == "size").Value);
        var info = ImageInfoReader.Read(path);
        Assert.Equal(RecordSources.Sidecar, info.RecordSource);
        Assert.Equal(sidecar, info.RecordPath);
        Assert.True(info.HasContentCredentials);
    }

    [Theory]
    [InlineData(MetadataMode.Sidecar, true)]
    [InlineData(MetadataMode.None, false)]
    public void Sidecar_and_None_leave_the_image_as_served(MetadataMode mode, bool sidecar)
    {
        using var folder = new TempDirectory();
        byte[] served = File.ReadAllBytes(ImageBytes.Fixture("image.jpg"));

        var (path, _) = RecordSamples.SaveFixture(folder.Path, "image.jpg", mode);

        Assert.Equal(served, File.ReadAllBytes(path));
        Assert.Equal(sidecar, File.Exists(Path.ChangeExtension(path, ".xmp")));
        Assert.Equal(sidecar ? RecordSources.Sidecar : RecordSources.None, ImageInfoReader.Read(path).RecordSource);
        Assert.Equal(sidecar ? new[] { "fox.jpg", "fox.xmp" } : new[] { "fox.jpg" }, folder.FileNames());
    }

    [Fact]
    public void A_gif_is_saved_as_served_with_its_record_in_a_sidecar()
    {
        using var folder = new TempDirectory();
        byte[] gif = TestGif();

        var (path, file) = RecordSamples.Save(folder.Path, gif, MetadataMode.Embed, RecordSamples.Record());

        Assert.Equal(gif, File.ReadAllBytes(path));
        Assert.Contains("GIF", file.RecordNote);
        Assert.Equal(RecordSamples.Prompt, ImageInfoReader.Read(path).Prompt);
    }

    [Fact]
    public void A_sidecar_name_that_is_taken_is_not_replaced_unless_asked()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.Combine("fox.xmp"), "someone else's");

        var (path, file) = RecordSamples.SaveFixture(folder.Path, "c2pa.png");

        Assert.Equal("someone else's", File.ReadAllText(folder.Combine("fox.xmp")));
        Assert.Contains("already exists", file.RecordWarning);
        Assert.Equal(new[] { "fox.png", "fox.xmp" }, folder.FileNames());

        var (_, forced) = RecordSamples.Save(folder.Path, File.ReadAllBytes(path), MetadataMode.Embed, RecordSamples.Record(), overwrite: true);
        Assert.Null(forced.RecordWarning);
        Assert.Equal(RecordSamples.Prompt, XmpRecord.Read(File.ReadAllText(folder.Combine("fox.xmp"))).Description);
    }

    /// <summary>Odd files from the service: each is saved exactly as served, with a warning, and nothing else is left behind.</summary>
    public static TheoryData<string, string, string> Odd => new()
    {
        { "a truncated PNG", "image.png", "cut:100" },
        { "a PNG with a chunk after IEND", "image.png", "append:0000000074455874" },
        { "a PNG with bytes after IEND", "image.png", "append:00" },
        { "a JPEG cut inside its headers", "image.jpg", "cut:400" },
        { "a JPEG cut inside its scan", "image.jpg", "cut:700" },
        { "a JPEG cut inside its Exif", "exif.jpg", "cut:60" },
        { "a JPEG with data after its end", "image.jpg", "append:FFD8FF" },
        { "a truncated WebP", "lossy.webp", "cut:100" },
        { "a WebP with data after its RIFF size", "lossless.webp", "append:0000" },
        { "a PNG whose XMP is not XML", "image.png", "xmp:<x:xmpmeta>not closed" },
    };

    [Theory]
    [MemberData(nameof(Odd))]
    public void An_odd_file_is_saved_as_served_with_a_warning(string what, string fixture, string change)
    {
        using var folder = new TempDirectory();
        byte[] served = Change(File.ReadAllBytes(ImageBytes.Fixture(fixture)), change);

        var (path, file) = RecordSamples.Save(folder.Path, served, MetadataMode.Embed, RecordSamples.Record());

        Assert.True(served.SequenceEqual(File.ReadAllBytes(path)), what);
        Assert.Contains("could not be written", file.RecordWarning);
        Assert.Contains("saved as the service sent it", file.RecordWarning);
        Assert.Single(folder.FileNames());
    }

    private static byte[] Change(byte[] bytes, string change)
    {
        string[] parts = change.Split(':', 2);
        return parts[0] switch
        {
            "cut" => bytes.Take(int.Parse(parts[1])).ToArray(),
            "append" => bytes.Concat(Convert.FromHexString(parts[1])).ToArray(),
            _ => InsertPngText(bytes, "XML:com.adobe.xmp", parts[1]),
        };
    }

    /// <summary>An iTXt chunk after IHDR, with its CRC, as another tool would have written it.</summary>
    internal static byte[] InsertPngText(byte[] png, string keyword, string text)
    {
        byte[] data = Encoding.Latin1.GetBytes(keyword).Concat(new byte[] { 0, 0, 0, 0, 0 }).Concat(Encoding.UTF8.GetBytes(text)).ToArray();
        byte[] typed = Encoding.ASCII.GetBytes("iTXt").Concat(data).ToArray();
        byte[] chunk = BigEndian(data.Length).Concat(typed).Concat(BigEndian((int)ImageBytes.Crc(typed))).ToArray();
        return png.Take(33).Concat(chunk).Concat(png.Skip(33)).ToArray();
    }

    private static byte[] BigEndian(int value) => new[] { (byte)(value >> 24), (byte)(value >> 16), (byte)(value >> 8), (byte)value };

    private static byte[] TestGif() => Convert.FromBase64String("R0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==");
}
