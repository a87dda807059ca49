using System;

namespace TuZiImages.Core.Bodies;

/// <summary>Which endpoints take a field.</summary>
[Flags]
public enum BodyEndpoints
{
    /// <summary>POST /v1/images/generations, a JSON body.</summary>
    Generations = 1,
    /// <summary>POST /v1/images/edits, a multipart body.</summary>
    Edits = 2,
    /// <summary>POST /v1/videos, the task API of the async models: a multipart body.</summary>
    Tasks = 4,
}

/// <summary>Each endpoint's path and body encoding.</summary>
public static class BodyEndpointPaths
{
    /// <summary>The path under the service's address, /v1 included.</summary>
    public static string Path(this BodyEndpoints endpoint) => endpoint switch
    {
        BodyEndpoints.Generations => "/v1/images/generations",
        BodyEndpoints.Edits => "/v1/images/edits",
        BodyEndpoints.Tasks => "/v1/videos",
        _ => throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "One endpoint, not several."),
    };

    /// <summary>True for the JSON body; the others are multipart/form-data.</summary>
    public static bool IsJson(this BodyEndpoints endpoint) => endpoint == BodyEndpoints.Generations;
}
