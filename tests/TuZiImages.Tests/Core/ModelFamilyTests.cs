using System.Linq;
using System;
using TuZiImages.Core.Models;
using TuZiImages.Core.Requests;
using TuZiImages.Core.Results;
using TuZiImages.Core;
using TuZiImages.Tests.Support;

namespace TuZiImages.Tests.Core;

/// <summary>The family table's mapping, with no PowerShell: what each family makes of -AspectRatio, -Size and -Quality.</summary>
public class ModelFamilyTests
{
    [Theory]
    [InlineData("gemini-3-pro-image-preview", "gemini-3-pro-image-preview-async")]
    [InlineData(" Gemini-3-Pro-Image-Preview-4K ", "gemini-3-pro-image-preview-4k-async")]
    [InlineData("gemini-3-pro-image-preview-hd", "gemini-3-pro-image-preview-4k-async")]
    [InlineData("gemini-3-pro-image-preview-2k-vip", "gemini-3-pro-image-preview-2k-async")]
    [InlineData("gemini-3.1-flash-image-preview", null)]
    [InlineData("gemini-3-pro-image-preview-async", null)]
    [InlineData("gpt-image-1", null)]
    [InlineData("", null)]
    public void A_synchronous_model_names_its_async_twin_when_the_service_sells_one(string model, string? twin)
    {
        Assert.Equal(twin, ModelFamilies.AsyncTwinOf(model));
        if (twin is not null)
        {
            Assert.Equal(ModelRoute.Tasks, ModelFamilies.Find(twin).Route);
        }
    }

    [Theory]
    [InlineData("gemini-3-pro-image-preview", "Gemini 3 Pro", ModelRoute.Images, 14)]
    [InlineData(" Gemini-3-Pro-Image-Preview ", "Gemini 3 Pro", ModelRoute.Images, 14)]
    [InlineData("gemini-3.1-flash-image-preview", "Gemini 3.1 Flash", ModelRoute.Images, 14)]
    [InlineData("gemini-3-pro-image-preview-hd", "Gemini, fixed resolution", ModelRoute.Images, 14)]
    [InlineData("gemini-3-pro-image-preview-2k-vip", "Gemini, fixed resolution", ModelRoute.Images, 14)]
    [InlineData("gemini-2.5-flash-image-preview", "Gemini, fixed resolution", ModelRoute.Images, 14)]
    [InlineData("gemini-3.1-flash-image-preview-4k", "Gemini 3.1 Flash, fixed resolution", ModelRoute.Images, 14)]
    [InlineData("gemini-3-pro-image-preview-async", "async (task API)", ModelRoute.Tasks, null)]
    [InlineData("gemini-3-pro-image-preview-4k-async", "async (task API)", ModelRoute.Tasks, null)]
    [InlineData("mj-imagine", "async (task API)", ModelRoute.Tasks, null)]
    [InlineData("gpt-image-1", "gpt-image-1", ModelRoute.Images, 16)]
    [InlineData("gpt-image-1.5", "gpt-image-1.5", ModelRoute.Images, 16)]
    [InlineData("gpt-image-2", "gpt-image-2", ModelRoute.Images, 16)]
    [InlineData("gpt-image-2.5", "gpt-image-2", ModelRoute.Images, 16)]
    [InlineData("dall-e-3", "dall-e-3", ModelRoute.Images, null)]
    [InlineData("doubao-seedream-5-0-260128", "Seedream 5.0", ModelRoute.Images, 14)]
    [InlineData("doubao-seedream-4-5-251128", "Seedream 4.5", ModelRoute.Images, 14)]
    [InlineData("doubao-seedream-4-0-250828", "Seedream 4.0", ModelRoute.Images, 14)]
    [InlineData("doubao-seedream-3-0-t2i-250415", "Seedream 3.0", ModelRoute.Images, null)]
    [InlineData("doubao-seedream-6-0-270101", "Seedream 5.0", ModelRoute.Images, 14)]
    [InlineData("doubao-seededit-3-0-i2i-250628", "SeedEdit 3.0 (removed)", ModelRoute.Images, null)]
    [InlineData("flux-kontext-pro", "FLUX", ModelRoute.Images, null)]
    [InlineData("bfl-flux-2-pro", "FLUX", ModelRoute.Images, null)]
    [InlineData("bfl-flux-2-max", "FLUX", ModelRoute.Images, null)]
    [InlineData("gemini-2.5-flash-image-vip", "Gemini, fixed resolution", ModelRoute.Images, 14)]
    [InlineData("gemini-3.5-pro-image-preview", "Gemini 3 Pro", ModelRoute.Images, 14)]
    [InlineData("nano-banana-9000", "unknown", ModelRoute.Images, null)]
    [InlineData("", "unknown", ModelRoute.Images, null)]
    public void A_model_name_finds_its_family(string model, string family, ModelRoute route, int? maxReferences)
    {
        var found = ModelFamilies.Find(model);

        Assert.Equal(family, found.Name);
        Assert.Equal(route, found.Route);
        Assert.Equal(maxReferences, found.MaxReferenceImages);
    }

    [Theory]
    [InlineData("gemini-3-pro-image-preview", "16:9", "16x9")]
    [InlineData("gemini-3.1-flash-image-preview", "1:8", "1x8")]
    [InlineData("gemini-2.5-flash-image", "4:5", "4x5")]
    [InlineData("gemini-3-pro-image-preview-async", "16:9", "16:9")]
    [InlineData("mj-imagine", "9:16", "9:16")]
    [InlineData("gpt-image-1", "16:9", "1536x1024")]
    [InlineData("gpt-image-1", "1:1", "1024x1024")]
    [InlineData("gpt-image-1.5", "2:3", "1024x1536")]
    [InlineData("dall-e-3", "16:9", "1792x1024")]
    [InlineData("dall-e-3", "2:3", "1024x1792")]
    [InlineData("gpt-image-2", "1:1", "1024x1024")]
    [InlineData("gpt-image-2", "16:9", "1088x608")]
    [InlineData("gpt-image-2", "9:16", "608x1088")]
    [InlineData("gpt-image-2", "3:1", "1424x480")]
    [InlineData("flux-kontext-pro", "16:9", "16:9")]
    [InlineData("flux-kontext-pro", "7:3", "7:3")]
    [InlineData("some-new-model", "16:9", "16x9")]
    public void An_aspect_ratio_becomes_what_the_family_takes(string model, string ratio, string sent)
    {
        Assert.Equal(sent, ModelFamilies.Find(model).SizeFor(model, ratio, null, null));
    }

    [Theory]
    [InlineData("16:9", null)]
    [InlineData("16:9", "2k")]
    [InlineData("9:16", "2k")]
    [InlineData("21:9", null)]
    [InlineData("1:3", "high")]
    [InlineData("5:4", "2k")]
    public void Gpt_image_2_pixels_keep_its_rules(string ratio, string? quality)
    {
        string size = ModelFamilies.Find("gpt-image-2").SizeFor("gpt-image-2", ratio, null, quality)!;

        Assert.True(ImageSizes.TryParsePixels(size, out int width, out int height), size);
        Assert.Equal(0, width % 16);
        Assert.Equal(0, height % 16);
        Assert.True((long)width * height >= 655_360, size);
        Assert.Equal(quality == "2k" ? 2048 : 1024, Math.Max(width, height) >= 2048 ? 2048 : 1024);
        Assert.True(Math.Max(width, height) <= 3840, size);
        var (w, h) = (int.Parse(ratio.Split(':')[0]), int.Parse(ratio.Split(':')[1]));
        Assert.True(SizeCheck.Matches($"{w}:{h}", ModelFamilies.Unknown, width, height), $"{size} is not {ratio} within 2%");
    }

    [Fact]
    public void Gpt_image_2_at_2k_sends_pixels_with_a_2048_edge_and_quality_high()
    {
        var family = ModelFamilies.Find("gpt-image-2");

        Assert.Equal("2048x1152", family.SizeFor("gpt-image-2", "16:9", null, "2K"));
        Assert.Equal("2048x2048", family.SizeFor("gpt-image-2", null, null, "2k"));
        Assert.Null(family.SizeFor("gpt-image-2", null, null, "high"));
        Assert.Equal("high", family.QualityFor("gpt-image-2", "2k"));
        Assert.Equal("low", family.QualityFor("gpt-image-2", " LOW "));
    }

    [Theory]
    [InlineData("gemini-3-pro-image-preview", "1024 x 1536", "1024x1536")]
    [InlineData("gemini-3-pro-image-preview", "auto", "auto")]
    [InlineData("gpt-image-1", "1536x1024", "1536x1024")]
    [InlineData("gpt-image-1", "AUTO", "auto")]
    [InlineData("gpt-image-2", "3840x2160", "3840x2160")]
    [InlineData("dall-e-3", "1792x1024", "1792x1024")]
    [InlineData("doubao-seedream-4-5-251128", "2k", "2K")]
    [InlineData("doubao-seedream-4-5-251128", "2048x1152", "2048x1152")]
    [InlineData("doubao-seedream-5-0-260128", "3K", "3K")]
    [InlineData("doubao-seedream-4-0-250828", "1K", "1K")]
    [InlineData("doubao-seedream-3-0-t2i-250415", "1024x1024", "1024x1024")]
    [InlineData("some-new-model", "2K", "2K")]
    [InlineData("some-new-model", "auto", "auto")]
    [InlineData("some-new-model", "adaptive", "adaptive")]
    [InlineData("some-new-model", "1024 x 1536", "1024x1536")]
    public void A_size_is_sent_in_the_form_the_family_takes(string model, string size, string sent)
    {
        Assert.Equal(sent, ModelFamilies.Find(model).SizeFor(model, null, size, null));
    }

    [Theory]
    [InlineData("gpt-image-1", "1792x1024", "1536x1024")]
    [InlineData("gpt-image-1", "2K", "1024x1024")]
    [InlineData("dall-e-3", "auto", "1792x1024")]
    [InlineData("gpt-image-2", "1000x1000", "multiples of 16")]
    [InlineData("gpt-image-2", "4096x1024", "at most 3840")]
    [InlineData("gpt-image-2", "512x512", "655,360")]
    [InlineData("gpt-image-2", "3200x960", "3:1")]
    [InlineData("doubao-seedream-4-5-251128", "3K", "2K, 4K or WIDTHxHEIGHT")]
    [InlineData("doubao-seedream-5-0-260128", "4K", "2K, 3K or WIDTHxHEIGHT")]
    [InlineData("doubao-seedream-4-0-250828", "auto", "1K, 2K, 4K or WIDTHxHEIGHT")]
    [InlineData("doubao-seedream-3-0-t2i-250415", "2K", "WIDTHxHEIGHT")]
    [InlineData("gemini-3-pro-image-preview", "2K", "-Quality 2k")]
    public void A_size_the_family_cannot_take_is_refused_naming_what_it_takes(string model, string size, string named)
    {
        var e = Assert.Throws<TuZiImagesException>(() => ModelFamilies.Find(model).SizeFor(model, null, size, null));

        Assert.Equal(TuZiErrorKind.InvalidInput, e.Kind);
        Assert.Contains(model, e.Message);
        Assert.Contains(named, e.Message + " " + e.RecommendedAction);
        Assert.Equal(size, e.Target);
    }

    [Theory]
    [InlineData("doubao-seedream-4-5-251128", "-Size 2K or -Size WIDTHxHEIGHT (for example -Size 2048x1152)")]
    [InlineData("doubao-seedream-3-0-t2i-250415", "-Size WIDTHxHEIGHT (for example -Size 2048x1152)")]
    public void Seedream_refuses_a_ratio_and_names_the_sizes_it_takes(string model, string action)
    {
        var e = Assert.Throws<TuZiImagesException>(() => ModelFamilies.Find(model).SizeFor(model, "16:9", null, null));

        Assert.Contains("takes no aspect ratio", e.Message);
        Assert.Contains(action, e.RecommendedAction);
    }

    [Fact]
    public void Gpt_image_2_refuses_a_ratio_wider_than_3_to_1()
    {
        var e = Assert.Throws<TuZiImagesException>(() => ModelFamilies.Find("gpt-image-2").SizeFor("gpt-image-2", "4:1", null, null));
        Assert.Contains("'4:1'", e.Message);
    }

    [Theory]
    [InlineData("gemini-3-pro-image-preview", "4K", "4k")]
    [InlineData("gemini-3.1-flash-image-preview", "1k", "1k")]
    [InlineData("gpt-image-1", "High", "high")]
    [InlineData("dall-e-3", "hd", "hd")]
    [InlineData("some-new-model", "Ultra", "ultra")]
    public void A_quality_word_the_family_takes_is_sent(string model, string quality, string sent)
    {
        Assert.Equal(sent, ModelFamilies.Find(model).QualityFor(model, quality));
    }

    [Theory]
    [InlineData("gemini-3-pro-image-preview", "high", "1k, 2k, 4k")]
    [InlineData("gpt-image-1", "4k", "low, medium, high, auto")]
    [InlineData("dall-e-3", "high", "standard, hd")]
    [InlineData("gemini-3-pro-image-preview-2k", "4k", "resolution is in its name")]
    [InlineData("gemini-2.5-flash-image", "2k", "resolution is in its name")]
    [InlineData("doubao-seedream-4-5-251128", "2k", "-Size 2K or 4K")]
    [InlineData("gemini-3-pro-image-preview-async", "2k", "-4k-async names choose the resolution")]
    [InlineData("flux-kontext-pro", "high", "no quality setting")]
    public void A_quality_the_family_does_not_take_is_refused_before_sending(string model, string quality, string named)
    {
        var e = Assert.Throws<TuZiImagesException>(() => ModelFamilies.Find(model).QualityFor(model, quality));

        Assert.Equal(TuZiErrorKind.InvalidInput, e.Kind);
        Assert.Contains(named, e.Message + " " + e.RecommendedAction);
    }

    [Theory]
    [InlineData("gemini-3-pro-image-preview", 14, true)]
    [InlineData("gemini-3-pro-image-preview", 15, false)]
    [InlineData("doubao-seedream-4-0-250828", 14, true)]
    [InlineData("doubao-seedream-4-0-250828", 15, false)]
    [InlineData("doubao-seedream-3-0-t2i-250415", 1, false)]
    [InlineData("dall-e-3", 1, false)]
    [InlineData("gpt-image-1", 16, true)]
    [InlineData("gpt-image-1", 17, false)]
    [InlineData("gpt-image-2.5", 17, true)]
    [InlineData("some-new-model", 40, true)]
    public void Reference_images_beyond_the_familys_limit_are_refused(string model, int count, bool taken)
    {
        using var folder = new TempDirectory();
        var file = InputImage.FromFile(TestImages.WritePng(folder.Path, "ref.png", 8, 8, 1));
        var request = new GenerationRequest { Prompt = "a fox" };
        request.ReferenceImages.AddRange(Enumerable.Repeat(ReferenceImage.FromFile(file), count));

        var plan = () => request.Plan(model);

        if (taken)
        {
            Assert.Equal(count, plan().Files.Count);
        }
        else
        {
            var e = Assert.Throws<TuZiImagesException>(plan);
            Assert.Contains(model, e.Message);
            Assert.Contains(count.ToString(), e.Message);
        }
    }

    [Fact]
    public void Every_family_offers_what_it_takes_and_takes_what_it_offers()
    {
        var listed = ModelFamilies.All.SelectMany(f => f.Models.Select(m => (Family: f, Model: m.Id)));
        foreach (var (family, model) in listed.Append((ModelFamilies.Unknown, "some-new-model")))
        {
            foreach (string size in family.CompletionSizes())
            {
                Assert.NotNull(family.SizeFor(model, null, size, null));
            }
            if (family.AspectRatio != RatioMapping.NotAccepted)
            {
                Assert.All(family.AspectRatios, r => Assert.NotNull(family.SizeFor(model, r, null, null)));
            }
            Assert.All(family.Qualities, q => Assert.NotNull(family.QualityFor(model, q.Word)));
            Assert.Same(family, ModelFamilies.Find(model));
        }
    }

    [Theory]
    [InlineData("1536x1024", "gpt-image-1", 1536, 1024, true)]
    [InlineData("1536x1024", "gpt-image-1", 1024, 1024, false)]
    [InlineData("1088x608", "gpt-image-2", 1088, 608, true)]
    [InlineData("16x9", "gemini-3-pro-image-preview", 1024, 576, true)]
    [InlineData("16x9", "gemini-3-pro-image-preview", 1024, 590, false)]
    [InlineData("16x9", "gemini-3-pro-image-preview", 1024, 1024, false)]
    [InlineData("1024x1536", "gemini-3-pro-image-preview", 683, 1024, true)]
    [InlineData("16:9", "mj-imagine", 1920, 1080, true)]
    [InlineData("auto", "gpt-image-1", 1024, 1536, null)]
    [InlineData("2K", "doubao-seedream-4-5-251128", 2048, 2048, null)]
    [InlineData(null, "gpt-image-1", 1024, 1024, null)]
    public void A_made_image_is_checked_against_the_size_asked(string? asked, string model, int width, int height, bool? matches)
    {
        Assert.Equal(matches, SizeCheck.Matches(asked, ModelFamilies.Find(model), width, height));
    }
}
