using System;
using System.Buffers.Binary;
using System.IO;

namespace TuZiImages.TestServer.Images;

/// <summary>
/// Writes a lossless (VP8L) WebP of one flat colour. Every prefix code is a one-symbol "simple code", which costs
/// zero bits per pixel, so the file is a few dozen bytes whatever its dimensions. Payload padding is not offered:
/// extra chunks would need the extended (VP8X) layout.
/// </summary>
internal static class WebpWriter
{
    private const int MaxSide = 16384;

    public static byte[] Create(PixelSize size)
    {
        if (size.Width > MaxSide || size.Height > MaxSide)
        {
            throw new ArgumentOutOfRangeException(nameof(size), "WebP images are at most 16384 pixels a side.");
        }

        var bitstream = new MemoryStream();
        bitstream.WriteByte(0x2F); // VP8L signature
        var bits = new LsbBitWriter(bitstream);
        bits.Write((uint)(size.Width - 1), 14);
        bits.Write((uint)(size.Height - 1), 14);
        bits.Write(0, 1); // alpha not used
        bits.Write(0, 3); // version 0
        bits.Write(0, 1); // no transform
        bits.Write(0, 1); // no colour cache
        bits.Write(0, 1); // no meta prefix codes
        // Green, red, blue, alpha, distance: each one symbol.
        foreach (uint symbol in new uint[] { 160, 96, 200, 255, 0 })
        {
            bits.Write(1, 1); // simple code
            bits.Write(0, 1); // one symbol
            bits.Write(1, 1); // 8-bit symbol
            bits.Write(symbol, 8);
        }

        bits.Flush();

        int chunkLength = (int)bitstream.Length;
        int padded = chunkLength + (chunkLength & 1);
        var webp = new byte[12 + 8 + padded];
        "RIFF"u8.CopyTo(webp);
        BinaryPrimitives.WriteInt32LittleEndian(webp.AsSpan(4), 4 + 8 + padded);
        "WEBP"u8.CopyTo(webp.AsSpan(8));
        "VP8L"u8.CopyTo(webp.AsSpan(12));
        BinaryPrimitives.WriteInt32LittleEndian(webp.AsSpan(16), chunkLength);
        bitstream.GetBuffer().AsSpan(0, chunkLength).CopyTo(webp.AsSpan(20));
        return webp;
    }
}
