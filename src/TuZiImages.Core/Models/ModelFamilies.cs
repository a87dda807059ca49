using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;

namespace TuZiImages.Core.Models;

/// <summary>
/// THE table of model families: how each takes -AspectRatio, -Size, -Quality and reference images, and which
/// route it uses. When the service adds a model, this is the one place to change; validation, completion and
/// help read it. From the service's own client (tuziapi/tuzi-skills, skills/tuzi-image-gen).
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

    /// <summary>Model names offered by -Model completion, with what they are; the service changes them often, so a help, not a limit.</summary>
    public static readonly IReadOnlyList<(string Id, string Description)> KnownModels = new[]
    {
        ("gemini-3-pro-image-preview", "Nano Banana Pro: 1k/2k/4k quality, aspect ratios, up to 14 reference images (default)"),
        ("gemini-3-pro-image-preview-hd", "Nano Banana Pro at 4K"),
        ("gemini-3-pro-image-preview-2k", "Nano Banana Pro at 2K"),
        ("gemini-3-pro-image-preview-4k", "Nano Banana Pro at 4K"),
        ("gemini-3.1-flash-image-preview", "Gemini 3.1 Flash Image: fast; 1k/2k/4k; ratios down to 1:8"),
        ("gemini-2.5-flash-image", "Nano Banana (Gemini 2.5 Flash Image)"),
        ("gemini-3-pro-image-preview-async", "Nano Banana Pro through the task API"),
        ("gpt-image-1", "OpenAI gpt-image-1: 1024x1024, 1536x1024, 1024x1536"),
        ("gpt-image-1.5", "OpenAI gpt-image-1.5: 1024x1024, 1536x1024, 1024x1536"),
        ("gpt-image-2", "OpenAI gpt-image-2: any pixels within its rules"),
        ("dall-e-3", "OpenAI DALL-E 3"),
        ("flux-kontext-pro", "FLUX.1 Kontext pro"),
        ("flux-kontext-max", "FLUX.1 Kontext max"),
        ("doubao-seedream-4-5-251128", "ByteDance Seedream 4.5: -Size 2K, 4K or pixels"),
        ("doubao-seedream-4-0-250828", "ByteDance Seedream 4.0: -Size 1K, 2K, 4K or pixels"),
        ("doubao-seedream-3-0-t2i-250415", "ByteDance Seedream 3.0: -Size in pixels, no references"),
    };

    private const string FixedResolution = "its resolution is in its name; pick the model for the size (-2k, -4k) instead.";
    private const string NoQuality = "the model has no quality setting.";

    /// <summary>In order: the first family whose pattern matches a model name is its family.</summary>
    public static readonly IReadOnlyList<ModelFamily> All = new[]
    {
        new ModelFamily
        {
            Name = "async (task API)",
            Examples = "gemini-3-pro-image-preview-async, -2k-async, -4k-async, mj-imagine",
            Pattern = Names(@".*-async$|mj-imagine"),
            Route = ModelRoute.Tasks,
            AspectRatio = RatioMapping.RatioWithColon,
            AspectRatios = GeminiRatios,
            TakesAnyPixels = true,
            Quality = QualityUse.NotTaken,
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
            Name = "Seedream 5.0",
            Examples = "doubao-seedream-5-0-260128",
            Pattern = Names(@"doubao-seedream-5-0"),
            AspectRatio = RatioMapping.NotAccepted,
            Presets = new[] { "2K", "3K" },
            TakesAnyPixels = true,
            PixelExamples = new[] { "2048x2048", "2560x1440", "1440x2560" },
            MakesExactPixels = true,
            Quality = QualityUse.NotTaken,
            QualityRefusal = NoQuality + " Give -Size 2K or 3K for the resolution.",
            MaxReferenceImages = 14,
        },
        new ModelFamily
        {
            Name = "Seedream 4.5",
            Examples = "doubao-seedream-4-5-251128",
            Pattern = Names(@"doubao-seedream-4-5"),
            AspectRatio = RatioMapping.NotAccepted,
            Presets = new[] { "2K", "4K" },
            TakesAnyPixels = true,
            PixelExamples = new[] { "2048x2048", "2560x1440", "1440x2560" },
            MakesExactPixels = true,
            Quality = QualityUse.NotTaken,
            QualityRefusal = NoQuality + " Give -Size 2K or 4K for the resolution.",
            MaxReferenceImages = 14,
        },
        new ModelFamily
        {
            Name = "Seedream 4.0",
            Examples = "doubao-seedream-4-0-250828",
            Pattern = Names(@"doubao-seedream-4-0"),
            AspectRatio = RatioMapping.NotAccepted,
            Presets = new[] { "1K", "2K", "4K" },
            TakesAnyPixels = true,
            PixelExamples = new[] { "2048x2048", "2560x1440", "1440x2560" },
            MakesExactPixels = true,
            Quality = QualityUse.NotTaken,
            QualityRefusal = NoQuality + " Give -Size 1K, 2K or 4K for the resolution.",
            MaxReferenceImages = 14,
        },
        new ModelFamily
        {
            Name = "Seedream 3.0",
            Examples = "doubao-seedream-3-0-t2i-250415",
            Pattern = Names(@"doubao-seedream-3-0"),
            AspectRatio = RatioMapping.NotAccepted,
            TakesAnyPixels = true,
            PixelExamples = new[] { "1024x1024", "1280x720", "720x1280" },
            MakesExactPixels = true,
            Quality = QualityUse.NotTaken,
            QualityRefusal = NoQuality + " Give -Size WIDTHxHEIGHT for the resolution.",
            MaxReferenceImages = 0,
        },
        new ModelFamily
        {
            Name = "gpt-image-2",
            Examples = "gpt-image-2",
            Pattern = Names(@"gpt-image-2"),
            AspectRatio = RatioMapping.ComputedPixels,
            AspectRatios = new[] { "1:1", "3:2", "2:3", "4:3", "3:4", "16:9", "9:16", "21:9", "3:1", "1:3" },
            TakesAnyPixels = true,
            PixelExamples = new[] { "1024x1024", "1536x1024", "1024x1536", "2048x1152", "1152x2048", "3840x2160" },
            Pixels = new PixelRules
            {
                Multiple = 16, MaxEdge = 3840, MinPixels = 655_360, MaxPixels = 3840 * 2160, MaxRatio = 3,
                DefaultLongEdge = 1024, LongEdgeByQuality = new Dictionary<string, int> { ["2k"] = 2048 },
            },
            TakesAuto = true,
            MakesExactPixels = true,
            Quality = QualityUse.Listed,
            Qualities = GptImageQualities.Concat(new[]
            {
                new QualityWord("2k", "gpt-image-2: pixels with a 2048 long edge, sent as quality high (as the service's client does)", sentAs: "high"),
            }).ToArray(),
        },
        new ModelFamily
        {
            Name = "gpt-image-1",
            Examples = "gpt-image-1, gpt-image-1.5, gpt-image-1-mini",
            Pattern = Names(@"gpt-image-1"),
            AspectRatio = RatioMapping.NearestPixelSize,
            AspectRatios = OpenAIRatios,
            PixelSizes = new[] { "1024x1024", "1536x1024", "1024x1536" },
            TakesAuto = true,
            MakesExactPixels = true,
            Quality = QualityUse.Listed,
            Qualities = GptImageQualities,
        },
        new ModelFamily
        {
            Name = "dall-e-3",
            Examples = "dall-e-3",
            Pattern = Names(@"dall-e-3"),
            AspectRatio = RatioMapping.NearestPixelSize,
            AspectRatios = OpenAIRatios,
            PixelSizes = new[] { "1024x1024", "1792x1024", "1024x1792" },
            MakesExactPixels = true,
            Quality = QualityUse.Listed,
            Qualities = DallEQualities,
            MaxReferenceImages = 0,
        },
        new ModelFamily
        {
            Name = "Gemini 3.1 Flash, fixed resolution",
            Examples = "gemini-3.1-flash-image-preview-2k, -4k",
            Pattern = Names(@"gemini-3\.1-flash.*-(?:hd|2k|4k|vip|2k-vip|4k-vip)$"),
            AspectRatios = WideGeminiRatios,
            TakesAnyPixels = true,
            PixelExamples = SquareAndOpenAI,
            TakesAuto = true,
            Quality = QualityUse.NotTaken,
            QualityRefusal = FixedResolution,
            MaxReferenceImages = 14,
        },
        new ModelFamily
        {
            Name = "Gemini, fixed resolution",
            Examples = "gemini-3-pro-image-preview-hd, -2k, -4k, -vip, -2k-vip, -4k-vip; gemini-2.5-flash-image",
            Pattern = Names(@"gemini-.*-(?:hd|2k|4k|vip|2k-vip|4k-vip)$|gemini-2\.5-flash-image"),
            AspectRatios = GeminiRatios,
            TakesAnyPixels = true,
            PixelExamples = SquareAndOpenAI,
            TakesAuto = true,
            Quality = QualityUse.NotTaken,
            QualityRefusal = FixedResolution,
            MaxReferenceImages = 14,
        },
        new ModelFamily
        {
            Name = "Gemini 3.1 Flash",
            Examples = "gemini-3.1-flash-image-preview",
            Pattern = Names(@"gemini-3\.1-flash-image"),
            AspectRatios = WideGeminiRatios,
            TakesAnyPixels = true,
            PixelExamples = SquareAndOpenAI,
            TakesAuto = true,
            Quality = QualityUse.Listed,
            Qualities = GeminiQualities,
            MaxReferenceImages = 14,
        },
        new ModelFamily
        {
            Name = "Gemini 3 Pro",
            Examples = "gemini-3-pro-image-preview (the default)",
            Pattern = Names(@"gemini-3-pro-image"),
            AspectRatios = GeminiRatios,
            TakesAnyPixels = true,
            PixelExamples = SquareAndOpenAI,
            TakesAuto = true,
            Quality = QualityUse.Listed,
            Qualities = GeminiQualities,
            MaxReferenceImages = 14,
        },
        new ModelFamily
        {
            Name = "FLUX",
            Examples = "flux-kontext-pro, flux-kontext-max, bfl-flux-2-*",
            Pattern = Names(@"flux-|bfl-flux"),
            AspectRatios = GeminiRatios,
            TakesAnyPixels = true,
            PixelExamples = SquareAndOpenAI,
            Quality = QualityUse.NotTaken,
            QualityRefusal = NoQuality,
        },
    };

    /// <summary>
    /// The catch-all row for a name the table does not know: nothing refused, -Size sent as written, -Quality any
    /// word, -AspectRatio as 16x9 (the service's most common form).
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
        Quality = QualityUse.AnyWord,
        // Every known word, each saying which family takes it.
        Qualities = GeminiQualities.Concat(GptImageQualities).Concat(DallEQualities).ToArray(),
    };

    /// <summary>
    /// The async model that makes what a synchronous <paramref name="model"/> makes, for advice after a request was
    /// cut off; null when the service has none.
    /// </summary>
    public static string? AsyncTwinOf(string? model)
    {
        string name = model?.Trim() ?? "";
        return All.Select(f => f.AsyncTwins.TryGetValue(name, out string? twin) ? twin : null).FirstOrDefault(t => t is not null);
    }

    /// <summary>The family of a model name (case and surrounding spaces ignored); <see cref="Unknown"/> when none matches.</summary>
    public static ModelFamily Find(string model) =>
        string.IsNullOrWhiteSpace(model) ? Unknown : All.FirstOrDefault(f => f.Matches(model)) ?? Unknown;
}
