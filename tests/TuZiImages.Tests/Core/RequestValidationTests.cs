using System.IO;
using TuZiImages.Core.Requests;
using TuZiImages.Core;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Core;

public class RequestValidationTests
{
    [Theory]
    [InlineData("16:9", "16x9")]
    [InlineData("21:9", "21x9")]
    [InlineData(" 4:5 ", "4x5")]
    [InlineData("16x9", "16x9")]
    [InlineData("1:4", "1x4")]
    public void Aspect_ratios_are_sent_the_way_the_service_takes_them(string ratio, string sent)
    {
        Assert.Equal(sent, ImageSizes.FromAspectRatio(ratio));
    }

    [Theory]
    [InlineData("16-9")]
    [InlineData("0:1")]
    [InlineData("wide")]
    [InlineData("")]
    public void A_malformed_aspect_ratio_is_refused_with_its_value_named(string ratio)
    {
        var e = Assert.Throws<TuZiImagesException>(() => ImageSizes.FromAspectRatio(ratio));
        Assert.Equal(TuZiErrorKind.InvalidInput, e.Kind);
        Assert.Contains($"'{ratio}'", e.Message);
        Assert.Contains("16:9", e.RecommendedAction);
    }

    [Fact]
    public void Quality_words_are_lower_cased_and_others_left_to_the_server()
    {
        Assert.Equal("4k", ImageSizes.NormalizeQuality("4K"));
        Assert.Equal("hd", ImageSizes.NormalizeQuality("hd"));
        Assert.Throws<TuZiImagesException>(() => ImageSizes.NormalizeQuality(" "));
    }

    [Theory]
    [InlineData("", null, "prompt is empty")]
    [InlineData("   ", null, "prompt is empty")]
    [InlineData("fox", 0, "outside 1-10")]
    [InlineData("fox", 11, "outside 1-10")]
    public void Bad_requests_are_refused_before_anything_is_sent(string prompt, int? count, string message)
    {
        var request = new GenerationRequest { Prompt = prompt, Count = count };
        var e = Assert.Throws<TuZiImagesException>(request.Validate);
        Assert.Equal(TuZiErrorKind.InvalidInput, e.Kind);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void An_edit_needs_an_image()
    {
        var e = Assert.Throws<TuZiImagesException>(new EditRequest { Prompt = "merge" }.Validate);
        Assert.Contains("at least one image", e.Message);
    }

    [Fact]
    public void Input_files_are_checked_and_named_in_the_error()
    {
        using var folder = new TempDirectory();
        string text = folder.Combine("notes.png");
        File.WriteAllText(text, "not an image at all");
        string missing = folder.Combine("missing.png");

        Assert.Contains(missing, Assert.Throws<TuZiImagesException>(() => InputImage.FromFile(missing)).Message);
        Assert.Contains("is a directory", Assert.Throws<TuZiImagesException>(() => InputImage.FromFile(folder.Path)).Message);
        var notImage = Assert.Throws<TuZiImagesException>(() => InputImage.FromFile(text));
        Assert.Contains(text, notImage.Message);
        Assert.Equal(text, notImage.Target);

        var png = InputImage.FromFile(TestImages.WritePng(folder.Path, "ok.png"));
        Assert.Equal("image/png", png.Format.ContentType);
        Assert.Equal(new FileInfo(png.FullPath).Length, png.Length);
    }

    [Fact]
    public void Reference_urls_must_be_http_https_or_data()
    {
        Assert.Equal("https://x.example/a.png", ReferenceImage.FromUrl("https://x.example/a.png").Url);
        Assert.NotNull(ReferenceImage.FromUrl("data:image/png;base64,AAAA").Url);
        Assert.Throws<TuZiImagesException>(() => ReferenceImage.FromUrl("ftp://x.example/a.png"));
    }
}
