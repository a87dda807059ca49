using System;
using System.Linq;
using System.Threading.Tasks;
using TuZiImages.EngineTests.Support;

namespace TuZiImages.EngineTests.Families;

/// <summary>
/// Every family of the table through a real pipeline: what -AspectRatio, -Size and -Quality put on the wire (the
/// test server answers each family as its models do, so a wrong mapping is a 400), what is refused before sending,
/// and what completion offers.
/// </summary>
[Trait("Category", "Engine")]
public sealed class ModelFamilyTests
{
    [Theory]
    [InlineData("gemini-3-pro-image-preview", "-AspectRatio 16:9 -Quality 2K", "16x9", "2k", 2048, 1152)]
    [InlineData("gemini-3-pro-image-preview", "-Size '1024 x 1536'", "1024x1536", null, 1024, 1536)]
    [InlineData("gemini-3.1-flash-image-preview", "-AspectRatio 1:8 -Quality 1k", "1x8", "1k", 128, 1024)]
    [InlineData("gemini-3-pro-image-preview-2k", "-AspectRatio 3:2", "3x2", null, 2048, 1365)]
    [InlineData("gemini-2.5-flash-image", "-AspectRatio 9:16", "9x16", null, 576, 1024)]
    [InlineData("gpt-image-1", "-AspectRatio 16:9 -Quality High", "1536x1024", "high", 1536, 1024)]
    [InlineData("gpt-image-1.5", "-AspectRatio 2:3", "1024x1536", null, 1024, 1536)]
    [InlineData("gpt-image-1", "-Size auto -Quality low", "auto", "low", 1024, 1024)]
    [InlineData("gpt-image-2", "-AspectRatio 16:9", "1088x608", null, 1088, 608)]
    [InlineData("gpt-image-2", "-AspectRatio 9:16 -Quality 2k", "1152x2048", "high", 1152, 2048)]
    [InlineData("gpt-image-2", "-Size 1536x1024 -Quality medium", "1536x1024", "medium", 1536, 1024)]
    [InlineData("dall-e-3", "-AspectRatio 16:9 -Quality hd", "1792x1024", "hd", 1792, 1024)]
    [InlineData("dall-e-3", "-Size 1024x1792", "1024x1792", null, 1024, 1792)]
    [InlineData("doubao-seedream-4-5-251128", "-Size 2k", "2K", null, 2048, 2048)]
    [InlineData("doubao-seedream-5-0-260128", "-Size 2560x1440", "2560x1440", null, 2560, 1440)]
    [InlineData("doubao-seedream-4-0-250828", "-Size 1K", "1K", null, 1024, 1024)]
    [InlineData("doubao-seedream-3-0-t2i-250415", "-Size 1280x720", "1280x720", null, 1280, 720)]
    [InlineData("some-new-model", "-Size 2K -Quality Ultra", "2K", "ultra", 1024, 1024)]
    [InlineData("some-new-model", "-Size auto", "auto", null, 1024, 1024)]
    [InlineData("some-new-model", "-AspectRatio 16:9", "16x9", null, 1024, 576)]
    public async Task Each_family_gets_the_size_and_quality_its_model_takes(string model, string parameters, string size, string? quality, int width, int height)
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run($"New-TuZiImage 'a fox' -Model {model} {parameters} -ResponseFormat b64_json");

        run.ThrowIfFailed();
        var sent = Assert.Single(engine.Server.Requests);
        Assert.Equal(model, sent.Field("model"));
        Assert.Equal(size, sent.Field("size"));
        Assert.Equal(quality, sent.Field("quality"));
        var result = Assert.Single(run.Results);
        Assert.Equal(width, result.Prop<int?>("Width"));
        Assert.Equal(height, result.Prop<int?>("Height"));
        Assert.Equal(size, result.Prop<string>("RequestedSize"));
        Assert.False(result.Prop<bool>("SizeMismatch"));
        Assert.Empty(run.Warnings);
    }

    [Theory]
    [InlineData("doubao-seedream-4-5-251128", "-AspectRatio 16:9", "takes no aspect ratio", "-Size 2K")]
    [InlineData("doubao-seedream-3-0-t2i-250415", "-Size 2K", "does not take the size '2K'", "WIDTHxHEIGHT")]
    [InlineData("doubao-seedream-4-5-251128", "-Quality 2k", "takes no -Quality", "-Size 2K or 4K")]
    [InlineData("gpt-image-1", "-Size 1792x1024", "does not take the size '1792x1024'", "1536x1024")]
    [InlineData("gpt-image-2", "-Size 1000x1000", "multiples of 16", "-AspectRatio")]
    [InlineData("gpt-image-2", "-AspectRatio 4:1", "'4:1'", "3:1")]
    [InlineData("dall-e-3", "-Quality high", "does not take -Quality 'high'", "standard, hd")]
    [InlineData("gemini-3-pro-image-preview", "-Quality high", "does not take -Quality 'high'", "1k, 2k, 4k")]
    [InlineData("gemini-3-pro-image-preview-4k", "-Quality 4k", "resolution is in its name", "-Quality 2k (or 4k)")]
    [InlineData("gemini-2.5-flash-image", "-Quality 2k", "resolution is in its name", "Leave out -Quality")]
    public async Task What_the_model_cannot_take_is_refused_by_name_and_nothing_is_sent(string model, string parameters, string message, string advice)
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run($"'a fox', 'a cat' | New-TuZiImage -Model {model} {parameters} -ResponseFormat b64_json");

        Assert.Null(run.Terminating);
        Assert.Empty(run.Results);
        Assert.Equal(2, run.Errors.Count); // each piped prompt its own error; the pipeline went on
        Assert.All(run.Errors, e => Assert.Equal("TuZiImages.InvalidInput,TuZiImages.Commands.NewTuZiImageCommand", e.FullyQualifiedErrorId));
        Assert.Contains(message, run.Errors[0].ErrorDetails.Message);
        Assert.Contains(model, run.Errors[0].ErrorDetails.Message);
        Assert.Contains(advice, run.Errors[0].ErrorDetails.Message + " " + run.Errors[0].ErrorDetails.RecommendedAction);
        Assert.Empty(engine.Server.Requests);
    }

    [Theory]
    [InlineData("gemini-3-pro-image-preview", 15, "at most 14")]
    [InlineData("doubao-seedream-4-0-250828", 15, "at most 14")]
    [InlineData("doubao-seedream-3-0-t2i-250415", 1, "takes no reference")]
    [InlineData("dall-e-3", 1, "takes no reference")]
    public async Task More_reference_images_than_the_family_takes_are_refused_before_sending(string model, int count, string message)
    {
        await using var engine = await EngineSession.StartAsync();
        for (int i = 0; i < count; i++)
        {
            engine.WritePng($"ref{i:00}.png", shade: (byte)i);
        }

        var run = engine.Run($"New-TuZiImage 'a fox' -Model {model} -ReferenceImage ref*.png -ResponseFormat b64_json");

        var error = Assert.Single(run.Errors);
        Assert.Contains(message, error.ErrorDetails.Message);
        Assert.Contains(count.ToString(System.Globalization.CultureInfo.InvariantCulture), error.ErrorDetails.Message);
        Assert.Empty(engine.Server.Requests);
    }

    [Fact]
    public async Task Up_to_the_familys_limit_the_references_are_sent()
    {
        await using var engine = await EngineSession.StartAsync();
        for (int i = 0; i < 14; i++)
        {
            engine.WritePng($"ref{i:00}.png", shade: (byte)i);
        }

        var run = engine.Run("New-TuZiImage 'a fox' -Model doubao-seedream-4-5-251128 -Size 2048x1152 -ReferenceImage ref*.png -ResponseFormat b64_json");

        run.ThrowIfFailed();
        Assert.Equal(14, Assert.Single(engine.Server.Requests).Files.Count);
    }

    [Fact]
    public async Task Edit_with_a_model_that_takes_no_images_is_refused_before_sending()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.WritePng("photo.png");

        var run = engine.Run("Edit-TuZiImage 'make it blue' photo.png -Model dall-e-3");

        var error = Assert.Single(run.Errors);
        Assert.Contains("dall-e-3", error.ErrorDetails.Message);
        Assert.Contains("takes no reference or input images", error.ErrorDetails.Message);
        Assert.Empty(engine.Server.Requests);
    }

    [Fact]
    public async Task A_size_the_service_ignored_is_a_warning_once_per_mismatch_and_marked_on_every_result()
    {
        await using var engine = await EngineSession.StartAsync();
        engine.Server.IgnoreSize = true;

        var run = engine.Run("""
            @(
                [pscustomobject]@{ Prompt = 'a fox'; Model = 'gpt-image-1' }
                [pscustomobject]@{ Prompt = 'a cat'; Model = 'gpt-image-1' }
                [pscustomobject]@{ Prompt = 'a owl'; Model = 'gpt-image-1' }
                [pscustomobject]@{ Prompt = 'a bee'; Model = 'gemini-3-pro-image-preview' }
            ) | New-TuZiImage -AspectRatio 16:9 -ResponseFormat b64_json
            """);

        run.ThrowIfFailed();
        Assert.Equal(4, run.Results.Length);
        Assert.All(run.Results, r => Assert.True(r.Prop<bool>("SizeMismatch")));
        Assert.All(run.Results, r => Assert.Equal(1024, r.Prop<int?>("Width")));
        Assert.Equal(new[] { "1536x1024", "16x9" }, run.Results.Select(r => r.Prop<string>("RequestedSize")).Distinct().OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal(2, run.Warnings.Count);
        Assert.Single(run.Warnings, w => w.Contains("gpt-image-1 was asked for size 1536x1024 but made 1024x1024"));
        Assert.Single(run.Warnings, w => w.Contains("gemini-3-pro-image-preview was asked for size 16x9 but made 1024x1024"));
        Assert.All(run.Warnings, w => Assert.Contains("SizeMismatch", w));

        // A script can pick out what came back wrong.
        var wrong = engine.Run("""
            'a fox' | New-TuZiImage -Model gpt-image-1 -Size 1024x1536 -ResponseFormat b64_json -WarningAction SilentlyContinue |
                Where-Object SizeMismatch | ForEach-Object { "$($_.RequestedSize) -> $($_.Width)x$($_.Height)" }
            """);
        Assert.Equal("1024x1536 -> 1024x1024", Assert.Single(wrong.Output).BaseObject);
    }

    [Fact]
    public async Task A_size_the_service_made_is_no_warning()
    {
        await using var engine = await EngineSession.StartAsync();

        var run = engine.Run("'a fox', 'a cat' | New-TuZiImage -Model gpt-image-1 -AspectRatio 16:9 -ResponseFormat b64_json");

        run.ThrowIfFailed();
        Assert.Empty(run.Warnings);
        Assert.All(run.Results, r => Assert.False(r.Prop<bool>("SizeMismatch")));
        Assert.All(run.Results, r => Assert.Equal("1536x1024", r.Prop<string>("RequestedSize")));
    }

    [Theory]
    [InlineData("New-TuZiImage 'a fox' -Model gpt-image-1 -Size ", new[] { "1024x1024", "1536x1024", "1024x1536", "auto" }, null)]
    [InlineData("New-TuZiImage 'a fox' -Model dall-e-3 -Size ", new[] { "1024x1024", "1792x1024", "1024x1792" }, "auto")]
    [InlineData("New-TuZiImage 'a fox' -Model doubao-seedream-4-5-251128 -Size ", new[] { "2K", "4K", "2048x2048" }, "auto")]
    [InlineData("New-TuZiImage 'a fox' -Model doubao-seedream-5-0-260128 -Size ", new[] { "2K", "3K" }, "4K")]
    [InlineData("New-TuZiImage 'a fox' -Model gpt-image-2 -Size 3840", new[] { "3840x2160" }, null)]
    [InlineData("Edit-TuZiImage 'fix' x.png -Model gpt-image-1 -Size 1536", new[] { "1536x1024" }, "1792x1024")]
    [InlineData("New-TuZiImage 'a fox' -Model gemini-3.1-flash-image-preview -AspectRatio ", new[] { "'16:9'", "'1:8'", "'8:1'" }, null)]
    [InlineData("New-TuZiImage 'a fox' -Model gemini-3-pro-image-preview -AspectRatio ", new[] { "'16:9'", "'21:9'" }, "'1:8'")]
    [InlineData("New-TuZiImage 'a fox' -Model doubao-seedream-4-5-251128 -AspectRatio ", new string[0], "'16:9'")]
    [InlineData("New-TuZiImage 'a fox' -Model gpt-image-2 -Quality ", new[] { "low", "medium", "high", "auto", "2k" }, "4k")]
    [InlineData("New-TuZiImage 'a fox' -Model gemini-3.1-flash-image-preview -Quality ", new[] { "1k", "2k", "4k" }, "high")]
    [InlineData("New-TuZiImage 'a fox' -Model doubao-seedream-4-0-250828 -Quality ", new string[0], "2k")]
    [InlineData("New-TuZiImage 'a fox' -Model gemini-3-pro-image-preview-4k -Quality ", new string[0], "4k")]
    [InlineData("New-TuZiImage 'a fox' -Model some-new-model -Quality ", new[] { "1k", "high", "hd" }, null)]
    [InlineData("New-TuZiImage 'a fox' -Model doubao-seed", new[] { "doubao-seedream-4-5-251128", "doubao-seedream-4-0-250828", "doubao-seedream-3-0-t2i-250415" }, null)]
    public async Task Tab_completes_what_the_typed_models_family_takes(string line, string[] expected, string? notExpected)
    {
        await using var engine = await EngineSession.StartAsync(connect: false);

        var completions = engine.Complete(line);

        Assert.Equal(expected, completions.Where(expected.Contains).ToArray());
        if (notExpected is not null)
        {
            Assert.DoesNotContain(notExpected, completions);
        }
    }
}
