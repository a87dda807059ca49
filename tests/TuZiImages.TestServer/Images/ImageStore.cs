using System;
using System.Collections.Concurrent;

namespace TuZiImages.TestServer.Images;

internal sealed record StoredImage(string Id, ImageFormat Format, byte[] Bytes);

/// <summary>The images a server has handed out as URLs, kept so the result origin can serve them.</summary>
internal sealed class ImageStore
{
    private readonly ConcurrentDictionary<string, StoredImage> _images = new(StringComparer.Ordinal);

    public StoredImage Add(ImageFormat format, byte[] bytes)
    {
        var image = new StoredImage("img_" + Guid.NewGuid().ToString("N"), format, bytes);
        _images[image.Id] = image;
        return image;
    }

    public StoredImage? Find(string id) => _images.TryGetValue(id, out StoredImage? image) ? image : null;
}
