using System;
using System.Collections.Generic;
using System.Linq;

namespace TuZiImages.TestServer.Endpoints;

/// <summary>
/// What each family of models does with the fields beyond size and quality, as the real models answer, so a client
/// that sends a family the wrong dialect fails a test: OpenAI's models refuse a parameter they do not know (400
/// unknown_parameter: gpt-image's generations take no <c>image</c>, neither takes <c>seed</c>); gpt-image takes at
/// most 16 images of under 50 MB each; FLUX reads <c>aspect_ratio</c>, ignores <c>size</c> and the JSON
/// <c>image</c>, and encodes jpeg or png. The other families ignore what they do not know. Written from the
/// service's documentation (OpenAI's API reference, the service's client and wiki), not from the module's tables.
/// </summary>
internal static class ModelDialects
{
    public const int GptImageMaxImages = 16;
    public const long GptImageMaxBytes = 50L * 1024 * 1024;

    private static readonly string[] OpenAICommon = ["model", "prompt", "n", "size", "quality", "response_format", "user"];
    private static readonly string[] GptImageOptions = ["background", "output_format", "output_compression", "stream", "partial_images"];
    private static readonly HashSet<string> GptImageGenerations = [.. OpenAICommon, .. GptImageOptions, "moderation"];
    private static readonly HashSet<string> GptImageEdits = [.. OpenAICommon, .. GptImageOptions, "input_fidelity", "image", "image[]", "mask"];
    private static readonly HashSet<string> DallE3Generations = [.. OpenAICommon, "style"];

    public static bool IsGptImage(string? model) => Starts(model, "gpt-image");

    public static bool IsFlux(string? model) => Starts(model, "flux-") || Starts(model, "bfl-flux");

    /// <summary>The parameters an OpenAI model takes on this endpoint; null for models that ignore what they do not know.</summary>
    public static IReadOnlySet<string>? KnownParameters(string? model, bool edits) =>
        IsGptImage(model) ? (edits ? GptImageEdits : GptImageGenerations)
        : Starts(model, "dall-e-3") && !edits ? DallE3Generations
        : null;

    /// <summary>OpenAI's answer to the first parameter the model does not know, if any.</summary>
    public static void RefuseUnknown(ImageRequest request, bool edits, IEnumerable<string> names)
    {
        if (KnownParameters(request.Model, edits) is { } known && names.FirstOrDefault(n => !known.Contains(n)) is { } unknown)
        {
            request.Fail(unknown, $"Unknown parameter: '{unknown}'.", "unknown_parameter");
        }
    }

    /// <summary>gpt-image's limits on the images of an edit: how many, and how large each.</summary>
    public static void CheckImages(ImageRequest request, IReadOnlyList<RecordedFile> files)
    {
        if (!IsGptImage(request.Model))
        {
            return;
        }
        var images = files.Where(f => f.FieldName is "image" or "image[]").ToList();
        if (images.Count > GptImageMaxImages)
        {
            request.Fail("image", $"Invalid 'image': array too long. Expected an array with maximum length {GptImageMaxImages}, but got an array with length {images.Count} instead.", "array_above_max_length");
        }
        if (files.FirstOrDefault(f => f.Length >= GptImageMaxBytes) is { } large)
        {
            request.Fail(large.FieldName, $"Invalid image file '{large.FileName}': {large.Length} bytes; each image must be smaller than 50 MB.", "image_too_large");
        }
    }

    private static bool Starts(string? model, string prefix) => model?.Trim().StartsWith(prefix, StringComparison.OrdinalIgnoreCase) == true;
}
