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
    /// <summary>
    /// US dollars per request where the service publishes a price per request (/api/pricing, quota_type 1), for the
    /// group in <see cref="PriceGroup"/>: the default group's, which a key's own group can multiply. Null for a
    /// token-priced model, or when the service publishes no prices.
    /// </summary>
    public decimal? PriceUsd { get; init; }
    /// <summary>The group of keys <see cref="PriceUsd"/> is for ("default"); null when there is no price.</summary>
    public string? PriceGroup { get; init; }

    internal TuZiModel WithPrice(decimal usd, string group) =>
        new() { Id = Id, Owner = Owner, Created = Created, EndpointTypes = EndpointTypes, PriceUsd = usd, PriceGroup = group };

    public override string ToString() => Id;
}
