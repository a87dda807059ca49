using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace TuZiImages.TestServer.Images;

internal readonly record struct PixelSize(int Width, int Height)
{
    public override string ToString() => $"{Width}x{Height}";
}

/// <summary>
/// Turns the request's <c>size</c> and <c>quality</c> into pixels the way the service does: a pixel size is
/// taken as it is, an aspect ratio (Gemini's <c>16x9</c>, or <c>16:9</c>) gets its long side from the quality.
/// </summary>
internal static partial class ImageSizes
{
    /// <summary>Bigger than any real model produces, small enough that a typo cannot exhaust memory.</summary>
    public const int MaxSide = 8192;

    /// <summary>Both terms this small cannot be a pixel size anyone asks for, so <c>21x9</c> is a ratio.</summary>
    private const int MaxRatioTerm = 32;

    public const string QualityHint = "1k, 2k or 4k";

    /// <summary>The long side for a quality; OpenAI's own quality words are accepted and mean the default.</summary>
    public static bool TryGetLongSide(string? quality, out int longSide)
    {
        longSide = 1024;
        switch (quality?.Trim().ToLowerInvariant())
        {
            case null or "" or "1k" or "auto" or "standard" or "hd" or "low" or "medium" or "high":
                return true;
            case "2k":
                longSide = 2048;
                return true;
            case "4k":
                longSide = 4096;
                return true;
            default:
                return false;
        }
    }

    public static bool TryResolve(string? size, int longSide, out PixelSize pixels, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(size) || size.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            pixels = new PixelSize(longSide, longSide);
            return true;
        }

        pixels = default;
        Match match = SizePattern().Match(size);
        if (!match.Success)
        {
            error = $"Invalid size '{size}': expected {{width}}x{{height}} in pixels (e.g. 1024x1536) or an aspect ratio (e.g. 16x9).";
            return false;
        }

        int a = int.Parse(match.Groups["a"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        int b = int.Parse(match.Groups["b"].Value, NumberStyles.None, CultureInfo.InvariantCulture);
        if (a == 0 || b == 0)
        {
            error = $"Invalid size '{size}': width and height must be positive.";
            return false;
        }

        bool isRatio = match.Groups["sep"].Value == ":" || (a <= MaxRatioTerm && b <= MaxRatioTerm);
        if (isRatio)
        {
            pixels = a >= b
                ? new PixelSize(longSide, Math.Max(1, (int)Math.Round(longSide * (double)b / a)))
                : new PixelSize(Math.Max(1, (int)Math.Round(longSide * (double)a / b)), longSide);
            return true;
        }

        if (a > MaxSide || b > MaxSide)
        {
            error = $"Invalid size '{size}': the fake server makes images of at most {MaxSide} pixels a side.";
            return false;
        }

        pixels = new PixelSize(a, b);
        return true;
    }

    [GeneratedRegex(@"^\s*(?<a>\d{1,5})\s*(?<sep>[xX×:])\s*(?<b>\d{1,5})\s*$", RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();
}
