using System.IO;
using System.Text;
using TuZiImages.Core.Imaging;

namespace TuZiImages.Core.Provenance;

/// <summary>
/// WebP: the XMP packet goes in an "XMP " chunk at the end, which needs the extended layout: a simple file (one
/// VP8 or VP8L chunk) gets a VP8X header whose canvas is read from the bitstream and whose XMP flag is set, an
/// extended one has the flag set. The RIFF size is written anew; the image chunks are copied as they were.
/// </summary>
internal sealed class WebPContainer : ImageContainer
{
    public static readonly WebPContainer Instance = new();

    private const int HeaderSize = 12;
    private const int FirstChunk = 12;
    private const byte XmpFlag = 0x04;
    private const byte AlphaFlag = 0x10;

    public override ContainerScan Scan(Stream file)
    {
        var scan = new WebPScan();
        long length = file.Length;
        byte[] header = ReadAt(file, 0, HeaderSize);
        if (header.Length < HeaderSize || !StartsWith(header, 0, "RIFF") || !StartsWith(header, 8, "WEBP"))
        {
            scan.Fail("it does not start with a RIFF WEBP header");
            return scan;
        }
        long riffEnd = 8 + (header[4] | ((long)header[5] << 8) | ((long)header[6] << 16) | ((long)header[7] << 24));
        if (riffEnd > length)
        {
            scan.Fail($"it is cut off: its RIFF header says {riffEnd} bytes, the file has {length}");
            return scan;
        }
        if (riffEnd < length)
        {
            scan.Fail($"it has {length - riffEnd} bytes after its end (the RIFF size)", damaged: false);
        }
        scan.RiffEnd = riffEnd;
        scan.InsertAt = riffEnd;
        for (long at = FirstChunk; at < riffEnd;)
        {
            byte[] chunk = ReadAt(file, at, 8);
            long size = chunk.Length < 8 ? -1 : chunk[4] | ((long)chunk[5] << 8) | ((long)chunk[6] << 16) | ((long)chunk[7] << 24);
            if (size < 0 || at + 8 + size > riffEnd)
            {
                scan.Fail($"it is cut off: the chunk at byte {at} runs past the end of the RIFF data");
                return scan;
            }
            string type = Encoding.ASCII.GetString(chunk, 0, 4);
            long padded = size + (size & 1);
            if (at + 8 + padded > riffEnd)
            {
                scan.Fail($"its last chunk ({type.Trim()}) has no pad byte", damaged: false);
            }
            if (at == FirstChunk && !ReadLayout(file, at, type, size, scan))
            {
                return scan;
            }
            if (type == "XMP ")
            {
                scan.Replaced.Add((at, 8 + padded));
                if (scan.Xmp is null && size <= XmpRecord.MaxPacketChars)
                {
                    scan.Xmp = Utf8.GetString(ReadAt(file, at + 8, (int)size));
                }
            }
            else if (type == "C2PA")
            {
                scan.HasContentCredentials = true;
            }
            at += 8 + padded;
        }
        return scan;
    }

    /// <summary>The first chunk says the layout: simple lossy (VP8), simple lossless (VP8L) or extended (VP8X).</summary>
    private static bool ReadLayout(Stream file, long at, string type, long size, WebPScan scan)
    {
        byte[] data = ReadAt(file, at + 8, (int)System.Math.Min(size, 10));
        if (type == "VP8X")
        {
            if (data.Length < 10)
            {
                scan.Fail("its VP8X header is too short");
                return false;
            }
            scan.Extended = true;
            return true;
        }
        bool valid = type == "VP8 " ? data.Length >= 10 && data[3] == 0x9D && data[4] == 0x01 && data[5] == 0x2A
            : type == "VP8L" && data.Length >= 5 && data[0] == 0x2F;
        if (!valid || ImageDimensions.ReadWebPBitstream(type, data, 0) is not { } image)
        {
            scan.Fail($"its first chunk ({type.Trim()}) is not a VP8, VP8L or VP8X header it can read");
            return false;
        }
        scan.Canvas = image;
        return true;
    }

    public override void Write(Stream source, Stream destination, ContainerScan scan, ImageRecord record, byte[] xmp)
    {
        var webp = (WebPScan)scan;
        long kept = webp.RiffEnd - FirstChunk;
        foreach (var replaced in scan.Replaced)
        {
            kept -= replaced.Length;
        }
        long xmpChunk = 8 + xmp.Length + (xmp.Length & 1);
        long riffSize = 4 + (webp.Extended ? 0 : 18) + kept + xmpChunk;
        destination.Write(Encoding.ASCII.GetBytes("RIFF"), 0, 4);
        WriteLittleEndian(destination, riffSize, 4);
        destination.Write(Encoding.ASCII.GetBytes("WEBP"), 0, 4);
        if (webp.Extended)
        {
            // The VP8X chunk as it was, with the XMP flag set.
            Copy(source, destination, FirstChunk, FirstChunk + 8, scan);
            byte[] flags = ReadAt(source, FirstChunk + 8, 1);
            destination.WriteByte((byte)(flags[0] | XmpFlag));
            Copy(source, destination, FirstChunk + 9, webp.RiffEnd, scan);
        }
        else
        {
            var (width, height, alpha) = webp.Canvas;
            destination.Write(Encoding.ASCII.GetBytes("VP8X"), 0, 4);
            WriteLittleEndian(destination, 10, 4);
            destination.WriteByte((byte)(XmpFlag | (alpha ? AlphaFlag : 0)));
            WriteLittleEndian(destination, 0, 3);
            WriteLittleEndian(destination, width - 1, 3);
            WriteLittleEndian(destination, height - 1, 3);
            Copy(source, destination, FirstChunk, webp.RiffEnd, scan);
        }
        destination.Write(Encoding.ASCII.GetBytes("XMP "), 0, 4);
        WriteLittleEndian(destination, xmp.Length, 4);
        destination.Write(xmp, 0, xmp.Length);
        if ((xmp.Length & 1) == 1)
        {
            destination.WriteByte(0);
        }
    }

    private static void WriteLittleEndian(Stream destination, long value, int bytes)
    {
        for (int i = 0; i < bytes; i++)
        {
            destination.WriteByte((byte)(value >> (8 * i)));
        }
    }

    private sealed class WebPScan : ContainerScan
    {
        public long RiffEnd { get; set; }
        public bool Extended { get; set; }
        public (int Width, int Height, bool Alpha) Canvas { get; set; }
    }
}
