using System;
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

    /// <summary>
    /// The async model that makes what <paramref name="model"/> makes, for advice after a synchronous request was cut
    /// off; null when the service has none. The service sells async variants of the Gemini 3 Pro image models only.
    /// </summary>
    public static string? AsyncVariantOf(string? model)
    {
        string name = model?.Trim() ?? "";
        if (name.Length == 0 || UsesTaskApi(name))
        {
            return null;
        }
        const string family = "gemini-3-pro-image-preview";
        if (!name.StartsWith(family, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        string suffix = name.Substring(family.Length).ToLowerInvariant();
        return suffix switch
        {
            "" => family + "-async",
            "-2k" or "-2k-vip" => family + "-2k-async",
            "-4k" or "-4k-vip" or "-hd" => family + "-4k-async",
            _ => null,
        };
    }
}
