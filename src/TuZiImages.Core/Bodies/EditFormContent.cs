using System.Collections.Generic;
using System.Linq;
using TuZiImages.Core.Requests;

namespace TuZiImages.Core.Bodies;

/// <summary>The multipart body of POST /v1/images/edits, in the order of the field table; unset fields are left out.</summary>
internal static class EditFormContent
{
    public static SentTrackingContent Build(EditRequest request, string model)
    {
        var content = new MultipartFormContent();
        foreach (var (field, value) in request.Fields(model))
        {
            if (field.Value.IsFiles)
            {
                continue; // after the additional fields, as in the JSON body
            }
            foreach (string text in AdditionalFieldValues.FormValues(value))
            {
                content.AddText(field.Name, text);
            }
        }
        foreach (var field in request.AdditionalFields)
        {
            foreach (string value in AdditionalFieldValues.FormValues(field.Value))
            {
                content.AddText(field.Key, value);
            }
        }
        foreach (var (field, value) in request.Fields(model).Where(f => f.Field.Value.IsFiles))
        {
            foreach (var file in value is InputImage one ? new[] { one } : (IEnumerable<InputImage>)value)
            {
                content.AddFile(field.Name, file);
            }
        }
        return content;
    }
}
