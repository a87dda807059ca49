using System.Collections.Generic;
using System.Linq;
using TuZiImages.Core.Requests;

namespace TuZiImages.Core.Bodies;

/// <summary>
/// The multipart body of POST /v1/videos: model, prompt, size as a ratio (1:1 unless asked), and one
/// <c>input_reference</c> file part per reference image or image to edit.
/// </summary>
internal static class TaskFormContent
{
    public const string SubmitPath = "/v1/videos";
    public const string DefaultRatio = "1:1";

    public static SentTrackingContent Build(ImageRequest request, string model)
    {
        var content = new MultipartFormContent();
        content.AddText("model", model);
        content.AddText("prompt", request.Prompt);
        content.AddText("size", request.Size ?? DefaultRatio);
        foreach (var image in Inputs(request))
        {
            content.AddFile("input_reference", image);
        }
        foreach (var field in request.AdditionalFields)
        {
            foreach (string value in AdditionalFieldValues.FormValues(field.Value))
            {
                content.AddText(field.Key, value);
            }
        }
        return content;
    }

    public static IEnumerable<InputImage> Inputs(ImageRequest request) => request switch
    {
        GenerationRequest generation => generation.ReferenceImages.Where(r => r.File is not null).Select(r => r.File!),
        EditRequest edit => edit.Images,
        _ => Enumerable.Empty<InputImage>(),
    };

    /// <summary>What the task API cannot take, refused before anything is sent (a billed task would ignore it).</summary>
    public static void Validate(ImageRequest request, string model)
    {
        if (request.Count is > 1)
        {
            throw TuZiImagesException.InvalidInput($"The async model '{model}' makes one image per task; {request.Count} were asked for.", request.Prompt,
                "Leave out -Count, or send the prompt once per image.");
        }
        if (request is GenerationRequest generation && generation.ReferenceImages.FirstOrDefault(r => r.File is null) is { } url)
        {
            throw TuZiImagesException.InvalidInput($"The async model '{model}' takes reference images as files, not URLs ('{url}').", url.ToString(),
                "Download the image and give the file.");
        }
        if (request is EditRequest { Mask: not null } edit)
        {
            throw TuZiImagesException.InvalidInput($"The async model '{model}' takes no mask.", edit.Mask!.FullPath,
                "Leave out -Mask, or use a model of the images API.");
        }
        if (request.PartialImages is not null)
        {
            throw TuZiImagesException.InvalidInput($"The async model '{model}' streams no previews.", request.Prompt, "Leave out -PartialImages.");
        }
    }
}
