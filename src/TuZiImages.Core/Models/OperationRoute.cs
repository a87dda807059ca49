using TuZiImages.Core.Bodies;

namespace TuZiImages.Core.Models;

/// <summary>Where one operation of a family goes: the endpoint (and so the body's encoding) and how images ride.</summary>
public sealed class OperationRoute
{
    public OperationRoute(BodyEndpoints endpoint, ReferenceCarrier carrier)
    {
        Endpoint = endpoint;
        Carrier = carrier;
    }

    public BodyEndpoints Endpoint { get; }
    public ReferenceCarrier Carrier { get; }

    /// <summary>POST /v1/images/generations, references as data URLs in the JSON <c>image</c> array.</summary>
    public static OperationRoute Generations { get; } = new(BodyEndpoints.Generations, ReferenceCarrier.JsonImageArray);

    /// <summary>POST /v1/images/edits, one multipart <c>image</c> part per picture.</summary>
    public static OperationRoute Edits { get; } = new(BodyEndpoints.Edits, ReferenceCarrier.ImageParts);

    /// <summary>POST /v1/videos, one multipart <c>input_reference</c> part per picture.</summary>
    public static OperationRoute Tasks { get; } = new(BodyEndpoints.Tasks, ReferenceCarrier.InputReferenceParts);

    /// <summary>POST /v1/images/generations, references as URLs at the start of the prompt (FLUX).</summary>
    public static OperationRoute GenerationsWithPromptUrls { get; } = new(BodyEndpoints.Generations, ReferenceCarrier.PromptUrls);

    /// <summary>POST /v1/images/generations, no images at all.</summary>
    public static OperationRoute GenerationsOnly { get; } = new(BodyEndpoints.Generations, ReferenceCarrier.None);

    public override string ToString() => $"POST {Endpoint.Path()}";
}
