using System.Collections.Generic;
using System.IO;
using TuZiImages.Core.Imaging;

namespace TuZiImages.Core.Saving;

/// <summary>-SkipExisting: the files a request would be saved under, when every one of them is already there.</summary>
internal static class ExistingOutput
{
    private static readonly ImageFormat[] Formats = { ImageFormat.Png, ImageFormat.Jpeg, ImageFormat.WebP, ImageFormat.Gif };

    /// <summary>
    /// The existing files, one per image, or null when any is missing (then the request is sent). The extension
    /// comes from the image's bytes, so any image extension matches, unless the caller named one in -OutFile.
    /// </summary>
    public static IReadOnlyList<string>? Find(SaveOptions save, int count)
    {
        if (save.FilePath is null && save.FileStem is null)
        {
            return null; // a time-stamped default name is never made twice
        }
        var found = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            if (FindOne(save, i, count) is not { } path)
            {
                return null;
            }
            found.Add(path);
        }
        return found;
    }

    private static string? FindOne(SaveOptions save, int index, int count)
    {
        if (save.FilePath is { } exact && Path.HasExtension(exact))
        {
            string path = SaveSession.PlannedPath(save, save.FileStem ?? "", index, count, "");
            return File.Exists(path) ? path : null;
        }
        foreach (var format in Formats)
        {
            string path = SaveSession.PlannedPath(save, save.FileStem ?? "", index, count, format.Extension);
            if (File.Exists(path))
            {
                return path;
            }
            if (format == ImageFormat.Jpeg && File.Exists(Path.ChangeExtension(path, ".jpeg")))
            {
                return Path.ChangeExtension(path, ".jpeg");
            }
        }
        return null;
    }
}
