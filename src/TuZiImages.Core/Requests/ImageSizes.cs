using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace TuZiImages.Core.Requests;

/// <summary>The size field's forms: pixel sizes and aspect ratios. Which of them a model takes is its family's (Models.ModelFamilies).</summary>
public static class ImageSizes
{
    private static readonly Regex PixelSize = new(@"^\s*(\d{1,5})\s*[xX×]\s*(\d{1,5})\s*$", RegexOptions.CultureInvariant);
    private static readonly Regex Ratio = new(@"^\s*(\d{1,3})\s*[:xX/]\s*(\d{1,3})\s*$", RegexOptions.CultureInvariant);

    /// <summary>"16:9" becomes "16x9", the form the service wants for Gemini models.</summary>
    public static string FromAspectRatio(string aspectRatio)
    {
        var match = aspectRatio is null ? null : Ratio.Match(aspectRatio);
        if (match is null || !match.Success || int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) == 0
            || int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture) == 0)
        {
            throw TuZiImagesException.InvalidInput(
                $"The aspect ratio '{aspectRatio}' is not of the form W:H.", aspectRatio,
                "Give it as W:H, for example 16:9, 3:2, 1:1 or 9:16.");
        }
        return $"{int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture)}x{int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture)}";
    }

    /// <summary>The two terms of a ratio as <see cref="FromAspectRatio"/> writes it ("16x9").</summary>
    internal static (int Width, int Height) ParseRatio(string ratio)
    {
        var match = Ratio.Match(ratio);
        return (int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Width over height of "1536x1024" or "16:9".</summary>
    internal static double RatioOf(string size)
    {
        var match = PixelSize.Match(size);
        if (!match.Success)
        {
            match = Ratio.Match(size);
        }
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) / double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>Reads WIDTHxHEIGHT ("1024 x 1536" too); false for anything else.</summary>
    public static bool TryParsePixels(string? size, out int width, out int height)
    {
        width = height = 0;
        var match = size is null ? null : PixelSize.Match(size);
        if (match is null || !match.Success)
        {
            return false;
        }
        width = int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        height = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
        return width > 0 && height > 0;
    }

    /// <summary>Lower-cases 1K/2K/4K; whether the model takes the word is its family's to say.</summary>
    public static string NormalizeQuality(string quality)
    {
        string trimmed = quality?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            throw TuZiImagesException.InvalidInput("The quality is empty.", quality, "Give a word the model takes (1k, 2k, 4k for Gemini), or leave out -Quality.");
        }
        return trimmed.ToLowerInvariant();
    }
}
