using TuZiImages.Core.Models;

namespace TuZiImages.Core.Tasks;

/// <summary>
/// Which models go through the service's task API (POST /v1/videos, then polls) instead of the images endpoints.
/// </summary>
/// <remarks>The model-family table decides the route; nothing else does.</remarks>
public static class TaskRouting
{
    /// <summary>The async family of <see cref="ModelFamilies"/>: any name ending in -async, and mj-imagine.</summary>
    public static bool UsesTaskApi(string? model) => ModelFamilies.Find(model?.Trim() ?? "").Route == ModelRoute.Tasks;
}
