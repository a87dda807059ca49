using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace TuZiImages.TestServer.Images;

/// <summary>
/// Writes real, decodable PNGs: a colour gradient by default, or (for memory benchmarks) one padded with
/// incompressible noise rows until the file is about the asked number of bytes.
/// </summary>
internal static class PngWriter
{
    private const int IdatChunkBytes = 256 * 1024;
    private const byte FilterNone = 0;
    private const byte FilterSub = 1;

    private static ReadOnlySpan<byte> Signature => [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];

    public static byte[] Create(PixelSize size, long payloadBytes)
    {
        Layout layout = Plan(size, payloadBytes);
        using var compressed = new MemoryStream();
        // Level 1 codes noise with fixed Huffman codes (about 6% bigger than the data); the default level falls back
        // to stored blocks for it, which keeps a payload image's size close to the one asked for.
        CompressionLevel level = layout.NoiseRows > 0 ? CompressionLevel.Optimal : CompressionLevel.Fastest;
        using (var zlib = new ZLibStream(compressed, level, leaveOpen: true))
        {
            int bytesPerRow = layout.Width * layout.Channels;
            var raw = new byte[bytesPerRow];
            var filtered = new byte[1 + bytesPerRow];
            var noise = new NoiseSource((ulong)layout.Width << 32 | (uint)layout.Height);
            for (int y = 0; y < layout.Height; y++)
            {
                if (y < layout.NoiseRows)
                {
                    filtered[0] = FilterNone;
                    noise.Fill(filtered.AsSpan(1));
                }
                else
                {
                    // The Sub filter turns a horizontal gradient into runs of tiny deltas, so even 4K images stay small.
                    FillGradientRow(raw, y, layout);
                    filtered[0] = FilterSub;
                    for (int i = 0; i < raw.Length; i++)
                    {
                        filtered[1 + i] = (byte)(raw[i] - (i >= layout.Channels ? raw[i - layout.Channels] : 0));
                    }
                }

                zlib.Write(filtered);
            }
        }

        var png = new MemoryStream(checked((int)compressed.Length + 1024));
        png.Write(Signature);
        WriteChunk(png, "IHDR"u8, Header(layout));
        ReadOnlySpan<byte> idat = compressed.GetBuffer().AsSpan(0, (int)compressed.Length);
        while (!idat.IsEmpty)
        {
            int take = Math.Min(IdatChunkBytes, idat.Length);
            WriteChunk(png, "IDAT"u8, idat[..take]);
            idat = idat[take..];
        }

        WriteChunk(png, "IEND"u8, []);
        return png.ToArray();
    }

    private readonly record struct Layout(int Width, int Height, int Channels, int NoiseRows);

    /// <summary>
    /// Noise rows cost their full size in the file and gradient rows almost nothing, so the number of noise rows
    /// sets the file size. When even an all-noise RGBA image of the asked size is too small, the image grows.
    /// </summary>
    private static Layout Plan(PixelSize size, long payloadBytes)
    {
        int width = size.Width, height = size.Height, channels = 3;
        if (payloadBytes <= 0)
        {
            return new Layout(width, height, channels, 0);
        }

        if (payloadBytes > (long)height * (1 + width * 3L))
        {
            channels = 4;
        }

        if (payloadBytes > (long)height * (1 + width * 4L))
        {
            double scale = Math.Sqrt(payloadBytes / (4.0 * width * height));
            width = (int)Math.Ceiling(width * scale);
            height = (int)Math.Ceiling(height * scale);
        }

        long rowBytes = 1 + (long)width * channels;
        int noiseRows = (int)Math.Min(height, (payloadBytes + rowBytes - 1) / rowBytes);
        return new Layout(width, height, channels, noiseRows);
    }

    private static void FillGradientRow(byte[] raw, int y, Layout layout)
    {
        byte green = (byte)(layout.Height > 1 ? y * 255 / (layout.Height - 1) : 128);
        for (int x = 0; x < layout.Width; x++)
        {
            int red = layout.Width > 1 ? x * 255 / (layout.Width - 1) : 128;
            int offset = x * layout.Channels;
            raw[offset] = (byte)red;
            raw[offset + 1] = green;
            raw[offset + 2] = (byte)(255 - (red + green) / 2);
            if (layout.Channels == 4)
            {
                raw[offset + 3] = 255;
            }
        }
    }

    private static byte[] Header(Layout layout)
    {
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, layout.Width);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), layout.Height);
        header[8] = 8; // bit depth
        header[9] = layout.Channels == 4 ? (byte)6 : (byte)2; // truecolour, with or without alpha
        header[10] = 0; // deflate
        header[11] = 0; // adaptive filtering
        header[12] = 0; // not interlaced
        return header;
    }

    private static void WriteChunk(Stream png, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, data.Length);
        png.Write(word);
        png.Write(type);
        png.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(word, Crc32.Append(Crc32.Append(0, type), data));
        png.Write(word);
    }
}
