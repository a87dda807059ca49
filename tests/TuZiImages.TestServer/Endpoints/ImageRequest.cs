using TuZiImages.TestServer.Images;

namespace TuZiImages.TestServer.Endpoints;

internal sealed record ValidationError(string Param, string Message, string Code = "invalid_value");

/// <summary>
/// The fields of a generation or an edit once read, whichever encoding they came in; the rules that do not depend on
/// the encoding live here so both endpoints answer the same mistakes the same way.
/// </summary>
internal sealed class ImageRequest
{
    public const int MaxImages = 10;

    public string? Prompt { get; set; }

    public int N { get; set; } = 1;

    public string? Size { get; set; }

    /// <summary>FLUX's shape, in place of size: "16:9".</summary>
    public string? AspectRatio { get; set; }

    public string? Quality { get; set; }

    public string? ResponseFormat { get; set; }

    public string? OutputFormat { get; set; }

    public string? Model { get; set; }

    public string? Background { get; set; }

    public string? Moderation { get; set; }

    public string? InputFidelity { get; set; }

    public int? OutputCompression { get; set; }

    /// <summary>stream: true asks for server-sent events instead of one JSON body.</summary>
    public bool Stream { get; set; }

    public int? PartialImages { get; set; }

    /// <summary>gpt-image models answer with usage and the settings they used, as OpenAI's do.</summary>
    public bool IsGptImage => Model?.StartsWith("gpt-image", System.StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Resolved by <see cref="Validate"/>.</summary>
    public PixelSize Pixels { get; private set; } = new(1024, 1024);

    public ImageFormat? ParsedOutputFormat { get; private set; }

    public bool WantsBase64 => ResponseFormat == "b64_json";

    /// <summary>The first problem found: the service reports one at a time.</summary>
    public ValidationError? Error { get; private set; }

    /// <summary>What a service that ignores the requested size makes: its default square.</summary>
    public void IgnoreRequestedSize() => Pixels = new PixelSize(1024, 1024);

    public void Fail(string param, string message, string code = "invalid_value") => Error ??= new ValidationError(param, message, code);

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Prompt))
        {
            Fail("prompt", "prompt is required: a non-empty string describing the image.");
        }

        if (N is < 1 or > MaxImages)
        {
            Fail("n", $"n must be an integer between 1 and {MaxImages}; got {N}.");
        }

        if (ResponseFormat is not (null or "url" or "b64_json"))
        {
            Fail("response_format", $"response_format must be 'url' or 'b64_json'; got '{ResponseFormat}'.");
        }

        if (ModelSizes.TryResolve(Model, Size, Quality, AspectRatio, out PixelSize pixels, out string sizeParam, out string? sizeError))
        {
            Pixels = pixels;
        }
        else
        {
            Fail(sizeParam, sizeError!);
        }

        if (OutputCompression is < 0 or > 100)
        {
            Fail("output_compression", $"output_compression must be an integer between 0 and 100; got {OutputCompression}.");
        }

        if (PartialImages is < 0 or > 3)
        {
            Fail("partial_images", $"partial_images must be an integer between 0 and 3; got {PartialImages}.");
        }

        if (Background == "transparent" && OutputFormat == "jpeg")
        {
            Fail("background", "Transparent background is not supported for jpeg output.");
        }

        if (ModelDialects.IsFlux(Model))
        {
            // FLUX encodes jpeg (its default) or png, nothing else.
            OutputFormat ??= "jpeg";
            if (OutputFormat is not ("jpeg" or "png"))
            {
                Fail("output_format", $"output_format must be 'jpeg' or 'png'; got '{OutputFormat}'.");
            }
        }

        if (OutputFormat is not null)
        {
            if (ImageFormats.TryParse(OutputFormat, out ImageFormat format))
            {
                ParsedOutputFormat = format;
            }
            else
            {
                Fail("output_format", $"output_format must be png, jpeg, gif or webp; got '{OutputFormat}'.");
            }
        }
    }
}
