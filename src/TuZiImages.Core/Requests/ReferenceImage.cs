using System;

namespace TuZiImages.Core.Requests;

/// <summary>A reference image for a generation: a URL the service fetches, or a local file sent as a data URL.</summary>
public sealed class ReferenceImage
{
    private ReferenceImage(string? url, InputImage? file)
    {
        Url = url;
        File = file;
    }

    public string? Url { get; }
    public InputImage? File { get; }

    public static ReferenceImage FromFile(InputImage file) => new(null, file ?? throw new ArgumentNullException(nameof(file)));

    /// <summary>An http(s) URL, or a data URL that is already encoded.</summary>
    public static ReferenceImage FromUrl(string url)
    {
        if (!IsUrl(url))
        {
            throw TuZiImagesException.InvalidInput($"'{url}' is not an http, https or data URL.", url);
        }
        return new ReferenceImage(url, null);
    }

    public static bool IsUrl(string? value) =>
        value is not null
        && (value.StartsWith("data:", StringComparison.OrdinalIgnoreCase)
            || (Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)));

    public override string ToString() => File?.FullPath ?? (Url!.Length > 80 ? Url.Substring(0, 77) + "..." : Url);
}
