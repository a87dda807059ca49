using System.IO;

namespace TuZiImages.Core.Provenance;

/// <summary>
/// JPEG: the XMP packet goes in an APP1 segment after SOI and the leading JFIF (APP0) and Exif (APP1) segments,
/// where readers look first; an existing XMP segment is replaced by the merged one. From the start of the scan
/// (SOS) on, the file is copied as it was.
/// </summary>
internal sealed class JpegContainer : ImageContainer
{
    public static readonly JpegContainer Instance = new();

    private const string XmpHeader = "http://ns.adobe.com/xap/1.0/\0";
    private const int MaxSegment = 65535;

    public override ContainerScan Scan(Stream file)
    {
        var scan = new ContainerScan();
        long length = file.Length;
        byte[] start = ReadAt(file, 0, 2);
        if (start.Length < 2 || start[0] != 0xFF || start[1] != 0xD8)
        {
            scan.Fail("it does not start with the JPEG start-of-image marker");
            return scan;
        }
        scan.InsertAt = 2;
        bool leading = true;
        long at = 2;
        while (true)
        {
            byte[] marker = ReadAt(file, at, 2);
            if (marker.Length < 2)
            {
                scan.Fail("it is cut off before its image data (no start-of-scan marker)");
                return scan;
            }
            if (marker[0] != 0xFF)
            {
                scan.Fail($"the segment at byte {at} does not start with a marker");
                return scan;
            }
            if (marker[1] == 0xFF)
            {
                at++; // fill byte
                continue;
            }
            byte type = marker[1];
            if (type == 0x01 || (type >= 0xD0 && type <= 0xD7))
            {
                at += 2; // standalone markers carry no length
                continue;
            }
            if (type is 0xD8 or 0xD9 or 0x00)
            {
                scan.Fail($"it has an unexpected marker 0xFF{type:X2} at byte {at} before its image data");
                return scan;
            }
            byte[] lengthBytes = ReadAt(file, at + 2, 2);
            int size = lengthBytes.Length < 2 ? 0 : (lengthBytes[0] << 8) | lengthBytes[1];
            if (size < 2 || at + 2 + size > length)
            {
                scan.Fail($"it is cut off: the segment at byte {at} runs past the end of the file");
                return scan;
            }
            long end = at + 2 + size;
            if (type == 0xDA)
            {
                byte[] last = ReadAt(file, length - 2, 2);
                if (last.Length < 2 || last[0] != 0xFF || last[1] != 0xD9)
                {
                    scan.Fail("it does not end with the end-of-image marker: it is cut off, or has data after its end", damaged: false);
                }
                return scan;
            }
            byte[] payload = ReadAt(file, at + 4, System.Math.Min(size - 2, 128));
            bool isXmp = type == 0xE1 && StartsWith(payload, 0, XmpHeader);
            if (isXmp)
            {
                scan.Replaced.Add((at, 2L + size));
                if (scan.Xmp is null)
                {
                    byte[] segment = ReadAt(file, at + 4, size - 2);
                    scan.Xmp = Utf8.GetString(segment, XmpHeader.Length, segment.Length - XmpHeader.Length);
                }
            }
            else if (type == 0xEB && StartsWith(payload, 0, "JP") && IndexOf(payload, 2, "c2pa") >= 0)
            {
                // APP11 carries JUMBF boxes ("JP", instance, sequence, then the box); the manifest store's label is c2pa.
                scan.HasContentCredentials = true;
            }
            leading &= type == 0xE0 || isXmp || (type == 0xE1 && StartsWith(payload, 0, "Exif\0"));
            if (leading)
            {
                scan.InsertAt = end;
            }
            at = end;
        }
    }

    public override string? CannotHold(byte[] xmp) =>
        2 + XmpHeader.Length + xmp.Length > MaxSegment
            ? $"the record ({xmp.Length / 1024} KB) is larger than a JPEG segment holds (64 KB): a prompt that long does not fit"
            : null;

    public override void Write(Stream source, Stream destination, ContainerScan scan, ImageRecord record, byte[] xmp)
    {
        Copy(source, destination, 0, scan.InsertAt, scan);
        int size = 2 + XmpHeader.Length + xmp.Length;
        destination.Write(new byte[] { 0xFF, 0xE1, (byte)(size >> 8), (byte)size }, 0, 4);
        byte[] header = Latin1.GetBytes(XmpHeader);
        destination.Write(header, 0, header.Length);
        destination.Write(xmp, 0, xmp.Length);
        Copy(source, destination, scan.InsertAt, source.Length, scan);
    }
}
