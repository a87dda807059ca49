namespace TuZiImages.Core.Models;

/// <summary>Which API a model is reached through.</summary>
public enum ModelRoute
{
    /// <summary>POST /v1/images/generations and /v1/images/edits, answered at once.</summary>
    Images,
    /// <summary>The task API (POST /v1/videos, then polling): the async models.</summary>
    Tasks,
}
