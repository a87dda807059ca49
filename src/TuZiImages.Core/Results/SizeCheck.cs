using System;
using System.Globalization;
using TuZiImages.Core.Models;

namespace TuZiImages.Core.Results;

/// <summary>
/// Whether the service made the size asked for: it is known to ignore a size silently. Exact pixels for a model
/// that makes them, else the ratio within <see cref="RatioTolerance"/>.
/// </summary>
public static class SizeCheck
{
    /// <summary>How far the made image's ratio may be from the asked one: models round edges (to 16, to 64).</summary>
    public const double RatioTolerance = 0.02;

    /// <summary>Both terms this small cannot be a pixel size anyone asks for, so 21x9 is a ratio.</summary>
    private const int MaxRatioTerm = 32;

    /// <summary>True or false when it can be told; null when nothing checkable was asked (none, auto, 2K) or the image's size is unknown.</summary>
    public static bool? Matches(string? requested, ModelFamily family, int? width, int? height)
    {
        if (requested is null || width is not > 0 || height is not > 0)
        {
            return null;
        }
        string text = requested.Trim();
        int separator = text.IndexOfAny(new[] { 'x', 'X', ':' });
        if (separator <= 0
            || !int.TryParse(text.Substring(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out int askedWidth)
            || !int.TryParse(text.Substring(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out int askedHeight)
            || askedWidth == 0 || askedHeight == 0)
        {
            return null;
        }
        bool isRatio = text[separator] == ':' || (askedWidth <= MaxRatioTerm && askedHeight <= MaxRatioTerm);
        if (!isRatio && family.MakesExactPixels)
        {
            return askedWidth == width && askedHeight == height;
        }
        double asked = (double)askedWidth / askedHeight;
        double made = (double)width.Value / height.Value;
        return Math.Abs(made / asked - 1) <= RatioTolerance;
    }

    /// <summary>Records on each image what was asked and whether it was made; the one place results are checked.</summary>
    internal static ImageResponse Mark(ImageResponse response, string? requested, ModelFamily family)
    {
        foreach (var image in response.Images)
        {
            image.RequestedSize = requested;
            image.SizeMismatch = Matches(requested, family, image.Width, image.Height) == false;
        }
        return response;
    }
}
