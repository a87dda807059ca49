using System;
using System.Collections.Generic;

namespace TuZiImages.Core;

/// <summary>One model the key may use, as GET /v1/models lists it.</summary>
public sealed class TuZiModel
{
    public string Id { get; init; } = "";
    /// <summary>The API's owned_by: who serves it (openai, google, vertex-ai, custom...).</summary>
    public string? Owner { get; init; }
    /// <summary>When the service says the model was added, if it says.</summary>
    public DateTimeOffset? Created { get; init; }
    /// <summary>The endpoints it takes, when the gateway lists them (new-api's supported_endpoint_types).</summary>
    public IReadOnlyList<string> EndpointTypes { get; init; } = Array.Empty<string>();

    public override string ToString() => Id;
}
