using System;
using System.Buffers;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using TuZiImages.Core.Imaging;

namespace TuZiImages.Core.Provenance;

/// <summary>
/// The chunk or segment layout of one image format: walked to find what the file carries, and rewritten with the
/// record inserted. Only headers are read and only whole chunks are added or left out: the image data is copied
/// byte for byte, never decoded.
/// </summary>
internal abstract class ImageContainer
{
    private const int CopyBuffer = 64 * 1024;

    public static ImageContainer? For(ImageFormat? format) =>
        format == ImageFormat.Png ? PngContainer.Instance
        : format == ImageFormat.Jpeg ? JpegContainer.Instance
        : format == ImageFormat.WebP ? WebPContainer.Instance
        : null;

    /// <summary>Walks the file (a seekable stream at any position) without reading its image data.</summary>
    public abstract ContainerScan Scan(Stream file);

    /// <summary>Walks the file at <paramref name="path"/>; null for a format the module writes no record into.</summary>
    public static ContainerScan? ScanFile(string path, ImageFormat? format)
    {
        if (For(format) is not { } container)
        {
            return null;
        }
        using var file = OpenRead(path);
        return container.Scan(file);
    }

    /// <summary>Unbuffered: the walk reads a few header bytes at a time and the copy brings its own pooled buffer.</summary>
    internal static FileStream OpenRead(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);

    /// <summary>Why <paramref name="xmp"/> cannot go into this format, or null when it can.</summary>
    public virtual string? CannotHold(byte[] xmp) => null;

    /// <summary>Writes the file again with the record in it; <paramref name="scan"/> is this file's, without a problem.</summary>
    public abstract void Write(Stream source, Stream destination, ContainerScan scan, ImageRecord record, byte[] xmp);

    /// <summary>Copies [from, to) of the source, leaving out the scan's replaced chunks, through one bounded buffer.</summary>
    protected static void Copy(Stream source, Stream destination, long from, long to, ContainerScan scan)
    {
        long at = from;
        foreach (var (offset, length) in scan.Replaced.OrderBy(r => r.Offset))
        {
            if (offset + length <= at || offset >= to)
            {
                continue;
            }
            CopyBytes(source, destination, at, offset);
            at = offset + length;
        }
        CopyBytes(source, destination, at, to);
    }

    private static void CopyBytes(Stream source, Stream destination, long from, long to)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(CopyBuffer);
        try
        {
            source.Position = from;
            for (long at = from; at < to;)
            {
                int read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, to - at));
                if (read == 0)
                {
                    throw new EndOfStreamException("The image ended while it was being copied.");
                }
                destination.Write(buffer, 0, read);
                at += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Exactly <paramref name="count"/> bytes at <paramref name="offset"/>, or fewer when the file ends first.</summary>
    protected static byte[] ReadAt(Stream file, long offset, int count)
    {
        var bytes = new byte[count];
        file.Position = offset;
        int read = ImageFormat.ReadAtMost(file, bytes, count);
        if (read < count)
        {
            Array.Resize(ref bytes, read);
        }
        return bytes;
    }

    protected static bool StartsWith(byte[] bytes, int offset, string ascii)
    {
        if (bytes.Length - offset < ascii.Length)
        {
            return false;
        }
        for (int i = 0; i < ascii.Length; i++)
        {
            if (bytes[offset + i] != ascii[i])
            {
                return false;
            }
        }
        return true;
    }

    protected static int IndexOf(byte[] bytes, int from, string ascii)
    {
        for (int i = from; i <= bytes.Length - ascii.Length; i++)
        {
            if (StartsWith(bytes, i, ascii))
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>A zlib stream (deflate with a two-byte header) inflated, up to the packet limit.</summary>
    protected static byte[] Inflate(byte[] data, int offset)
    {
        using var input = new MemoryStream(data, offset + 2, Math.Max(0, data.Length - offset - 2));
        using var inflater = new DeflateStream(input, CompressionMode.Decompress);
        using var output = new MemoryStream();
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = inflater.Read(buffer, 0, buffer.Length)) > 0)
        {
            if (output.Length + read > XmpRecord.MaxPacketChars)
            {
                throw new InvalidDataException("a compressed text chunk is too large");
            }
            output.Write(buffer, 0, read);
        }
        return output.ToArray();
    }

    protected static readonly Encoding Latin1 = Encoding.GetEncoding("ISO-8859-1");

    protected static readonly UTF8Encoding Utf8 = new(false);
}
