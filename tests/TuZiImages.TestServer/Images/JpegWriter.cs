using System;
using System.IO;
using System.Linq;

namespace TuZiImages.TestServer.Images;

/// <summary>
/// Writes a real baseline JPEG of any size with the least machinery a decoder accepts: every 8x8 block is one flat
/// colour, so each block is only a DC coefficient plus an end-of-block code. Payload padding goes in COM segments,
/// which every decoder skips.
/// </summary>
internal static class JpegWriter
{
    private const int Quantizer = 8;
    private const int MaxSegmentData = 65533;

    // The standard luminance DC table of ITU T.81 Annex K (categories 0-11).
    private static readonly byte[] DcBits = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] DcValues = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

    // An AC table needs only the symbols the scan uses: end-of-block alone, as the one-bit code 0.
    private static readonly byte[] AcBits = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    private static readonly byte[] AcValues = [0x00];

    public static byte[] Create(PixelSize size, long payloadBytes)
    {
        var jpeg = new MemoryStream();
        jpeg.Write([0xFF, 0xD8]); // SOI
        jpeg.Write([0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]);
        WriteQuantizationTable(jpeg);
        WriteFrameHeader(jpeg, size);
        WriteHuffmanTables(jpeg);
        long paddingAt = jpeg.Position;
        WriteScan(jpeg, size);
        jpeg.Write([0xFF, 0xD9]); // EOI

        long padding = payloadBytes - jpeg.Length;
        return padding > 0 ? InsertComments(jpeg.ToArray(), (int)paddingAt, padding) : jpeg.ToArray();
    }

    private static void WriteQuantizationTable(Stream jpeg)
    {
        jpeg.Write([0xFF, 0xDB, 0x00, 67, 0x00]); // 8-bit table 0
        Span<byte> table = stackalloc byte[64];
        table.Fill(Quantizer);
        jpeg.Write(table);
    }

    private static void WriteFrameHeader(Stream jpeg, PixelSize size)
    {
        jpeg.Write([0xFF, 0xC0, 0x00, 17, 8, (byte)(size.Height >> 8), (byte)size.Height, (byte)(size.Width >> 8), (byte)size.Width, 3]);
        for (byte component = 1; component <= 3; component++)
        {
            jpeg.Write([component, 0x11, 0x00]); // no subsampling, quantization table 0
        }
    }

    private static void WriteHuffmanTables(Stream jpeg)
    {
        int length = 2 + (1 + 16 + DcValues.Length) + (1 + 16 + AcValues.Length);
        jpeg.Write([0xFF, 0xC4, (byte)(length >> 8), (byte)length]);
        jpeg.WriteByte(0x00); // DC table 0
        jpeg.Write(DcBits);
        jpeg.Write(DcValues);
        jpeg.WriteByte(0x10); // AC table 0
        jpeg.Write(AcBits);
        jpeg.Write(AcValues);
    }

    private static void WriteScan(Stream jpeg, PixelSize size)
    {
        jpeg.Write([0xFF, 0xDA, 0x00, 12, 3, 1, 0x00, 2, 0x00, 3, 0x00, 0, 63, 0]);

        (ushort Code, byte Length)[] dcCodes = CanonicalCodes(DcBits, DcValues);
        (ushort Code, byte Length) endOfBlock = CanonicalCodes(AcBits, AcValues)[0];
        var bits = new StuffingBitWriter(jpeg);
        Span<int> previous = stackalloc int[3];
        Span<int> dc = stackalloc int[3];
        int blocksWide = (size.Width + 7) / 8, blocksHigh = (size.Height + 7) / 8;
        for (int by = 0; by < blocksHigh; by++)
        {
            for (int bx = 0; bx < blocksWide; bx++)
            {
                BlockColour(bx, by, blocksWide, blocksHigh, dc);
                for (int c = 0; c < 3; c++)
                {
                    int diff = dc[c] - previous[c];
                    previous[c] = dc[c];
                    int category = diff == 0 ? 0 : 32 - int.LeadingZeroCount(Math.Abs(diff));
                    bits.Write(dcCodes[category].Code, dcCodes[category].Length);
                    if (category > 0)
                    {
                        bits.Write((uint)(diff >= 0 ? diff : diff + (1 << category) - 1), category);
                    }

                    bits.Write(endOfBlock.Code, endOfBlock.Length);
                }
            }
        }

        bits.Finish();
    }

    /// <summary>The quantized DC of each component: a flat block's DC is 8 x (sample - 128), divided by the quantizer.</summary>
    private static void BlockColour(int bx, int by, int blocksWide, int blocksHigh, Span<int> dc)
    {
        double red = blocksWide > 1 ? bx * 255.0 / (blocksWide - 1) : 128;
        double green = blocksHigh > 1 ? by * 255.0 / (blocksHigh - 1) : 128;
        double blue = 255 - (red + green) / 2;
        double y = (0.299 * red) + (0.587 * green) + (0.114 * blue);
        double cb = 128 - (0.168736 * red) - (0.331264 * green) + (0.5 * blue);
        double cr = 128 + (0.5 * red) - (0.418688 * green) - (0.081312 * blue);
        dc[0] = (int)Math.Round((y - 128) * 8 / Quantizer);
        dc[1] = (int)Math.Round((cb - 128) * 8 / Quantizer);
        dc[2] = (int)Math.Round((cr - 128) * 8 / Quantizer);
    }

    private static (ushort Code, byte Length)[] CanonicalCodes(byte[] bits, byte[] values)
    {
        var codes = new (ushort, byte)[values.Max() + 1];
        int code = 0, k = 0;
        for (int length = 1; length <= 16; length++)
        {
            for (int i = 0; i < bits[length - 1]; i++)
            {
                codes[values[k++]] = ((ushort)code, (byte)length);
                code++;
            }

            code <<= 1;
        }

        return codes;
    }

    private static byte[] InsertComments(byte[] jpeg, int at, long padding)
    {
        var padded = new MemoryStream(jpeg.Length + (int)padding + 64);
        padded.Write(jpeg, 0, at);
        var noise = new NoiseSource((ulong)padding);
        var data = new byte[MaxSegmentData];
        while (padding > 4)
        {
            int take = (int)Math.Min(MaxSegmentData, padding - 4);
            noise.Fill(data.AsSpan(0, take));
            int length = take + 2;
            padded.Write([0xFF, 0xFE, (byte)(length >> 8), (byte)length]);
            padded.Write(data, 0, take);
            padding -= take + 4;
        }

        padded.Write(jpeg, at, jpeg.Length - at);
        return padded.ToArray();
    }

    /// <summary>Packs Huffman codes most significant bit first, with the 0x00 byte after every 0xFF that T.81 requires.</summary>
    private sealed class StuffingBitWriter(Stream output)
    {
        private uint _buffer;
        private int _count;

        public void Write(uint value, int length)
        {
            for (int i = length - 1; i >= 0; i--)
            {
                _buffer = (_buffer << 1) | ((value >> i) & 1);
                if (++_count == 8)
                {
                    Emit();
                }
            }
        }

        /// <summary>Pads the last byte with one bits, as the standard asks.</summary>
        public void Finish()
        {
            while (_count != 0)
            {
                Write(1, 1);
            }
        }

        private void Emit()
        {
            byte b = (byte)_buffer;
            output.WriteByte(b);
            if (b == 0xFF)
            {
                output.WriteByte(0x00);
            }

            _buffer = 0;
            _count = 0;
        }
    }
}
