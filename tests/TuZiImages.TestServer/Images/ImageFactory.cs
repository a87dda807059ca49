using System;
using System.Collections.Concurrent;
using System.Threading;

namespace TuZiImages.TestServer.Images;

/// <summary>
/// Makes result images and caches them for the life of the process, shared by every server instance: a 4K PNG takes
/// a noticeable fraction of a second, and test suites start many servers asking for the same few sizes.
/// </summary>
internal static class ImageFactory
{
    private static readonly ConcurrentDictionary<(ImageFormat Format, PixelSize Size, long Payload), Lazy<byte[]>> Cache = new();

    public static byte[] Get(ImageFormat format, PixelSize size, long payloadBytes)
    {
        var key = (format, size, Math.Max(0, payloadBytes));
        return Cache.GetOrAdd(key, k => new Lazy<byte[]>(() => Create(k.Format, k.Size, k.Payload), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
    }

    private static byte[] Create(ImageFormat format, PixelSize size, long payloadBytes) => format switch
    {
        ImageFormat.Jpeg => JpegWriter.Create(size, payloadBytes),
        ImageFormat.Gif => GifWriter.Create(size, payloadBytes),
        ImageFormat.Webp => WebpWriter.Create(size),
        _ => PngWriter.Create(size, payloadBytes),
    };
}
