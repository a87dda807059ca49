using TuZiImages.Core.Imaging;

namespace TuZiImages.Core.Provenance;

/// <summary>Whether an image on disk carries Content Credentials (C2PA): a walk over its chunks, not a read of its data.</summary>
internal static class ContentCredentials
{
    public static bool In(string path, ImageFormat? format)
    {
        if (ImageContainer.For(format) is not { } container)
        {
            return false;
        }
        using var file = RecordWriter.OpenRead(path);
        return container.Scan(file).HasContentCredentials;
    }
}
