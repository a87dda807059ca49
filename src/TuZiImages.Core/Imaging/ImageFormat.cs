using System;
using System.IO;

namespace TuZiImages.Core.Imaging;

/// <summary>An image type recognised by its magic bytes, never by a file name.</summary>
public sealed class ImageFormat
{
    private ImageFormat(string name, string contentType, string extension)
    {
        Name = name;
        ContentType = contentType;
        Extension = extension;
    }

    public static readonly ImageFormat Png = new("PNG", "image/png", ".png");
    public static readonly ImageFormat Jpeg = new("JPEG", "image/jpeg", ".jpg");
    public static readonly ImageFormat WebP = new("WebP", "image/webp", ".webp");
    public static readonly ImageFormat Gif = new("GIF", "image/gif", ".gif");

    public string Name { get; }
    public string ContentType { get; }
    /// <summary>With the leading dot.</summary>
    public string Extension { get; }

    /// <summary>Bytes enough to recognise every supported format.</summary>
    public const int SniffLength = 12;

    public static ImageFormat? Sniff(ReadOnlySpan<byte> header)
    {
        if (header.Length >= 8 && header[0] == 0x89 && header[1] == (byte)'P' && header[2] == (byte)'N' && header[3] == (byte)'G'
            && header[4] == 0x0D && header[5] == 0x0A && header[6] == 0x1A && header[7] == 0x0A)
        {
            return Png;
        }
        if (header.Length >= 3 && header[0] == 0xFF && header[1] == 0xD8 && header[2] == 0xFF)
        {
            return Jpeg;
        }
        if (header.Length >= 12 && header[0] == (byte)'R' && header[1] == (byte)'I' && header[2] == (byte)'F' && header[3] == (byte)'F'
            && header[8] == (byte)'W' && header[9] == (byte)'E' && header[10] == (byte)'B' && header[11] == (byte)'P')
        {
            return WebP;
        }
        if (header.Length >= 6 && header[0] == (byte)'G' && header[1] == (byte)'I' && header[2] == (byte)'F' && header[3] == (byte)'8'
            && (header[4] == (byte)'7' || header[4] == (byte)'9') && header[5] == (byte)'a')
        {
            return Gif;
        }
        return null;
    }

    /// <summary>Reads the first bytes of a file and recognises its type; null when it is no supported image.</summary>
    public static ImageFormat? SniffFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        var header = new byte[SniffLength];
        int read = ReadAtMost(stream, header, header.Length);
        return Sniff(header.AsSpan(0, read));
    }

    internal static int ReadAtMost(Stream stream, byte[] buffer, int count)
    {
        int total = 0;
        while (total < count)
        {
            int n = stream.Read(buffer, total, count - total);
            if (n == 0)
            {
                break;
            }
            total += n;
        }
        return total;
    }

    public override string ToString() => Name;
}
