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
}
