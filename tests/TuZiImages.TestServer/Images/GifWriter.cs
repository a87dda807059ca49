using System;
using System.IO;

namespace TuZiImages.TestServer.Images;

/// <summary>
/// Writes a valid GIF89a with a 256-colour palette. The LZW stream holds only literal codes and a clear code every
/// <see cref="CodesPerClear"/> pixels, so the code width never grows: no dictionary to manage, any decoder reads it.
/// </summary>
internal static class GifWriter
{
    private const int MinCodeSize = 8;
    private const uint ClearCode = 1 << MinCodeSize;
    private const uint EndCode = ClearCode + 1;
    private const int CodeWidth = MinCodeSize + 1;

    // Each code after the first adds a dictionary entry in the decoder; clearing well before 512 keeps codes 9 bits.
    private const int CodesPerClear = 250;

    public static byte[] Create(PixelSize size, long payloadBytes)
    {
        var gif = new MemoryStream();
        gif.Write("GIF89a"u8);
        WriteUInt16(gif, size.Width);
        WriteUInt16(gif, size.Height);
        gif.Write([0xF7, 0x00, 0x00]); // global colour table of 256 entries, 8 bits per primary
        for (int i = 0; i < 256; i++)
        {
            gif.Write([(byte)((i >> 4) * 17), (byte)((i & 15) * 17), 128]);
        }

        long padding = payloadBytes - EstimateSize(size);
        if (padding > 0)
        {
            WriteComment(gif, padding);
        }

        gif.WriteByte(0x2C); // image descriptor
        WriteUInt16(gif, 0);
        WriteUInt16(gif, 0);
        WriteUInt16(gif, size.Width);
        WriteUInt16(gif, size.Height);
        gif.WriteByte(0x00);
        gif.WriteByte(MinCodeSize);
        WriteSubBlocks(gif, Compress(size));
        gif.WriteByte(0x3B); // trailer
        return gif.ToArray();
    }

    private static byte[] Compress(PixelSize size)
    {
        var lzw = new MemoryStream();
        var bits = new LsbBitWriter(lzw);
        int sinceClear = CodesPerClear;
        for (int y = 0; y < size.Height; y++)
        {
            int row = y * 16 / size.Height;
            for (int x = 0; x < size.Width; x++)
            {
                if (sinceClear == CodesPerClear)
                {
                    bits.Write(ClearCode, CodeWidth);
                    sinceClear = 0;
                }

                bits.Write((uint)((x * 16 / size.Width) << 4 | row), CodeWidth);
                sinceClear++;
            }
        }

        bits.Write(EndCode, CodeWidth);
        bits.Flush();
        return lzw.ToArray();
    }

    private static long EstimateSize(PixelSize size) =>
        800 + ((long)size.Width * size.Height * CodeWidth / 8 * (CodesPerClear + 1) / CodesPerClear);

    private static void WriteComment(Stream gif, long bytes)
    {
        gif.Write([0x21, 0xFE]);
        var noise = new NoiseSource((ulong)bytes);
        Span<byte> block = stackalloc byte[255];
        while (bytes > 0)
        {
            int take = (int)Math.Min(255, bytes);
            noise.Fill(block[..take]);
            gif.WriteByte((byte)take);
            gif.Write(block[..take]);
            bytes -= take + 1;
        }

        gif.WriteByte(0x00);
    }

    private static void WriteSubBlocks(Stream gif, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            int take = Math.Min(255, data.Length);
            gif.WriteByte((byte)take);
            gif.Write(data[..take]);
            data = data[take..];
        }

        gif.WriteByte(0x00);
    }

    private static void WriteUInt16(Stream stream, int value)
    {
        stream.WriteByte((byte)value);
        stream.WriteByte((byte)(value >> 8));
    }
}
