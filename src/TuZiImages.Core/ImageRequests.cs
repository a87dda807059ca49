using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;

namespace TuZiImages.Core;

/// <summary>What both endpoints take. Unset (null) fields are left out of the request.</summary>
public abstract class ImageRequest
{
    public string Prompt { get; set; } = "";
    /// <summary>Null: the client's model.</summary>
    public string? Model { get; set; }
    /// <summary>How many images (the API's n), 1-10.</summary>
    public int? Count { get; set; }
    /// <summary>
    /// The API's size as sent: pixels (1024x1536), "auto", a preset (2K), or a ratio as the service takes it (16x9, or
    /// 16:9 for the task API). Which of them a model takes is its family's (Models.ModelFamilies).
    /// </summary>
    public string? Size { get; set; }
    /// <summary>1k, 2k, 4k for the Gemini 3 models; other families have their own words (Models.ModelFamilies).</summary>
    public string? Quality { get; set; }
    /// <summary>url or b64_json.</summary>
    public string? ResponseFormat { get; set; }
    public string? User { get; set; }
    /// <summary>gpt-image: transparent, opaque or auto.</summary>
    public string? Background { get; set; }
    /// <summary>gpt-image: png, jpeg or webp. The saved file's extension still comes from its bytes.</summary>
    public string? OutputFormat { get; set; }
    /// <summary>gpt-image: 0-100, for jpeg and webp output.</summary>
    public int? OutputCompression { get; set; }
    /// <summary>
    /// 1-3 previews streamed before the final image (the API's stream and partial_images); the answer is then
    /// a server-sent event stream.
    /// </summary>
    public int? PartialImages { get; set; }
    /// <summary>
    /// Further fields of the body, sent as given: plain .NET values only (text, numbers, booleans, null,
    /// IList, IDictionary with text keys). A name that a property above also sets is refused.
    /// </summary>
    public IDictionary<string, object?> AdditionalFields { get; } = new Dictionary<string, object?>(StringComparer.Ordinal);

    internal abstract string Endpoint { get; }
    internal abstract IEnumerable<InputImage> Files { get; }

    /// <summary>Throws an InvalidInput error that names the field when the request cannot be sent as it is.</summary>
    public virtual void Validate()
    {
        if (string.IsNullOrWhiteSpace(Prompt))
        {
            throw TuZiImagesException.InvalidInput("The prompt is empty.", Prompt, "Describe the image you want.");
        }
        if (Count is { } count && (count < 1 || count > 10))
        {
            throw TuZiImagesException.InvalidInput($"The image count {count} is outside 1-10.", Prompt);
        }
        if (Size is not null && Size.Trim().Length == 0)
        {
            // The model's family decides which sizes it takes (Models.ModelFamilies); an unknown model's go as written.
            throw TuZiImagesException.InvalidInput("The size is empty.", Prompt, "Give -Size or -AspectRatio, or leave both out.");
        }
        if (ResponseFormat is not null && ResponseFormat != "url" && ResponseFormat != "b64_json")
        {
            throw TuZiImagesException.InvalidInput($"The response format '{ResponseFormat}' is neither 'url' nor 'b64_json'.", ResponseFormat);
        }
        ValidateOutputFields();
        RequestFields.Validate(AdditionalFields, NamedFields(), Prompt);
    }

    private void ValidateOutputFields()
    {
        // No model can make a transparent JPEG: refusing here saves a billed request that cannot succeed.
        if (string.Equals(Background?.Trim(), "transparent", StringComparison.OrdinalIgnoreCase)
            && (string.Equals(OutputFormat?.Trim(), "jpeg", StringComparison.OrdinalIgnoreCase) || string.Equals(OutputFormat?.Trim(), "jpg", StringComparison.OrdinalIgnoreCase)))
        {
            throw TuZiImagesException.InvalidInput("A transparent background cannot be saved as JPEG, which has no transparency.", Prompt,
                "Use -OutputFormat png or webp with -Background transparent.");
        }
        if (OutputCompression is { } compression && (compression < 0 || compression > 100))
        {
            throw TuZiImagesException.InvalidInput($"The output compression {compression} is outside 0-100.", Prompt);
        }
        if (PartialImages is { } partial && (partial < 1 || partial > 3))
        {
            throw TuZiImagesException.InvalidInput($"The number of previews {partial} is outside 1-3.", Prompt);
        }
    }

    /// <summary>The body fields this request sets itself, each with the parameter that sets it, for conflict errors.</summary>
    internal virtual IEnumerable<(string Field, string Parameter)> NamedFields()
    {
        yield return ("prompt", "-Prompt");
        yield return ("model", "-Model");
        if (Count is not null) yield return ("n", "-Count");
        if (Size is not null) yield return ("size", "-Size or -AspectRatio");
        if (Quality is not null) yield return ("quality", "-Quality");
        if (ResponseFormat is not null) yield return ("response_format", "-ResponseFormat");
        if (User is not null) yield return ("user", "-User");
        if (Background is not null) yield return ("background", "-Background");
        if (OutputFormat is not null) yield return ("output_format", "-OutputFormat");
        if (OutputCompression is not null) yield return ("output_compression", "-OutputCompression");
        if (PartialImages is not null)
        {
            yield return ("stream", "-PartialImages");
            yield return ("partial_images", "-PartialImages");
        }
    }

    /// <summary>A one-line account of the request for verbose output and -WhatIf; never the key.</summary>
    public string Describe(string model)
    {
        var parts = new List<string> { $"POST {Endpoint}", $"model {Model ?? model}", $"n {Count ?? 1}" };
        if (Size is not null)
        {
            parts.Add($"size {Size}");
        }
        if (Quality is not null)
        {
            parts.Add($"quality {Quality}");
        }
        if (Background is not null)
        {
            parts.Add($"background {Background}");
        }
        if (OutputFormat is not null)
        {
            parts.Add($"output_format {OutputFormat}" + (OutputCompression is { } c ? $" ({c.ToString(CultureInfo.InvariantCulture)}%)" : ""));
        }
        if (PartialImages is { } previews)
        {
            parts.Add($"{previews.ToString(CultureInfo.InvariantCulture)} streamed preview(s)");
        }
        if (AdditionalFields.Count > 0)
        {
            parts.Add("also " + string.Join(", ", AdditionalFields.Keys));
        }
        var files = Files.ToList();
        if (files.Count > 0)
        {
            parts.Add($"{files.Count} image(s): " + string.Join(", ", files.Select(f => $"{f.FileName} ({FormatBytes(f.Length)})")));
        }
        return string.Join(", ", parts);
    }

    /// <summary>
    /// A short hash of what decides the images this request makes, for file names that the same request finds
    /// again. A new body field that changes the images belongs in <see cref="AppendIdentity"/>.
    /// </summary>
    public string IdentityHash(string defaultModel)
    {
        var identity = new RequestIdentity();
        AppendIdentity(identity, defaultModel);
        return identity.Hash();
    }

    /// <summary>The body-defining fields, each under its API name; subclasses add their own.</summary>
    internal virtual void AppendIdentity(RequestIdentity identity, string defaultModel)
    {
        identity.Add("endpoint", Endpoint);
        identity.Add("model", Model ?? defaultModel);
        identity.Add("prompt", Prompt);
        identity.Add("n", Count ?? 1);
        identity.Add("size", Size);
        identity.Add("quality", Quality);
        identity.Add("background", Background);
        identity.Add("output_format", OutputFormat);
        identity.Add("output_compression", OutputCompression);
        foreach (var field in AdditionalFields.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            identity.AddJson(field.Key, field.Value);
        }
    }

    internal static string FormatBytes(long bytes) =>
        bytes >= 1 << 20 ? (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture) + " MB"
        : bytes >= 1 << 10 ? (bytes / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KB"
        : bytes.ToString(CultureInfo.InvariantCulture) + " B";
}

/// <summary>POST /v1/images/generations: a prompt and optional reference images, sent as JSON.</summary>
public sealed class GenerationRequest : ImageRequest
{
    public string? Style { get; set; }
    public List<ReferenceImage> ReferenceImages { get; } = new();
    /// <summary>gpt-image: low or auto.</summary>
    public string? Moderation { get; set; }

    internal override string Endpoint => "/v1/images/generations";
    internal override IEnumerable<InputImage> Files => ReferenceImages.Where(r => r.File is not null).Select(r => r.File!);

    internal override void AppendIdentity(RequestIdentity identity, string defaultModel)
    {
        base.AppendIdentity(identity, defaultModel);
        identity.Add("style", Style);
        identity.Add("moderation", Moderation);
        foreach (var reference in ReferenceImages)
        {
            if (reference.File is { } file)
            {
                identity.AddFile("image", file);
            }
            else
            {
                identity.Add("image", reference.Url);
            }
        }
    }

    internal override IEnumerable<(string Field, string Parameter)> NamedFields()
    {
        foreach (var named in base.NamedFields())
        {
            yield return named;
        }
        if (Style is not null) yield return ("style", "-Style");
        if (Moderation is not null) yield return ("moderation", "-Moderation");
        if (ReferenceImages.Count > 0) yield return ("image", "-ReferenceImage");
    }
}

/// <summary>POST /v1/images/edits: one or more images, an optional mask, sent as multipart/form-data.</summary>
public sealed class EditRequest : ImageRequest
{
    public List<InputImage> Images { get; } = new();
    public InputImage? Mask { get; set; }
    /// <summary>gpt-image: high or low, how closely the edit keeps the input's details.</summary>
    public string? InputFidelity { get; set; }

    internal override string Endpoint => "/v1/images/edits";
    internal override IEnumerable<InputImage> Files => Mask is null ? Images : Images.Concat(new[] { Mask });

    internal override void AppendIdentity(RequestIdentity identity, string defaultModel)
    {
        base.AppendIdentity(identity, defaultModel);
        identity.Add("input_fidelity", InputFidelity);
        foreach (var image in Images)
        {
            identity.AddFile("image", image);
        }
        if (Mask is not null)
        {
            identity.AddFile("mask", Mask);
        }
    }

    internal override IEnumerable<(string Field, string Parameter)> NamedFields()
    {
        foreach (var named in base.NamedFields())
        {
            yield return named;
        }
        if (InputFidelity is not null) yield return ("input_fidelity", "-InputFidelity");
        yield return ("image", "-Path");
        if (Mask is not null) yield return ("mask", "-Mask");
    }

    public override void Validate()
    {
        base.Validate();
        if (Images.Count == 0)
        {
            throw TuZiImagesException.InvalidInput("An edit needs at least one image.", Prompt);
        }
    }
}

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

    /// <summary>Normalises a pixel size ("1024 x 1536" becomes "1024x1536"); "auto" passes as is.</summary>
    public static string NormalizeSize(string size)
    {
        if (size is not null && string.Equals(size.Trim(), "auto", StringComparison.OrdinalIgnoreCase))
        {
            return "auto";
        }
        if (!TryParsePixels(size, out int width, out int height))
        {
            throw TuZiImagesException.InvalidInput($"The size '{size}' is not of the form WIDTHxHEIGHT (for example 1024x1536).", size,
                "Give pixels as 1024x1536, or use an aspect ratio such as 16:9 instead.");
        }
        return $"{width}x{height}";
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
