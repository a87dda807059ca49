using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace TuZiImages.Tests.Provenance;

/// <summary>
/// The tests' own reading of image files, written apart from the module's: the image data that must never change
/// (PNG IDAT data, the JPEG scan, WebP's VP8/VP8L/ALPH payloads), and the chunk or segment names in order.
/// </summary>
internal static class ImageBytes
{
    public static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Provenance", "Fixtures", name);

    public static byte[] ImageData(byte[] file) => file[0] switch
    {
        0x89 => Concat(PngChunks(file).Where(c => c.Type == "IDAT").Select(c => c.Data)),
        0xFF => JpegScan(file),
        _ => Concat(WebPChunks(file).Where(c => c.Type is "VP8 " or "VP8L" or "ALPH").Select(c => c.Data)),
    };

    /// <summary>Every chunk of a PNG with its data; throws when a CRC is wrong or the file does not end at IEND.</summary>
    public static List<(string Type, byte[] Data)> PngChunks(byte[] file)
    {
        var chunks = new List<(string, byte[])>();
        int at = 8;
        while (true)
        {
            int length = BinaryPrimitives.ReadInt32BigEndian(file.AsSpan(at));
            string type = Encoding.ASCII.GetString(file, at + 4, 4);
            byte[] data = file.AsSpan(at + 8, length).ToArray();
            uint crc = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(at + 8 + length));
            if (crc != Crc(file.AsSpan(at + 4, 4 + length)))
            {
                throw new InvalidDataException($"The CRC of the {type} chunk at {at} is wrong.");
            }
            chunks.Add((type, data));
            at += 12 + length;
            if (type == "IEND")
            {
                Assert.Equal(file.Length, at);
                return chunks;
            }
        }
    }

    /// <summary>The segment markers up to the scan, then "SOS".</summary>
    public static List<string> JpegSegments(byte[] file)
    {
        var names = new List<string> { "SOI" };
        int at = 2;
        while (true)
        {
            byte marker = file[at + 1];
            if (marker == 0xDA)
            {
                names.Add("SOS");
                return names;
            }
            int length = (file[at + 2] << 8) | file[at + 3];
            string name = marker switch
            {
                0xE0 => "APP0",
                0xE1 when Encoding.ASCII.GetString(file, at + 4, 4) == "Exif" => "APP1-Exif",
                0xE1 when Encoding.ASCII.GetString(file, at + 4, 28) == "http://ns.adobe.com/xap/1.0/" => "APP1-XMP",
                0xEB => "APP11",
                _ => $"FF{marker:X2}",
            };
            names.Add(name);
            at += 2 + length;
        }
    }

    public static byte[] JpegScan(byte[] file)
    {
        int at = 2;
        while (file[at + 1] != 0xDA)
        {
            at += 2 + ((file[at + 2] << 8) | file[at + 3]);
        }
        return file.AsSpan(at).ToArray();
    }

    /// <summary>Every chunk of a WebP; checks the RIFF size against the file's.</summary>
    public static List<(string Type, byte[] Data)> WebPChunks(byte[] file)
    {
        Assert.Equal("RIFF", Encoding.ASCII.GetString(file, 0, 4));
        Assert.Equal(file.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(4)));
        var chunks = new List<(string, byte[])>();
        for (int at = 12; at < file.Length;)
        {
            string type = Encoding.ASCII.GetString(file, at, 4);
            int size = BinaryPrimitives.ReadInt32LittleEndian(file.AsSpan(at + 4));
            chunks.Add((type, file.AsSpan(at + 8, size).ToArray()));
            at += 8 + size + (size & 1);
        }
        return chunks;
    }

    private static byte[] Concat(IEnumerable<byte[]> parts) => parts.SelectMany(p => p).ToArray();

    internal static uint Crc(ReadOnlySpan<byte> bytes)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in bytes)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
            }
        }
        return ~crc;
    }
}
