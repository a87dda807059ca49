using System.Globalization;

namespace TuZiImages.Core.Http;

/// <summary>The multipart body of POST /v1/images/edits; fields that are not set are left out.</summary>
internal static class EditFormContent
{
    public static SentTrackingContent Build(EditRequest request, string model)
    {
        var content = new MultipartFormContent();
        content.AddText("model", model);
        content.AddText("prompt", request.Prompt);
        foreach (var image in request.Images)
        {
            content.AddFile("image", image);
        }
        if (request.Mask is not null)
        {
            content.AddFile("mask", request.Mask);
        }
        AddIfSet(content, "n", request.Count?.ToString(CultureInfo.InvariantCulture));
        AddIfSet(content, "size", request.Size);
        AddIfSet(content, "quality", request.Quality);
        AddIfSet(content, "response_format", request.ResponseFormat);
        AddIfSet(content, "user", request.User);
        AddIfSet(content, "background", request.Background);
        AddIfSet(content, "input_fidelity", request.InputFidelity);
        AddIfSet(content, "output_format", request.OutputFormat);
        AddIfSet(content, "output_compression", request.OutputCompression?.ToString(CultureInfo.InvariantCulture));
        if (request.PartialImages is { } partial)
        {
            content.AddText("stream", "true");
            content.AddText("partial_images", partial.ToString(CultureInfo.InvariantCulture));
        }
        foreach (var field in request.AdditionalFields)
        {
            foreach (string value in RequestFields.FormValues(field.Value))
            {
                content.AddText(field.Key, value);
            }
        }
        return content;
    }

    private static void AddIfSet(MultipartFormContent content, string name, string? value)
    {
        if (value is not null)
        {
            content.AddText(name, value);
        }
    }
}
