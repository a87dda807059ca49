using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System;
using TuZiImages.Core.Bodies;
using TuZiImages.Core.Requests;

namespace TuZiImages.Core.Models;

/// <summary>
/// One family of models that take sizes, qualities, fields and references the same way. The rows are in
/// <see cref="ModelFamilies"/>; this type only turns a row and what was asked into what is sent.
/// </summary>
/// <remarks>
/// A model the row lists by name (<see cref="Models"/>) is held to the row: what it does not list is refused before
/// anything is sent. A name that only resembles the family (<see cref="Pattern"/>: gpt-image-2.5, a new Seedream
/// build) is a newer version than the table: it gets the row's translations (a ratio to pixels, the route, the
/// carrier, wire names) and no refusal of values the row does not list, which go as written.
/// </remarks>
public sealed class ModelFamily
{
    public string Name { get; init; } = "";
    /// <summary>The line of models, as tooltips name it: "gpt-image", "Gemini", "FLUX"...</summary>
    public string Line { get; init; } = "";
    /// <summary>Model names of the family, for help and messages.</summary>
    public string Examples { get; init; } = "";
    /// <summary>The versions the table knows by name, each with what it is (completion offers them).</summary>
    public IReadOnlyList<(string Id, string Description)> Models { get; init; } = Array.Empty<(string, string)>();
    /// <summary>Names that resemble the family: a name it does not list but this matches is a newer version.</summary>
    internal Regex? Pattern { get; init; }

    /// <summary>The body fields the family takes (rows of Bodies.BodyFields by name) and what it calls them.</summary>
    public IReadOnlyList<FamilyField> Fields { get; init; } = Array.Empty<FamilyField>();
    /// <summary>A generation without reference images.</summary>
    public OperationRoute Generate { get; init; } = OperationRoute.Generations;
    /// <summary>A generation with reference images (gpt-image: the edits endpoint); null: as <see cref="Generate"/>.</summary>
    public OperationRoute? GenerateWithReferences { get; init; }
    /// <summary>Edit-TuZiImage's request.</summary>
    public OperationRoute Edit { get; init; } = OperationRoute.Edits;
    /// <summary>What is sent as the size when none was asked; null: nothing (the task API's client sends 1:1).</summary>
    public string? SizeWhenUnset { get; init; }
    /// <summary>Why no request may go to the family at all (a model the service removed), naming what replaces it.</summary>
    public string? Removed { get; init; }
    public string? RemovedAdvice { get; init; }

    public RatioMapping AspectRatio { get; init; } = RatioMapping.RatioWithX;
    /// <summary>The ratios the family takes (offered by completion); a known version refuses others unless <see cref="RatioLimit"/> is set.</summary>
    public IReadOnlyList<string> AspectRatios { get; init; } = Array.Empty<string>();
    /// <summary>When set, any ratio whose long side is at most this many times its short side is taken (FLUX: 21:9 to 9:21).</summary>
    public double? RatioLimit { get; init; }
    /// <summary>-Size WIDTHxHEIGHT is sent as its ratio (FLUX takes no pixels, only an aspect ratio).</summary>
    public bool PixelsAsRatio { get; init; }
    /// <summary>When not empty, the only pixel sizes the family takes.</summary>
    public IReadOnlyList<string> PixelSizes { get; init; } = Array.Empty<string>();
    /// <summary>Takes any WIDTHxHEIGHT (within <see cref="Pixels"/> if set).</summary>
    public bool TakesAnyPixels { get; init; }
    public PixelRules? Pixels { get; init; }
    /// <summary>Pixel sizes offered by completion for a family that takes any (it takes others too).</summary>
    public IReadOnlyList<string> PixelExamples { get; init; } = Array.Empty<string>();
    /// <summary>Size words such as 2K, sent upper case.</summary>
    public IReadOnlyList<string> Presets { get; init; } = Array.Empty<string>();
    public bool TakesAuto { get; init; }
    /// <summary>True when the model makes exactly the pixels asked for; false when it keeps only their ratio.</summary>
    public bool MakesExactPixels { get; init; }
    public IReadOnlyList<QualityWord> Qualities { get; init; } = Array.Empty<QualityWord>();
    /// <summary>Why -Quality is refused, when the family takes none.</summary>
    public string? QualityRefusal { get; init; }
    /// <summary>What to do instead, when the family takes no -Quality; null: leave it out.</summary>
    public string? QualityAdvice { get; init; }
    /// <summary>Null: no limit known here.</summary>
    public int? MaxReferenceImages { get; init; }
    /// <summary>The most bytes one image file may have (gpt-image: 50 MB); null: no limit known here.</summary>
    public long? MaxImageBytes { get; init; }
    /// <summary>Task-API rows: the synchronous model each of their models makes the same images as.</summary>
    public IReadOnlyDictionary<string, string> AsyncTwins { get; init; } = new Dictionary<string, string>();

    /// <summary>Known to the table (not the catch-all row for names it does not know).</summary>
    public bool IsKnown => Pattern is not null;

    /// <summary>Which API the family's models are reached through.</summary>
    public ModelRoute Route => Generate.Endpoint == BodyEndpoints.Tasks ? ModelRoute.Tasks : ModelRoute.Images;

    /// <summary>Whether -Quality means something to the family: any word (not known here), its own words, or none.</summary>
    public QualityUse Quality => !IsKnown ? QualityUse.AnyWord : Takes("quality") ? QualityUse.Listed : QualityUse.NotTaken;

    public bool Matches(string model) => Pattern?.IsMatch(model.Trim()) ?? true;

    /// <summary>
    /// True when the table lists the model by name: it is held to the row. False for a name that only resembles
    /// the family (a newer version) and for names of no family.
    /// </summary>
    public bool Lists(string model) =>
        IsKnown && Models.Any(m => string.Equals(m.Id, model.Trim(), StringComparison.OrdinalIgnoreCase));

    /// <summary>The family's entry for a body field, or null when it does not take it.</summary>
    public FamilyField? Use(BodyField field) => field.Value.IsFiles ? null : Fields.FirstOrDefault(f => f.Field == field.Name);

    /// <summary>
    /// True when a model the family lists by name does not take the field, or not that value of it; a name that
    /// only resembles the family (a newer version) is refused nothing.
    /// </summary>
    public bool Refuses(string model, BodyField field, object value) =>
        Lists(model) && !(Use(field)?.Takes(value) ?? false);

    private bool Takes(string field) => Fields.Any(f => f.Field == field);

    /// <summary>Where a request goes: an edit, a generation with reference images, or one without.</summary>
    public OperationRoute RouteFor(bool edit, bool withReferences) =>
        edit ? Edit : withReferences ? GenerateWithReferences ?? Generate : Generate;

    /// <summary>What -Size can be for this family, for completion and messages.</summary>
    public IEnumerable<string> SizeChoices() =>
        PixelSizes.Concat(Presets).Concat(TakesAuto ? new[] { "auto" } : Array.Empty<string>());

    /// <summary>What completion offers for -Size: the sizes it takes, then examples of free pixel sizes.</summary>
    public IEnumerable<string> CompletionSizes() => Presets.Concat(PixelSizes).Concat(PixelExamples).Concat(TakesAuto ? new[] { "auto" } : Array.Empty<string>());

    /// <summary>Refuses any request to a model the service removed, naming what replaces it.</summary>
    public void RefuseIfRemoved(string model, string? target)
    {
        if (Removed is not null)
        {
            throw TuZiImagesException.InvalidInput($"{model} ({Name}) {Removed}", target ?? model, RemovedAdvice);
        }
    }

    /// <summary>The size field for what was asked: -AspectRatio or -Size (not both), with -Quality where it decides pixels.</summary>
    /// <returns>Null when neither was given and the family needs no size for the quality asked.</returns>
    public string? SizeFor(string model, string? aspectRatio, string? size, string? quality)
    {
        if (aspectRatio is not null)
        {
            return SizeForRatio(model, aspectRatio, quality);
        }
        if (size is not null)
        {
            return CheckSize(model, size);
        }
        // gpt-image-2 at 2k: the long edge is in the pixels, so a size goes with the word even without a ratio.
        if (AspectRatio == RatioMapping.ComputedPixels && quality is not null && Pixels!.LongEdgeByQuality.ContainsKey(Word(quality)))
        {
            return SizeForRatio(model, "1:1", quality);
        }
        return null;
    }

    /// <summary>The quality field for a -Quality word; null for none.</summary>
    public string? QualityFor(string model, string? quality)
    {
        if (quality is null)
        {
            return null;
        }
        string word = ImageSizes.NormalizeQuality(quality);
        bool strict = Lists(model);
        switch (Quality)
        {
            case QualityUse.NotTaken when strict:
                throw TuZiImagesException.InvalidInput($"{model} takes no -Quality ('{quality}'): {QualityRefusal}", quality,
                    "Leave out -Quality" + (QualityAdvice is null ? "." : ", or " + QualityAdvice));
            case QualityUse.Listed:
                var known = Qualities.FirstOrDefault(q => q.Word == word);
                if (known is null && strict)
                {
                    throw TuZiImagesException.InvalidInput(
                        $"{model} ({Name}) does not take -Quality '{quality}'.", quality,
                        $"Use one of {string.Join(", ", Qualities.Select(q => q.Word))}.");
                }
                return known?.SentAs ?? word;
            default:
                return word;
        }
    }

    /// <summary>
    /// Refuses more images than the family takes, or a file larger than it takes: nothing is paid for a request it
    /// cannot take. Only for versions the table lists; a newer one may take more.
    /// </summary>
    public void CheckImages(string model, IReadOnlyList<InputImage> files, int count, string target, string parameter)
    {
        if (!Lists(model))
        {
            return;
        }
        if (MaxReferenceImages is { } max && count > max)
        {
            throw TuZiImagesException.InvalidInput($"{model} ({Name}) takes at most {max} reference images; {parameter} gave {count}.", target,
                $"Send at most {max} images in one request.");
        }
        if (MaxImageBytes is { } limit && files.FirstOrDefault(f => f.Length > limit) is { } large)
        {
            throw TuZiImagesException.InvalidInput(
                $"'{large.FileName}' is {ImageRequest.FormatBytes(large.Length)}; {model} ({Name}) takes image files of at most {ImageRequest.FormatBytes(limit)}.",
                large.FullPath, "Make the image smaller (for example save it as JPEG, or scale it down) and send it again.");
        }
    }

    private string SizeForRatio(string model, string aspectRatio, string? quality)
    {
        string ratio = ImageSizes.FromAspectRatio(aspectRatio); // "16x9"; refuses a malformed ratio
        var (w, h) = ImageSizes.ParseRatio(ratio);
        bool strict = Lists(model);
        if (strict && AspectRatio is not (RatioMapping.NotAccepted or RatioMapping.ComputedPixels) && !TakesRatio(w, h))
        {
            throw TuZiImagesException.InvalidInput(
                $"{model} ({Name}) does not take the aspect ratio '{aspectRatio.Trim()}': it takes {DescribeRatios()}.", aspectRatio,
                "Use one of those, or give -Size WIDTHxHEIGHT.");
        }
        switch (AspectRatio)
        {
            case RatioMapping.NotAccepted when strict:
                string example = Presets.Count > 0 ? $"-Size {(Presets.Contains("2K") ? "2K" : Presets[0])} or " : "";
                throw TuZiImagesException.InvalidInput(
                    $"{model} ({Name}) takes no aspect ratio ('{aspectRatio}'): it takes {DescribeSizes()}.", aspectRatio,
                    $"Give {example}-Size WIDTHxHEIGHT (for example -Size {ExamplePixels(w, h)}) instead of -AspectRatio.");
            case RatioMapping.RatioWithColon:
                return $"{w}:{h}";
            case RatioMapping.NearestPixelSize:
                return PixelSizes.Where(s => s != "auto")
                    .OrderBy(s => Math.Abs(Math.Log(ImageSizes.RatioOf(s)) - Math.Log((double)w / h)))
                    .First();
            case RatioMapping.ComputedPixels:
                return ComputePixels(model, aspectRatio, w, h, quality, strict);
            default:
                return ratio;
        }
    }

    private bool TakesRatio(int w, int h)
    {
        double ratio = (double)w / h;
        return RatioLimit is { } limit ? Math.Max(ratio, 1 / ratio) <= limit + 1e-9 : AspectRatios.Contains($"{w}:{h}");
    }

    private string DescribeRatios() =>
        RatioLimit is not null ? $"any ratio from {AspectRatios[0]} to {string.Join(":", Enumerable.Reverse(AspectRatios[0].Split(':')))}" : string.Join(", ", AspectRatios);

    /// <summary>Pixels from a ratio: edges multiples of the rule's step, the long edge from -Quality, grown to the minimum area.</summary>
    private string ComputePixels(string model, string aspectRatio, int w, int h, string? quality, bool strict)
    {
        var rules = Pixels!;
        double ratio = (double)w / h;
        if (strict && Math.Max(ratio, 1 / ratio) > rules.MaxRatio + 1e-9)
        {
            throw TuZiImagesException.InvalidInput(
                $"{model} ({Name}) takes ratios between 1:{rules.MaxRatio:0} and {rules.MaxRatio:0}:1; '{aspectRatio}' is wider.", aspectRatio,
                $"Use a ratio within {rules.MaxRatio:0}:1, for example 16:9 or 9:16.");
        }
        int longEdge = quality is not null && rules.LongEdgeByQuality.TryGetValue(Word(quality), out int edge) ? edge : rules.DefaultLongEdge;
        int Round(double value) => Math.Max(rules.Multiple, (int)Math.Round(value / rules.Multiple) * rules.Multiple);
        int width = ratio >= 1 ? longEdge : Round(longEdge * ratio);
        int height = ratio >= 1 ? Round(longEdge / ratio) : longEdge;
        while ((long)width * height < rules.MinPixels)
        {
            if (ratio >= 1)
            {
                width += rules.Multiple;
                height = Round(width / ratio);
            }
            else
            {
                height += rules.Multiple;
                width = Round(height * ratio);
            }
        }
        return $"{width}x{height}";
    }

    private string CheckSize(string model, string size)
    {
        string trimmed = size.Trim();
        if (trimmed.Length == 0)
        {
            throw TuZiImagesException.InvalidInput("The size is empty.", size, "Give pixels as 1024x1536, or leave out -Size.");
        }
        bool pixels = ImageSizes.TryParsePixels(trimmed, out int width, out int height);
        if (pixels && PixelsAsRatio)
        {
            // The family takes the shape only: 1920x1080 goes as 16:9.
            int divisor = GreatestCommonDivisor(width, height);
            return SizeForRatio(model, $"{width / divisor}:{height / divisor}", null);
        }
        string? preset = Presets.FirstOrDefault(p => p.Equals(trimmed, StringComparison.OrdinalIgnoreCase));
        if (!Lists(model))
        {
            // A model the table does not list may take sizes the row never heard of: the size goes as written.
            return preset ?? (pixels ? $"{width}x{height}" : trimmed);
        }
        if (trimmed.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return TakesAuto ? "auto" : throw Refuse(model, size);
        }
        if (preset is not null)
        {
            return preset;
        }
        string written = $"{width}x{height}";
        if (!pixels || (PixelSizes.Count > 0 && !PixelSizes.Contains(written)) || (PixelSizes.Count == 0 && !TakesAnyPixels))
        {
            throw Refuse(model, size);
        }
        if (Pixels is { } rules)
        {
            CheckPixelRules(model, size, width, height, rules);
        }
        return written;
    }

    private static int GreatestCommonDivisor(int a, int b) => b == 0 ? a : GreatestCommonDivisor(b, a % b);

    private void CheckPixelRules(string model, string size, int width, int height, PixelRules rules)
    {
        string? problem =
            width % rules.Multiple != 0 || height % rules.Multiple != 0 ? $"both edges must be multiples of {rules.Multiple}"
            : Math.Max(width, height) > rules.MaxEdge ? $"the long edge must be at most {rules.MaxEdge}"
            : (double)Math.Max(width, height) / Math.Min(width, height) > rules.MaxRatio ? $"the ratio must be within {rules.MaxRatio:0}:1"
            : (long)width * height < rules.MinPixels || (long)width * height > rules.MaxPixels
                ? $"the area must be {rules.MinPixels.ToString("N0", CultureInfo.InvariantCulture)} to {rules.MaxPixels.ToString("N0", CultureInfo.InvariantCulture)} pixels"
            : null;
        if (problem is not null)
        {
            throw TuZiImagesException.InvalidInput($"{model} ({Name}) cannot make {size.Trim()}: {problem}.", size,
                "Give -AspectRatio instead and the pixels are worked out, or for example -Size 1536x1024.");
        }
    }

    private TuZiImagesException Refuse(string model, string size)
    {
        // 2K to a Gemini model means its -Quality 2k: say so rather than only what -Size takes.
        var quality = Qualities.FirstOrDefault(q => q.Word.Equals(size.Trim(), StringComparison.OrdinalIgnoreCase));
        return TuZiImagesException.InvalidInput($"{model} ({Name}) does not take the size '{size}': it takes {DescribeSizes()}.", size,
            quality is not null ? $"For the resolution give -Quality {quality.Word}, with -AspectRatio for the shape."
            : AspectRatio == RatioMapping.NotAccepted ? $"Give -Size {string.Join(" or ", SizeChoices().Take(2).DefaultIfEmpty("WIDTHxHEIGHT"))}."
            : "Give one of those, or -AspectRatio (for example 16:9) and the size is chosen for the model.");
    }

    /// <summary>The -Size forms in words: "2K, 4K or WIDTHxHEIGHT".</summary>
    public string DescribeSizes()
    {
        var forms = SizeChoices().ToList();
        if (TakesAnyPixels)
        {
            forms.Add("WIDTHxHEIGHT");
        }
        if (PixelsAsRatio)
        {
            forms.Add("WIDTHxHEIGHT (sent as its ratio)");
        }
        if (AspectRatio is RatioMapping.RatioWithX or RatioMapping.RatioWithColon)
        {
            forms.Add("an aspect ratio (-AspectRatio)");
        }
        return forms.Count <= 1 ? string.Join("", forms) : string.Join(", ", forms.Take(forms.Count - 1)) + " or " + forms[forms.Count - 1];
    }

    private static string ExamplePixels(int w, int h) =>
        w >= h ? $"2048x{(int)Math.Round(2048.0 * h / w)}" : $"{(int)Math.Round(2048.0 * w / h)}x2048";

    private static string Word(string quality) => quality.Trim().ToLowerInvariant();

    public override string ToString() => Name;
}
