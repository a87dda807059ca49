using System;
using System.Collections.Generic;
using System.Globalization;
using TuZiImages.Core.Invocation;
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

/// <summary>
/// The cmdlet's host, saying once per batch and distinct mismatch that the service ignored a size: on the
/// pipeline thread, as every write to the host is.
/// </summary>
internal sealed class SizeWarningHost : IInvocationHost
{
    private readonly IInvocationHost _host;
    private readonly HashSet<string> _told = new(StringComparer.OrdinalIgnoreCase);

    public SizeWarningHost(IInvocationHost host) => _host = host;

    public void WriteResult(TuZiImageResult result)
    {
        if (result.SizeMismatch && _told.Add($"{result.Model}|{result.RequestedSize}|{result.Width}x{result.Height}"))
        {
            _host.WriteWarning($"{result.Model} was asked for size {result.RequestedSize} but made {result.Width}x{result.Height}: "
                + "the service ignored the size. The results' RequestedSize and SizeMismatch properties say which images; "
                + "this batch tells each such mismatch once.");
        }
        _host.WriteResult(result);
    }

    public void WriteFailure(TuZiImagesException failure) => _host.WriteFailure(failure);

    public void WriteVerbose(string message) => _host.WriteVerbose(message);

    public void WriteWarning(string message) => _host.WriteWarning(message);

    public void WriteProgress(BatchProgress progress) => _host.WriteProgress(progress);

    public bool ShouldProcess(string target, string action) => _host.ShouldProcess(target, action);
}
