using System;

namespace TuZiImages.TestServer.Images;

/// <summary>Names an upload's real type from its first bytes, so tests can catch a client that labels a JPEG as image/png.</summary>
internal static class ContentSniffer
{
    /// <summary>How many leading bytes <see cref="Sniff"/> needs.</summary>
    public const int PrefixLength = 12;

    public static string Sniff(ReadOnlySpan<byte> prefix)
    {
        if (prefix.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return "image/png";
        }

        if (prefix.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "image/jpeg";
        }

        if (prefix.StartsWith("GIF87a"u8) || prefix.StartsWith("GIF89a"u8))
        {
            return "image/gif";
        }

        if (prefix.Length >= 12 && prefix.StartsWith("RIFF"u8) && prefix.Slice(8, 4).SequenceEqual("WEBP"u8))
        {
            return "image/webp";
        }

        if (prefix.StartsWith("BM"u8))
        {
            return "image/bmp";
        }

        return "application/octet-stream";
    }
}
