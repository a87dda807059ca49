using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using TuZiImages.Core.Bodies;

namespace TuZiImages.Core.Models;

/// <summary>
/// THE table of model families: the versions each knows by name, the body fields it takes and under which name,
/// how it takes -AspectRatio, -Size and -Quality, where each operation goes and how reference images ride, and the
/// limits on images. When the service adds a model, this is the one place to change; validation, the wire plan,
/// completion and help read it. From the service's own client (tuziapi/tuzi-skills, skills/tuzi-image-gen) and wiki.
/// </summary>
public static class ModelFamilies
{
    private static Regex Names(string pattern) => new("^(?:" + pattern + ")", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    private static readonly string[] GeminiRatios = { "1:1", "2:3", "3:2", "3:4", "4:3", "4:5", "5:4", "9:16", "16:9", "21:9" };
    private static readonly string[] WideGeminiRatios = GeminiRatios.Concat(new[] { "1:4", "4:1", "1:8", "8:1" }).ToArray();
    private static readonly string[] OpenAIRatios = { "1:1", "3:2", "2:3", "16:9", "9:16" };

    private static readonly QualityWord[] GeminiQualities =
    {
        new("1k", "About 1024 px on the long side (default)"),
        new("2k", "About 2048 px; ~1.5 MB per image"),
        new("4k", "About 4096 px; ~3 MB per image, often two minutes or more"),
    };

    private static readonly QualityWord[] GptImageQualities =
    {
        new("low", "gpt-image: fastest and cheapest"),
        new("medium", "gpt-image: balanced"),
        new("high", "gpt-image: most detail, most tokens"),
        new("auto", "gpt-image: the model chooses (default)"),
    };

    private static readonly QualityWord[] DallEQualities =
    {
        new("standard", "dall-e-3: the default"),
        new("hd", "dall-e-3: finer detail"),
    };

    private static readonly string[] SquareAndOpenAI = { "1024x1024", "1536x1024", "1024x1536" };

    private static FamilyField[] Fields(params string[] names) => names.Select(n => new FamilyField(n)).ToArray();

    // What each family takes, from the service's client and wiki (spec README, "Model families"): the images API's
    // own fields every family there takes; the rest by family.
    private static readonly string[] ImagesApi = { "model", "prompt", "n", "size", "response_format", "user" };
    private static readonly FamilyField[] GeminiFields = Fields(ImagesApi.Concat(new[] { "quality" }).ToArray());
    private static readonly FamilyField[] FixedResolutionFields = Fields(ImagesApi);
    private static readonly FamilyField[] GptImageFields = Fields(ImagesApi.Concat(new[]
        { "quality", "background", "moderation", "input_fidelity", "output_format", "output_compression", "stream", "partial_images" }).ToArray());
    private static readonly FamilyField[] SeedreamFields = Fields(ImagesApi.Concat(new[] { "seed" }).ToArray());

    private const long GptImageMaxBytes = 50L * 1024 * 1024;
    private const string FixedResolution = "its resolution is in its name; pick the model for the size (-2k, -4k) instead.";
    private const string ForResolution = "use -Model gemini-3-pro-image-preview -Quality 2k (or 4k).";
    private const string NoQuality = "the model has no quality setting.";

    /// <summary>
    /// A model a row lists by name is of that row; otherwise the first row (in this order) whose pattern it matches is
    /// the family it resembles, as a newer version; a name no pattern matches is <see cref="Unknown"/>.
    /// </summary>
    public static readonly IReadOnlyList<ModelFamily> All = new[]
    {
        new ModelFamily
        {
            Name = "async (task API)",
            Line = "task API",
            Examples = "gemini-3-pro-image-preview-async, -2k-async, -4k-async, mj-imagine, any name ending in -async",
            Models = new[]
            {
                ("gemini-3-pro-image-preview-async", "Nano Banana Pro through the task API"),
                ("gemini-3-pro-image-preview-2k-async", "Nano Banana Pro at 2K through the task API"),
                ("gemini-3-pro-image-preview-4k-async", "Nano Banana Pro at 4K through the task API"),
                ("mj-imagine", "Midjourney through the task API"),
            },
            Pattern = Names(@".*-async$|mj-imagine"),
            Fields = Fields("model", "prompt", "size"),
            Generate = OperationRoute.Tasks,
            Edit = OperationRoute.Tasks,
            SizeWhenUnset = "1:1",
            AspectRatio = RatioMapping.RatioWithColon,
            AspectRatios = GeminiRatios,
            TakesAnyPixels = true,
            QualityRefusal = "the task API takes no quality; the -2k-async and -4k-async names choose the resolution.",
            // The synchronous models these make the same images as: a 524 on one of them names its async twin.
            AsyncTwins = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
            {
                ["gemini-3-pro-image-preview"] = "gemini-3-pro-image-preview-async",
                ["gemini-3-pro-image-preview-2k"] = "gemini-3-pro-image-preview-2k-async",
                ["gemini-3-pro-image-preview-2k-vip"] = "gemini-3-pro-image-preview-2k-async",
                ["gemini-3-pro-image-preview-4k"] = "gemini-3-pro-image-preview-4k-async",
                ["gemini-3-pro-image-preview-4k-vip"] = "gemini-3-pro-image-preview-4k-async",
                ["gemini-3-pro-image-preview-hd"] = "gemini-3-pro-image-preview-4k-async",
            },
        },
        new ModelFamily
        {
            Name = "Gemini 3.1 Flash, fixed resolution",
            Line = "Gemini",
            Examples = "gemini-3.1-flash-image-preview-2k, -4k",
            Models = new[]
            {
                ("gemini-3.1-flash-image-preview-2k", "Gemini 3.1 Flash Image at 2K"),
                ("gemini-3.1-flash-image-preview-4k", "Gemini 3.1 Flash Image at 4K"),
            },
            Pattern = Names(@"gemini-3\.1-flash.*-(?:hd|2k|4k|vip|2k-vip|4k-vip)$"),
            Fields = FixedResolutionFields,
            AspectRatios = WideGeminiRatios,
            TakesAnyPixels = true,
            PixelExamples = SquareAndOpenAI,
            TakesAuto = true,
            QualityRefusal = FixedResolution,
            QualityAdvice = ForResolution,
            MaxReferenceImages = 14,
        },
        new ModelFamily
        {
            Name = "Gemini, fixed resolution",
            Line = "Gemini",
            Examples = "gemini-3-pro-image-preview-hd, -2k, -4k, -vip, -2k-vip, -4k-vip; gemini-2.5-flash-image, -vip",
            Models = new[]
            {
                ("gemini-3-pro-image-preview-hd", "Nano Banana Pro at 4K"),
                ("gemini-3-pro-image-preview-2k", "Nano Banana Pro at 2K"),
                ("gemini-3-pro-image-preview-4k", "Nano Banana Pro at 4K"),
                ("gemini-3-pro-image-preview-vip", "Nano Banana Pro, vip channel"),
                ("gemini-3-pro-image-preview-2k-vip", "Nano Banana Pro at 2K, vip channel"),
                ("gemini-3-pro-image-preview-4k-vip", "Nano Banana Pro at 4K, vip channel"),
                ("gemini-2.5-flash-image", "Nano Banana (Gemini 2.5 Flash Image)"),
                ("gemini-2.5-flash-image-vip", "Nano Banana, vip channel"),
            },
            Pattern = Names(@"gemini-.*-(?:hd|2k|4k|vip|2k-vip|4k-vip)$|gemini-2\.5-flash-image"),
            Fields = FixedResolutionFields,
            AspectRatios = GeminiRatios,
            TakesAnyPixels = true,
            PixelExamples = SquareAndOpenAI,
            TakesAuto = true,
            QualityRefusal = FixedResolution,
            QualityAdvice = ForResolution,
            MaxReferenceImages = 14,
        },
        new ModelFamily
        {
            Name = "Gemini 3.1 Flash",
            Line = "Gemini",
            Examples = "gemini-3.1-flash-image-preview",
            Models = new[] { ("gemini-3.1-flash-image-preview", "Gemini 3.1 Flash Image: fast; 1k/2k/4k; ratios down to 1:8") },
            Pattern = Names(@"gemini-[\d.]+-flash-image"),
            Fields = GeminiFields,
            AspectRatios = WideGeminiRatios,
            TakesAnyPixels = true,
            PixelExamples = SquareAndOpenAI,
            TakesAuto = true,
            Qualities = GeminiQualities,
            MaxReferenceImages = 14,
        },
        new ModelFamily
        {
            Name = "Gemini 3 Pro",
            Line = "Gemini",
            Examples = "gemini-3-pro-image-preview (the default)",
            Models = new[] { ("gemini-3-pro-image-preview", "Nano Banana Pro: 1k/2k/4k quality, aspect ratios, up to 14 reference images (default)") },
            // Any other Gemini image model resembles the default: gemini-3.5-pro-image-preview gets its rules.
            Pattern = Names(@"gemini-.*image"),
            Fields = GeminiFields,
            AspectRatios = GeminiRatios,
            TakesAnyPixels = true,
            PixelExamples = SquareAndOpenAI,
            TakesAuto = true,
            Qualities = GeminiQualities,
            MaxReferenceImages = 14,
        },
        new ModelFamily
        {
            Name = "gpt-image-1",
            Line = "gpt-image",
            Examples = "gpt-image-1, gpt-image-1-mini",
            Models = new[]
            {
                ("gpt-image-1", "OpenAI gpt-image-1: 1024x1024, 1536x1024, 1024x1536"),
                ("gpt-image-1-mini", "OpenAI gpt-image-1-mini: cheaper, the same sizes"),
            },
            // Not 1.5, whose own row follows.
            Pattern = Names(@"gpt-image-1(?!\.5)"),
            Fields = GptImageFields,
            GenerateWithReferences = OperationRoute.Edits,
            AspectRatio = RatioMapping.NearestPixelSize,
            AspectRatios = OpenAIRatios,
            PixelSizes = SquareAndOpenAI,
            TakesAuto = true,
            MakesExactPixels = true,
            Qualities = GptImageQualities,
            MaxReferenceImages = 16,
            MaxImageBytes = GptImageMaxBytes,
        },
        new ModelFamily
        {
            Name = "gpt-image-1.5",
            Line = "gpt-image",
            Examples = "gpt-image-1.5",
            Models = new[] { ("gpt-image-1.5", "OpenAI gpt-image-1.5: 1024x1024, 1536x1024, 1024x1536 (1:1, 3:2, 2:3)") },
            Pattern = Names(@"gpt-image-1\.5"),
            Fields = GptImageFields,
            GenerateWithReferences = OperationRoute.Edits,
            AspectRatio = RatioMapping.NearestPixelSize,
            AspectRatios = new[] { "1:1", "3:2", "2:3" },
            PixelSizes = SquareAndOpenAI,
            TakesAuto = true,
            MakesExactPixels = true,
            Qualities = GptImageQualities,
            MaxReferenceImages = 16,
            MaxImageBytes = GptImageMaxBytes,
        },
        new ModelFamily
        {
            Name = "gpt-image-2",
            Line = "gpt-image",
            Examples = "gpt-image-2",
            Models = new[] { ("gpt-image-2", "OpenAI gpt-image-2: any pixels within its rules") },
            // Every gpt-image after 1.x resembles the newest: gpt-image-2.5 gets its pixels from a ratio.
            Pattern = Names(@"gpt-image-(?!1)"),
            Fields = GptImageFields,
            GenerateWithReferences = OperationRoute.Edits,
            AspectRatio = RatioMapping.ComputedPixels,
            AspectRatios = new[] { "1:1", "3:2", "2:3", "4:3", "3:4", "16:9", "9:16", "21:9", "3:1", "1:3" },
            TakesAnyPixels = true,
            PixelExamples = new[] { "1024x1024", "1536x1024", "1024x1536", "2048x1152", "1152x2048", "3840x2160" },
            Pixels = new PixelRules
            {
                Multiple = 16, MaxEdge = 3840, MinPixels = 655_360, MaxPixels = 8_294_400, MaxRatio = 3,
                DefaultLongEdge = 1024, LongEdgeByQuality = new Dictionary<string, int> { ["2k"] = 2048 },
            },
            TakesAuto = true,
            MakesExactPixels = true,
            Qualities = GptImageQualities.Concat(new[]
            {
                new QualityWord("2k", "gpt-image-2: pixels with a 2048 long edge, sent as quality high (as the service's client does)", sentAs: "high"),
            }).ToArray(),
            MaxReferenceImages = 16,
            MaxImageBytes = GptImageMaxBytes,
        },
        new ModelFamily
        {
            Name = "dall-e-3",
            Line = "dall-e-3",
            Examples = "dall-e-3",
            Models = new[] { ("dall-e-3", "OpenAI DALL-E 3") },
            Pattern = Names(@"dall-e-3"),
            Fields = Fields(ImagesApi.Concat(new[] { "quality", "style" }).ToArray()),
            Generate = OperationRoute.GenerationsOnly,
            Edit = OperationRoute.GenerationsOnly,
            AspectRatio = RatioMapping.NearestPixelSize,
            AspectRatios = OpenAIRatios,
            PixelSizes = new[] { "1024x1024", "1792x1024", "1024x1792" },
            MakesExactPixels = true,
            Qualities = DallEQualities,
        },
        new ModelFamily
        {
            Name = "FLUX",
            Line = "FLUX",
            Examples = "flux-kontext-pro, flux-kontext-max, bfl-flux-2-pro, bfl-flux-2-max",
            Models = new[]
            {
                ("flux-kontext-pro", "FLUX.1 Kontext pro: -AspectRatio 21:9 to 9:21, -Seed; references as URLs"),
                ("flux-kontext-max", "FLUX.1 Kontext max"),
                ("bfl-flux-2-pro", "FLUX.2 pro"),
                ("bfl-flux-2-max", "FLUX.2 max"),
            },
            Pattern = Names(@"flux-|bfl-flux"),
            // No size: the shape goes in aspect_ratio. safety_tolerance and prompt_upsampling go by -AdditionalParameter.
            Fields = new[]
            {
                new FamilyField("model"), new FamilyField("prompt"), new FamilyField("n"), new FamilyField("size", sentAs: "aspect_ratio"),
                new FamilyField("response_format"), new FamilyField("user"), new FamilyField("output_format", null, "jpeg", "png"), new FamilyField("seed"),
            },
            Generate = OperationRoute.GenerationsWithPromptUrls,
            Edit = OperationRoute.GenerationsWithPromptUrls,
            AspectRatio = RatioMapping.RatioWithColon,
            AspectRatios = new[] { "21:9", "16:9", "3:2", "4:3", "1:1", "3:4", "2:3", "9:16", "9:21" },
            RatioLimit = 21.0 / 9,
            PixelsAsRatio = true,
            QualityRefusal = NoQuality,
        },
        new ModelFamily
        {
            Name = "Seedream 4.5",
            Line = "Seedream",
            Examples = "doubao-seedream-4-5-251128",
            Models = new[] { ("doubao-seedream-4-5-251128", "ByteDance Seedream 4.5: -Size 2K, 4K or pixels") },
            Pattern = Names(@"doubao-seedream-4-5"),
            Fields = SeedreamFields,
            AspectRatio = RatioMapping.NotAccepted,
            Presets = new[] { "2K", "4K" },
            TakesAnyPixels = true,
            PixelExamples = new[] { "2048x2048", "2560x1440", "1440x2560" },
            MakesExactPixels = true,
            QualityRefusal = NoQuality + " Give -Size 2K or 4K for the resolution.",
            MaxReferenceImages = 14,
        },
        new ModelFamily
        {
            Name = "Seedream 4.0",
            Line = "Seedream",
            Examples = "doubao-seedream-4-0-250828",
            Models = new[] { ("doubao-seedream-4-0-250828", "ByteDance Seedream 4.0: -Size 1K, 2K, 4K or pixels") },
            Pattern = Names(@"doubao-seedream-4-0"),
            Fields = SeedreamFields,
            AspectRatio = RatioMapping.NotAccepted,
            Presets = new[] { "1K", "2K", "4K" },
            TakesAnyPixels = true,
            PixelExamples = new[] { "2048x2048", "2560x1440", "1440x2560" },
            MakesExactPixels = true,
            QualityRefusal = NoQuality + " Give -Size 1K, 2K or 4K for the resolution.",
            MaxReferenceImages = 14,
        },
        new ModelFamily
        {
            Name = "Seedream 3.0",
            Line = "Seedream",
            Examples = "doubao-seedream-3-0-t2i-250415",
            Models = new[] { ("doubao-seedream-3-0-t2i-250415", "ByteDance Seedream 3.0: -Size in pixels, no references") },
            Pattern = Names(@"doubao-seedream-3-0"),
            Fields = SeedreamFields,
            Generate = OperationRoute.GenerationsOnly,
            Edit = OperationRoute.GenerationsOnly,
            AspectRatio = RatioMapping.NotAccepted,
            TakesAnyPixels = true,
            PixelExamples = new[] { "1024x1024", "1280x720", "720x1280" },
            MakesExactPixels = true,
            QualityRefusal = NoQuality + " Give -Size WIDTHxHEIGHT for the resolution.",
        },
        new ModelFamily
        {
            Name = "Seedream 5.0",
            Line = "Seedream",
            Examples = "doubao-seedream-5-0-260128",
            Models = new[] { ("doubao-seedream-5-0-260128", "ByteDance Seedream 5.0: -Size 2K, 3K or pixels") },
            // After the other Seedream rows: any Seedream they do not match resembles the newest.
            Pattern = Names(@"doubao-seedream-"),
            Fields = SeedreamFields,
            AspectRatio = RatioMapping.NotAccepted,
            Presets = new[] { "2K", "3K" },
            TakesAnyPixels = true,
            PixelExamples = new[] { "2048x2048", "2560x1440", "1440x2560" },
            MakesExactPixels = true,
            QualityRefusal = NoQuality + " Give -Size 2K or 3K for the resolution.",
            MaxReferenceImages = 14,
        },
        new ModelFamily
        {
            Name = "SeedEdit 3.0 (removed)",
            Line = "Seedream",
            Examples = "doubao-seededit-3-0-i2i-250628",
            Pattern = Names(@"doubao-seededit-3-0"),
            Removed = "was removed by the service; Seedream 4.x edits with reference images instead.",
            RemovedAdvice = "Use -Model doubao-seedream-4-5-251128 (or doubao-seedream-4-0-250828) with -ReferenceImage.",
        },
    };

    /// <summary>
    /// The catch-all row for a name the table does not know: nothing refused, every field sent as given, -Size as
    /// written, -Quality any word, -AspectRatio as 16x9 (the service's most common form), the images API's routes.
    /// </summary>
    public static readonly ModelFamily Unknown = new()
    {
        Name = "unknown",
        Examples = "any other name",
        AspectRatios = GeminiRatios,
        TakesAnyPixels = true,
        // What the known families take, since the model may be any of their kind under a new name.
        PixelExamples = new[] { "1024x1024", "1536x1024", "1024x1536", "1792x1024", "1024x1792", "2K", "4K" },
        TakesAuto = true,
        // Every known word, each saying which family takes it.
        Qualities = GeminiQualities.Concat(GptImageQualities).Concat(DallEQualities).ToArray(),
    };

    /// <summary>Model names offered by -Model completion, with what they are: the default first, the task API's last.</summary>
    public static readonly IReadOnlyList<(string Id, string Description)> KnownModels = All
        .Where(f => f.Removed is null)
        .OrderBy(f => f.Route == ModelRoute.Tasks)
        .SelectMany(f => f.Models)
        .OrderBy(m => m.Id != TuZiClientOptions.DefaultModel)
        .ToArray();

    /// <summary>
    /// The async model that makes what a synchronous <paramref name="model"/> makes, for advice after a request was
    /// cut off; null when the service has none.
    /// </summary>
    public static string? AsyncTwinOf(string? model)
    {
        string name = model?.Trim() ?? "";
        return All.Select(f => f.AsyncTwins.TryGetValue(name, out string? twin) ? twin : null).FirstOrDefault(t => t is not null);
    }

    /// <summary>
    /// The family of a model name (case and surrounding spaces ignored): the row that lists it, else the first row it
    /// resembles, else <see cref="Unknown"/>.
    /// </summary>
    public static ModelFamily Find(string model)
    {
        if (string.IsNullOrWhiteSpace(model))
        {
            return Unknown;
        }
        return All.FirstOrDefault(f => f.Lists(model)) ?? All.FirstOrDefault(f => f.Matches(model)) ?? Unknown;
    }

    /// <summary>The families that take a body field (with that value, when given), for messages that say where it goes.</summary>
    public static IEnumerable<ModelFamily> Taking(BodyField field, string? value = null) =>
        All.Where(f => f.Removed is null && f.Use(field) is { } use && use.Takes(value));

    /// <summary>
    /// The lines of models that take a field's value, as a tooltip starts ("gpt-image, FLUX"); empty when every line
    /// of the images API takes it, which needs no saying.
    /// </summary>
    public static string LinesTaking(BodyField field, string value)
    {
        var lines = Taking(field, value).Select(f => f.Line).Distinct().ToList();
        var images = All.Where(f => f.Removed is null && f.Route == ModelRoute.Images).Select(f => f.Line).Distinct();
        return images.All(lines.Contains) ? "" : string.Join(", ", lines);
    }
}
