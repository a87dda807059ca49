using System;

namespace TuZiImages.TestServer.Images;

/// <summary>The encodings the fake can produce for a result image.</summary>
internal enum ImageFormat
{
    Png,
    Jpeg,
    Gif,
    Webp,
}

internal static class ImageFormats
{
    public static string MediaType(this ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "image/jpeg",
        ImageFormat.Gif => "image/gif",
        ImageFormat.Webp => "image/webp",
        _ => "image/png",
    };

    public static string Extension(this ImageFormat format) => format switch
    {
        ImageFormat.Jpeg => "jpg",
        ImageFormat.Gif => "gif",
        ImageFormat.Webp => "webp",
        _ => "png",
    };

    /// <summary>Accepts the names a test or a request would use ("jpg" and "jpeg" alike).</summary>
    public static bool TryParse(string? text, out ImageFormat format)
    {
        switch (text?.Trim().ToLowerInvariant())
        {
            case "png": format = ImageFormat.Png; return true;
            case "jpeg" or "jpg": format = ImageFormat.Jpeg; return true;
            case "gif": format = ImageFormat.Gif; return true;
            case "webp": format = ImageFormat.Webp; return true;
            default: format = ImageFormat.Png; return false;
        }
    }

    public static bool MatchesExtension(this ImageFormat format, string extension) =>
        string.Equals(format.Extension(), extension, StringComparison.OrdinalIgnoreCase)
        || (format == ImageFormat.Jpeg && string.Equals(extension, "jpeg", StringComparison.OrdinalIgnoreCase));
}
