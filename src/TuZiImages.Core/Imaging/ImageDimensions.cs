using System;
using System.IO;

namespace TuZiImages.Core.Imaging;

/// <summary>Reads width and height from an image's header without decoding it.</summary>
public static class ImageDimensions
{
    /// <summary>Returns (width, height), or null when the header is not understood.</summary>
    public static (int Width, int Height)? Read(Stream stream, ImageFormat format)
    {
        try
        {
            if (format == ImageFormat.Png)
            {
                var b = ReadPrefix(stream, 24);
                // IHDR is always the first chunk: width and height are big-endian at 16 and 20.
                return b.Length < 24 ? null : (BigEndian32(b, 16), BigEndian32(b, 20));
            }
            if (format == ImageFormat.Gif)
            {
                var b = ReadPrefix(stream, 10);
                return b.Length < 10 ? null : (b[6] | (b[7] << 8), b[8] | (b[9] << 8));
            }
            if (format == ImageFormat.WebP)
            {
                return ReadWebP(ReadPrefix(stream, 30));
            }
            if (format == ImageFormat.Jpeg)
            {
                return ReadJpeg(stream);
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    public static (int Width, int Height)? Read(string path, ImageFormat format)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096);
        return Read(stream, format);
    }

    private static byte[] ReadPrefix(Stream stream, int count)
    {
        var buffer = new byte[count];
        int read = ImageFormat.ReadAtMost(stream, buffer, count);
        if (read < count)
        {
            Array.Resize(ref buffer, read);
        }
        return buffer;
    }

    private static int BigEndian32(byte[] b, int i) => (b[i] << 24) | (b[i + 1] << 16) | (b[i + 2] << 8) | b[i + 3];

    private static (int, int)? ReadWebP(byte[] b)
    {
        if (b.Length < 30)
        {
            return null;
        }
        string chunk = System.Text.Encoding.ASCII.GetString(b, 12, 4);
        if (chunk == "VP8X")
        {
            return (1 + (b[24] | (b[25] << 8) | (b[26] << 16)), 1 + (b[27] | (b[28] << 8) | (b[29] << 16)));
        }
        return ReadWebPBitstream(chunk, b, 20) is { } image ? (image.Width, image.Height) : null;
    }

    /// <summary>
    /// Width, height and whether alpha is used, from the first 10 bytes of a simple WebP's "VP8 " (lossy) or "VP8L"
    /// (lossless) chunk data at <paramref name="offset"/>; null for another chunk.
    /// </summary>
    internal static (int Width, int Height, bool Alpha)? ReadWebPBitstream(string chunk, byte[] b, int offset)
    {
        switch (chunk)
        {
            case "VP8 " when b.Length >= offset + 10:
                // A 3-byte frame tag and the start code 9D 01 2A, then 14 bits each of width and height.
                return ((b[offset + 6] | (b[offset + 7] << 8)) & 0x3FFF, (b[offset + 8] | (b[offset + 9] << 8)) & 0x3FFF, false);
            case "VP8L" when b.Length >= offset + 5:
                // The signature 0x2F, then 14 bits of width - 1, 14 of height - 1, and the alpha_is_used bit.
                int bits = b[offset + 1] | (b[offset + 2] << 8) | (b[offset + 3] << 16) | (b[offset + 4] << 24);
                return (1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF), ((bits >> 28) & 1) == 1);
            default:
                return null;
        }
    }

    private static (int, int)? ReadJpeg(Stream stream)
    {
        // Walk the marker segments up to the first start-of-frame; EXIF and ICC segments are skipped by length.
        if (stream.ReadByte() != 0xFF || stream.ReadByte() != 0xD8)
        {
            return null;
        }
        var segment = new byte[7];
        while (true)
        {
            int b = stream.ReadByte();
            if (b < 0)
            {
                return null;
            }
            if (b != 0xFF)
            {
                continue;
            }
            int marker;
            do
            {
                marker = stream.ReadByte();
            }
            while (marker == 0xFF);
            if (marker < 0 || marker == 0xD9 || marker == 0xDA)
            {
                return null;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
            {
                continue; // standalone markers carry no length
            }
            int hi = stream.ReadByte(), lo = stream.ReadByte();
            if (hi < 0 || lo < 0)
            {
                return null;
            }
            int length = (hi << 8) | lo;
            bool isStartOfFrame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (isStartOfFrame)
            {
                if (ImageFormat.ReadAtMost(stream, segment, 5) < 5)
                {
                    return null;
                }
                return ((segment[3] << 8) | segment[4], (segment[1] << 8) | segment[2]);
            }
            if (length < 2)
            {
                return null;
            }
            if (stream.CanSeek)
            {
                stream.Seek(length - 2, SeekOrigin.Current);
            }
            else
            {
                for (int i = 0; i < length - 2; i++)
                {
                    if (stream.ReadByte() < 0)
                    {
                        return null;
                    }
                }
            }
        }
    }
}
