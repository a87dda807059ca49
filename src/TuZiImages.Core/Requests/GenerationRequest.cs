using System.Collections.Generic;
using System.Linq;
using TuZiImages.Core.Bodies;

namespace TuZiImages.Core.Requests;

/// <summary>POST /v1/images/generations: a prompt and optional reference images, sent as JSON.</summary>
public sealed class GenerationRequest : ImageRequest
{
    public List<ReferenceImage> ReferenceImages { get; } = new();

    internal override BodyEndpoints Endpoints => BodyEndpoints.Generations;
    internal override IEnumerable<InputImage> Files => ReferenceImages.Where(r => r.File is not null).Select(r => r.File!);
}
