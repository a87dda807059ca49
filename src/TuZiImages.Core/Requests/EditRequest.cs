using System.Collections.Generic;
using System.Linq;
using TuZiImages.Core.Bodies;

namespace TuZiImages.Core.Requests;

/// <summary>POST /v1/images/edits: one or more images, an optional mask, sent as multipart/form-data.</summary>
public sealed class EditRequest : ImageRequest
{
    public List<InputImage> Images { get; } = new();
    public InputImage? Mask { get; set; }

    internal override BodyEndpoints Endpoints => BodyEndpoints.Edits;
    internal override IEnumerable<InputImage> Files => Mask is null ? Images : Images.Concat(new[] { Mask });
    internal override string ErrorTarget => Images.Count == 1 ? Images[0].FullPath : Prompt;

    public override void Validate()
    {
        base.Validate();
        if (Images.Count == 0)
        {
            throw TuZiImagesException.InvalidInput("An edit needs at least one image.", Prompt);
        }
    }
}
