using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;

namespace TuZiImages.TestServer.Images;

/// <summary>
/// Gives an image Content Credentials as gpt-image's carry them, in the place each format puts a C2PA manifest
/// store: a PNG caBX chunk, a JPEG APP11 segment, a WebP C2PA chunk. The store is dummy JUMBF (a jumb box whose
/// jumd label is "c2pa", no signature): what a client detects, not what a validator accepts.
/// </summary>
internal static class ContentCredentials
{
    private static readonly byte[] Store = BuildStore();

    /// <summary>The image with a manifest store inserted; a GIF (no C2PA place) as it was.</summary>
    public static byte[] Add(ImageFormat format, byte[] image, PixelSize size) => format switch
    {
        ImageFormat.Png => Insert(image, 33, PngChunk("caBX"u8, Store)),
        ImageFormat.Jpeg => Insert(image, 2, Segment()),
        ImageFormat.Webp => ExtendedWithStore(image, size),
        _ => image,
    };

    private static byte[] BuildStore()
    {
        byte[] label = [.. "c2pa"u8, .. new byte[12], 0x03, .. "c2pa"u8, 0];
        var store = new MemoryStream();
        Span<byte> word = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(word, 16 + label.Length);
        store.Write(word);
        store.Write("jumb"u8);
        BinaryPrimitives.WriteInt32BigEndian(word, 8 + label.Length);
        store.Write(word);
        store.Write("jumd"u8);
        store.Write(label);
        return store.ToArray();
    }

    private static byte[] PngChunk(ReadOnlySpan<byte> type, byte[] data)
    {
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteInt32BigEndian(chunk, data.Length);
        type.CopyTo(chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc32.Append(Crc32.Append(0, type), data));
        return chunk;
    }

    /// <summary>APP11: the JUMBF common identifier "JP", instance 1, sequence 1, then the box.</summary>
    private static byte[] Segment()
    {
        byte[] payload = [.. "JP"u8, 0, 1, 0, 0, 0, 1, .. Store];
        byte[] segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xEB;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(2 + payload.Length));
        payload.CopyTo(segment, 4);
        return segment;
    }

    /// <summary>The fake's WebP is a simple VP8L file: C2PA needs the extended layout, so a VP8X header goes first.</summary>
    private static byte[] ExtendedWithStore(byte[] webp, PixelSize size)
    {
        var body = new MemoryStream();
        body.Write("VP8X"u8);
        body.Write([10, 0, 0, 0, 0, 0, 0, 0]);
        Span<byte> edge = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(edge, size.Width - 1);
        body.Write(edge[..3]);
        BinaryPrimitives.WriteInt32LittleEndian(edge, size.Height - 1);
        body.Write(edge[..3]);
        body.Write(webp.AsSpan(12));
        body.Write("C2PA"u8);
        BinaryPrimitives.WriteInt32LittleEndian(edge, Store.Length);
        body.Write(edge);
        body.Write(Store);
        if (Store.Length % 2 == 1)
        {
            body.WriteByte(0);
        }

        var file = new byte[12 + body.Length];
        "RIFF"u8.CopyTo(file);
        BinaryPrimitives.WriteInt32LittleEndian(file.AsSpan(4), (int)(4 + body.Length));
        "WEBP"u8.CopyTo(file.AsSpan(8));
        body.GetBuffer().AsSpan(0, (int)body.Length).CopyTo(file.AsSpan(12));
        return file;
    }

    private static byte[] Insert(byte[] image, int at, byte[] inserted) => [.. image.Take(at), .. inserted, .. image.Skip(at)];
}
