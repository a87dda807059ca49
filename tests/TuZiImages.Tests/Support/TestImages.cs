using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Text;

namespace TuZiImages.Tests.Support;

/// <summary>Small real images for tests that need files on disk.</summary>
internal static class TestImages
{
    public static byte[] Png(int width, int height, byte shade = 0x80)
    {
        using var output = new MemoryStream();
        output.Write(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A });
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; // bit depth
        ihdr[9] = 0; // greyscale
        WriteChunk(output, "IHDR", ihdr);
        using var raw = new MemoryStream();
        using (var zlib = new ZLibStream(raw, CompressionLevel.Fastest, leaveOpen: true))
        {
            var row = new byte[width + 1];
            Array.Fill(row, shade, 1, width);
            for (int y = 0; y < height; y++)
            {
                zlib.Write(row);
            }
        }
        WriteChunk(output, "IDAT", raw.ToArray());
        WriteChunk(output, "IEND", Array.Empty<byte>());
        return output.ToArray();
    }

    /// <summary>The start of a JPEG up to its frame header: enough for type and size, which is all the client reads.</summary>
    public static byte[] JpegHeader(int width, int height)
    {
        using var output = new MemoryStream();
        output.Write(new byte[] { 0xFF, 0xD8 });
        // An APP1 segment the size reader has to skip by its length.
        output.Write(new byte[] { 0xFF, 0xE1, 0x00, 0x08, (byte)'E', (byte)'x', (byte)'i', (byte)'f', 0, 0 });
        output.Write(new byte[] { 0xFF, 0xC0, 0x00, 0x11, 0x08, (byte)(height >> 8), (byte)height, (byte)(width >> 8), (byte)width, 3 });
        output.Write(new byte[15]);
        output.Write(new byte[] { 0xFF, 0xD9 });
        return output.ToArray();
    }

    public static string WritePng(string directory, string name, int width = 16, int height = 8, byte shade = 0x80)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllBytes(path, Png(width, height, shade));
        return path;
    }

    private static void WriteChunk(Stream output, string type, byte[] data)
    {
        var length = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
        output.Write(length);
        var typeBytes = Encoding.ASCII.GetBytes(type);
        output.Write(typeBytes);
        output.Write(data);
        var crcBytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crcBytes, Crc32(Crc32(0xFFFFFFFFu, typeBytes), data) ^ 0xFFFFFFFFu);
        output.Write(crcBytes);
    }

    private static uint Crc32(uint crc, byte[] data)
    {
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
            }
        }
        return crc;
    }
}
