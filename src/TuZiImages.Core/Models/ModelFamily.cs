using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using System;
using TuZiImages.Core.Requests;

namespace TuZiImages.Core.Models;

/// <summary>
/// One family of models that take sizes, qualities and references the same way. The rows are in
/// <see cref="ModelFamilies"/>; this type only turns a row and what was asked into what is sent.
/// </summary>
public sealed class ModelFamily
{
    public string Name { get; init; } = "";
    /// <summary>Model names of the family, for help and messages.</summary>
    public string Examples { get; init; } = "";
    internal Regex? Pattern { get; init; }
    public ModelRoute Route { get; init; } = ModelRoute.Images;
    public RatioMapping AspectRatio { get; init; } = RatioMapping.RatioWithX;
    /// <summary>The ratios the family documents (offered by completion); others are judged by the mapping.</summary>
    public IReadOnlyList<string> AspectRatios { get; init; } = Array.Empty<string>();
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
    public QualityUse Quality { get; init; } = QualityUse.AnyWord;
    public IReadOnlyList<QualityWord> Qualities { get; init; } = Array.Empty<QualityWord>();
    /// <summary>Why -Quality is refused, when it is (<see cref="QualityUse.NotTaken"/>).</summary>
    public string? QualityRefusal { get; init; }
    /// <summary>Null: no limit known here.</summary>
    public int? MaxReferenceImages { get; init; }
    /// <summary>Task-API rows: the synchronous model each of their models makes the same images as.</summary>
    public IReadOnlyDictionary<string, string> AsyncTwins { get; init; } = new Dictionary<string, string>();
    /// <summary>Known to the table (not the catch-all row for names it does not know).</summary>
    public bool IsKnown => Pattern is not null;

    public bool Matches(string model) => Pattern?.IsMatch(model.Trim()) ?? true;

    /// <summary>What -Size can be for this family, for completion and messages.</summary>
    public IEnumerable<string> SizeChoices() =>
        PixelSizes.Concat(Presets).Concat(TakesAuto ? new[] { "auto" } : Array.Empty<string>());

    /// <summary>What completion offers for -Size: the sizes it takes, then examples of free pixel sizes.</summary>
    public IEnumerable<string> CompletionSizes() => Presets.Concat(PixelSizes).Concat(PixelExamples).Concat(TakesAuto ? new[] { "auto" } : Array.Empty<string>());

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
        switch (Quality)
        {
            case QualityUse.NotTaken:
                throw TuZiImagesException.InvalidInput($"{model} takes no -Quality ('{quality}'): {QualityRefusal}", quality,
                    "Leave out -Quality" + (Name.StartsWith("Gemini", StringComparison.Ordinal)
                        ? ", or use -Model gemini-3-pro-image-preview -Quality 2k (or 4k)." : "."));
            case QualityUse.Listed:
                var known = Qualities.FirstOrDefault(q => q.Word == word)
                    ?? throw TuZiImagesException.InvalidInput(
                        $"{model} ({Name}) does not take -Quality '{quality}'.", quality,
                        $"Use one of {string.Join(", ", Qualities.Select(q => q.Word))}.");
                return known.SentAs ?? known.Word;
            default:
                return word;
        }
    }

    /// <summary>Refuses more reference (or input) images than the family takes: nothing is paid for a request it cannot take.</summary>
    public void CheckReferences(string model, int count, string target, string parameter)
    {
        if (MaxReferenceImages is { } max && count > max)
        {
            throw TuZiImagesException.InvalidInput(
                max == 0 ? $"{model} ({Name}) takes no reference or input images; {parameter} gave {count}."
                    : $"{model} ({Name}) takes at most {max} reference images; {parameter} gave {count}.",
                target,
                max == 0 ? "Leave them out, or use a model that takes them (gemini-3-pro-image-preview takes up to 14)."
                    : $"Send at most {max} images in one request.");
        }
    }

    private string SizeForRatio(string model, string aspectRatio, string? quality)
    {
        string ratio = ImageSizes.FromAspectRatio(aspectRatio); // "16x9"; refuses a malformed ratio
        var (w, h) = ImageSizes.ParseRatio(ratio);
        switch (AspectRatio)
        {
            case RatioMapping.NotAccepted:
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
                return ComputePixels(model, aspectRatio, w, h, quality);
            default:
                return ratio;
        }
    }

    /// <summary>Pixels from a ratio: edges multiples of the rule's step, the long edge from -Quality, grown to the minimum area.</summary>
    private string ComputePixels(string model, string aspectRatio, int w, int h, string? quality)
    {
        var rules = Pixels!;
        double ratio = (double)w / h;
        if (Math.Max(ratio, 1 / ratio) > rules.MaxRatio + 1e-9)
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
        if (!IsKnown)
        {
            // A model not known here may take words this module has never heard of: its size goes as written.
            return ImageSizes.TryParsePixels(trimmed, out int pw, out int ph) ? $"{pw}x{ph}" : trimmed;
        }
        if (trimmed.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            return TakesAuto ? "auto" : throw Refuse(model, size);
        }
        string? preset = Presets.FirstOrDefault(p => p.Equals(trimmed, StringComparison.OrdinalIgnoreCase));
        if (preset is not null)
        {
            return preset;
        }
        if (!ImageSizes.TryParsePixels(trimmed, out int width, out int height))
        {
            throw Refuse(model, size);
        }
        string pixels = $"{width}x{height}";
        if (PixelSizes.Count > 0 && !PixelSizes.Contains(pixels))
        {
            throw Refuse(model, size);
        }
        if (PixelSizes.Count == 0 && !TakesAnyPixels)
        {
            throw Refuse(model, size);
        }
        if (Pixels is { } rules)
        {
            CheckPixelRules(model, size, width, height, rules);
        }
        return pixels;
    }

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
