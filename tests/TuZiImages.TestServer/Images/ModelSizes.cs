using System;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace TuZiImages.TestServer.Images;

/// <summary>
/// What each model family takes as <c>size</c> and <c>quality</c> and what it makes, as the real models answer
/// (OpenAI's size lists and gpt-image-2's rules, Seedream's presets, Gemini's ratios and fixed resolutions), so a
/// client that maps a parameter wrongly for a family gets the 400 the service would give. Written from the service's
/// facts, not from the module's table: a wrong row there must fail here.
/// </summary>
internal static partial class ModelSizes
{
    private static readonly string[] GptImage1Sizes = ["1024x1024", "1536x1024", "1024x1536"];
    private static readonly string[] DallE3Sizes = ["1024x1024", "1792x1024", "1024x1792"];
    private static readonly string[] OpenAIQualities = ["low", "medium", "high", "auto"];

    /// <summary>Resolves the pixels a model makes for a request; false with the field and message the service gives.</summary>
    public static bool TryResolve(string? model, string? size, string? quality, string? aspectRatio, out PixelSize pixels, out string param, out string? error)
    {
        string name = model?.Trim().ToLowerInvariant() ?? "";
        param = "size";
        error = null;
        pixels = new PixelSize(1024, 1024);
        if (Endpoints.ModelDialects.IsFlux(name))
        {
            param = "aspect_ratio";
            return Flux(aspectRatio, out pixels, out error);
        }
        if (name.StartsWith("gpt-image-2", StringComparison.Ordinal))
        {
            return Quality(quality, OpenAIQualities, out param, out error) && GptImage2(size, out pixels, out error);
        }
        if (name.StartsWith("gpt-image-1", StringComparison.Ordinal))
        {
            return Quality(quality, OpenAIQualities, out param, out error) && FromList(size, GptImage1Sizes, allowAuto: true, out pixels, out error);
        }
        if (name.StartsWith("dall-e-3", StringComparison.Ordinal))
        {
            return Quality(quality, ["standard", "hd"], out param, out error) && FromList(size, DallE3Sizes, allowAuto: false, out pixels, out error);
        }
        if (name.StartsWith("doubao-seedream-", StringComparison.Ordinal))
        {
            string[] presets = name.StartsWith("doubao-seedream-5-0", StringComparison.Ordinal) ? ["2K", "3K"]
                : name.StartsWith("doubao-seedream-4-5", StringComparison.Ordinal) ? ["2K", "4K"]
                : name.StartsWith("doubao-seedream-4-0", StringComparison.Ordinal) ? ["1K", "2K", "4K"]
                : [];
            return Seedream(size, presets, out pixels, out error);
        }
        if (name.StartsWith("gemini-", StringComparison.Ordinal) && FixedLongSide(name) is { } fixedSide)
        {
            // The resolution is in the name: a quality word changes nothing, as the service's client notes.
            return ImageSizes.TryResolve(size, fixedSide, out pixels, out error);
        }

        // Gemini 3 (and requests naming no model): a ratio or pixels, the long side from 1k/2k/4k.
        bool gemini = name.Length == 0 || name.StartsWith("gemini-", StringComparison.Ordinal);
        if (!ImageSizes.TryGetLongSide(quality, out int longSide) && gemini)
        {
            param = "quality";
            error = $"quality must be one of {ImageSizes.QualityHint}; got '{quality}'.";
            return false;
        }
        if (ImageSizes.TryResolve(size, longSide, out pixels, out error) || gemini)
        {
            return error is null;
        }

        // A model of no family known here (flux, new names): it takes what it is sent and makes its default.
        error = null;
        pixels = new PixelSize(1024, 1024);
        return true;
    }

    /// <summary>Gemini's fixed-resolution variants: -2k makes 2048, -4k and -hd 4096, the rest (-vip, 2.5 flash) 1024.</summary>
    private static int? FixedLongSide(string name) =>
        name.EndsWith("-2k", StringComparison.Ordinal) || name.EndsWith("-2k-vip", StringComparison.Ordinal) ? 2048
        : name.EndsWith("-4k", StringComparison.Ordinal) || name.EndsWith("-4k-vip", StringComparison.Ordinal) || name.EndsWith("-hd", StringComparison.Ordinal) ? 4096
        : name.EndsWith("-vip", StringComparison.Ordinal) || name.StartsWith("gemini-2.5-flash-image", StringComparison.Ordinal) ? 1024
        : null;

    private static bool Quality(string? quality, string[] words, out string param, out string? error)
    {
        param = "size";
        error = null;
        if (quality is null || words.Contains(quality))
        {
            return true;
        }
        param = "quality";
        error = $"Invalid value: '{quality}'. Supported values are: {Quote(words)}.";
        return false;
    }

    private static bool FromList(string? size, string[] sizes, bool allowAuto, out PixelSize pixels, out string? error)
    {
        error = null;
        pixels = new PixelSize(1024, 1024);
        if (size is null || (allowAuto && size == "auto"))
        {
            return true;
        }
        if (Array.IndexOf(sizes, size) >= 0)
        {
            var match = Pixels().Match(size);
            pixels = new PixelSize(int.Parse(match.Groups["w"].Value, CultureInfo.InvariantCulture), int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture));
            return true;
        }
        error = $"Invalid value: '{size}'. Supported values are: {Quote(allowAuto ? [.. sizes, "auto"] : sizes)}.";
        return false;
    }

    /// <summary>gpt-image-2: edges multiples of 16, long edge at most 3840, ratio within 3:1, 655,360 to 8,294,400 pixels.</summary>
    private static bool GptImage2(string? size, out PixelSize pixels, out string? error)
    {
        error = null;
        pixels = new PixelSize(1024, 1024);
        if (size is null || size == "auto")
        {
            return true;
        }
        var match = Pixels().Match(size);
        if (!match.Success)
        {
            error = $"Invalid size '{size}': expected {{width}}x{{height}} in pixels.";
            return false;
        }
        int w = int.Parse(match.Groups["w"].Value, CultureInfo.InvariantCulture);
        int h = int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture);
        long area = (long)w * h;
        if (w % 16 != 0 || h % 16 != 0 || Math.Max(w, h) > 3840 || Math.Max(w, h) > 3 * Math.Min(w, h) || area < 655_360 || area > 8_294_400)
        {
            error = $"Invalid size '{size}': both edges must be multiples of 16, the long edge at most 3840, the ratio within 3:1 and the area 655,360 to 8,294,400 pixels.";
            return false;
        }
        pixels = new PixelSize(w, h);
        return true;
    }

    /// <summary>FLUX: no size (ignored, as BFL ignores what it does not know); the shape from aspect_ratio, 21:9 to 9:21, 1:1 by default.</summary>
    private static bool Flux(string? aspectRatio, out PixelSize pixels, out string? error)
    {
        error = null;
        pixels = new PixelSize(1024, 1024);
        if (aspectRatio is null)
        {
            return true;
        }
        var match = Ratio().Match(aspectRatio);
        int w = match.Success ? int.Parse(match.Groups["w"].Value, CultureInfo.InvariantCulture) : 0;
        int h = match.Success ? int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture) : 0;
        if (w == 0 || h == 0 || Math.Max(w, h) * 9 > Math.Min(w, h) * 21)
        {
            error = $"aspect_ratio must be W:H between 21:9 and 9:21; got '{aspectRatio}'.";
            return false;
        }
        return ImageSizes.TryResolve($"{w}:{h}", 1024, out pixels, out error);
    }

    /// <summary>Seedream: its presets (square) or exact pixels; never a ratio. Seedream 3.0 has no presets.</summary>
    private static bool Seedream(string? size, string[] presets, out PixelSize pixels, out string? error)
    {
        error = null;
        pixels = presets.Length > 0 ? new PixelSize(2048, 2048) : new PixelSize(1024, 1024);
        if (size is null)
        {
            return true;
        }
        if (Array.IndexOf(presets, size) >= 0)
        {
            int side = (size[0] - '0') * 1024;
            pixels = new PixelSize(side, side);
            return true;
        }
        var match = Pixels().Match(size);
        int w = match.Success ? int.Parse(match.Groups["w"].Value, CultureInfo.InvariantCulture) : 0;
        int h = match.Success ? int.Parse(match.Groups["h"].Value, CultureInfo.InvariantCulture) : 0;
        // Seedream's smallest image is well above 32 pixels a side: 16x9 is a ratio, which it does not take.
        if (w < 256 || h < 256 || w > ImageSizes.MaxSide || h > ImageSizes.MaxSide)
        {
            error = $"The parameter `size` specified in the request is not valid: '{size}'. Use {string.Join(", ", presets)}{(presets.Length > 0 ? " or " : "")}WIDTHxHEIGHT in pixels.";
            return false;
        }
        pixels = new PixelSize(w, h);
        return true;
    }

    private static string Quote(string[] values) =>
        string.Join(", ", values.Take(values.Length - 1).Select(v => $"'{v}'")) + (values.Length > 1 ? ", and " : "") + $"'{values[^1]}'";

    [GeneratedRegex(@"^(?<w>\d{1,5})x(?<h>\d{1,5})$", RegexOptions.CultureInvariant)]
    private static partial Regex Pixels();

    [GeneratedRegex(@"^(?<w>\d{1,3}):(?<h>\d{1,3})$", RegexOptions.CultureInvariant)]
    private static partial Regex Ratio();
}
