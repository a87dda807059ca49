using System;
using System.IO;
using System.Text;

namespace TuZiImages.Core.Provenance;

/// <summary>
/// PNG: the record goes in two iTXt chunks right after IHDR, "parameters" (the Stable Diffusion web UIs' text) and
/// "XML:com.adobe.xmp" (the XMP packet). Existing ones are replaced; every other chunk is copied as it was.
/// </summary>
internal sealed class PngContainer : ImageContainer
{
    public static readonly PngContainer Instance = new();

    private const string XmpKeyword = "XML:com.adobe.xmp";
    private const int MaxKeyword = 79;

    private static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    public override ContainerScan Scan(Stream file)
    {
        var scan = new ContainerScan();
        long length = file.Length;
        byte[] signature = ReadAt(file, 0, Signature.Length);
        if (signature.Length < Signature.Length || !signature.AsSpan().SequenceEqual(Signature))
        {
            scan.Fail("it does not start with the PNG signature");
            return scan;
        }
        long at = Signature.Length;
        while (true)
        {
            if (at + 12 > length)
            {
                scan.Fail(at == length ? "it is cut off: it has no IEND chunk" : $"it is cut off inside the chunk header at byte {at}");
                return scan;
            }
            byte[] header = ReadAt(file, at, 8);
            long size = ((long)header[0] << 24) | ((long)header[1] << 16) | ((long)header[2] << 8) | header[3];
            string type = Encoding.ASCII.GetString(header, 4, 4);
            if (size > int.MaxValue || at + 12 + size > length)
            {
                scan.Fail($"it is cut off: its {type} chunk at byte {at} runs past the end of the file");
                return scan;
            }
            if (at == Signature.Length)
            {
                if (type != "IHDR")
                {
                    scan.Fail("its first chunk is not IHDR");
                    return scan;
                }
                scan.InsertAt = at + 12 + size;
            }
            switch (type)
            {
                case "tEXt" or "zTXt" or "iTXt":
                    ReadText(file, at, (int)size, type, scan);
                    break;
                case "caBX":
                    scan.HasContentCredentials = true;
                    break;
                case "IEND":
                    if (at + 12 + size != length)
                    {
                        scan.Fail($"it has {length - at - 12 - size} bytes after its end (the IEND chunk)", damaged: false);
                    }
                    return scan;
            }
            at += 12 + size;
        }
    }

    /// <summary>Notes the XMP packet and the "parameters" text; both are replaced when the record is written.</summary>
    private static void ReadText(Stream file, long at, int size, string type, ContainerScan scan)
    {
        byte[] start = ReadAt(file, at + 8, Math.Min(size, MaxKeyword + 1));
        int end = Array.IndexOf(start, (byte)0);
        string keyword = end < 0 ? "" : Latin1.GetString(start, 0, end);
        bool xmp = keyword == XmpKeyword;
        if (!xmp && keyword != ParametersText.Keyword)
        {
            return;
        }
        scan.Replaced.Add((at, 12L + size));
        if ((xmp ? scan.Xmp : scan.Parameters) is not null || size > XmpRecord.MaxPacketChars)
        {
            return;
        }
        string? text;
        try
        {
            text = Text(ReadAt(file, at + 8, size), end + 1, type);
        }
        catch (InvalidDataException)
        {
            text = null; // a compressed text that does not inflate is as if it were not there
        }
        if (xmp)
        {
            scan.Xmp = text;
        }
        else
        {
            scan.Parameters = text;
        }
    }

    /// <summary>The text of a tEXt (Latin-1), zTXt (compressed Latin-1) or iTXt (UTF-8, maybe compressed) chunk after its keyword.</summary>
    private static string? Text(byte[] data, int at, string type)
    {
        switch (type)
        {
            case "tEXt":
                return Latin1.GetString(data, at, data.Length - at);
            case "zTXt":
                return at + 1 <= data.Length ? Latin1.GetString(Inflate(data, at + 1)) : null;
            default:
                if (at + 2 > data.Length)
                {
                    return null;
                }
                bool compressed = data[at] == 1;
                int language = Array.IndexOf(data, (byte)0, at + 2);
                int translated = language < 0 ? -1 : Array.IndexOf(data, (byte)0, language + 1);
                if (translated < 0)
                {
                    return null;
                }
                return compressed ? Utf8.GetString(Inflate(data, translated + 1)) : Utf8.GetString(data, translated + 1, data.Length - translated - 1);
        }
    }

    public override void Write(Stream source, Stream destination, ContainerScan scan, ImageRecord record, byte[] xmp)
    {
        Copy(source, destination, 0, scan.InsertAt, scan);
        WriteText(destination, ParametersText.Keyword, Utf8.GetBytes(ParametersText.Write(record)));
        WriteText(destination, XmpKeyword, xmp);
        Copy(source, destination, scan.InsertAt, source.Length, scan);
    }

    /// <summary>An uncompressed iTXt chunk with no language tag, as the XMP specification asks for its packet.</summary>
    private static void WriteText(Stream destination, string keyword, byte[] text)
    {
        byte[] name = Latin1.GetBytes(keyword);
        var chunk = new byte[4 + name.Length + 5 + text.Length];
        Encoding.ASCII.GetBytes("iTXt", 0, 4, chunk, 0);
        name.CopyTo(chunk, 4);
        // After the keyword's NUL: not compressed, method 0, an empty language tag, an empty translated keyword.
        text.CopyTo(chunk, 4 + name.Length + 5);
        int size = chunk.Length - 4;
        destination.Write(new[] { (byte)(size >> 24), (byte)(size >> 16), (byte)(size >> 8), (byte)size }, 0, 4);
        destination.Write(chunk, 0, chunk.Length);
        uint crc = Crc32.Update(0, chunk, 0, chunk.Length);
        destination.Write(new[] { (byte)(crc >> 24), (byte)(crc >> 16), (byte)(crc >> 8), (byte)crc }, 0, 4);
    }
}
