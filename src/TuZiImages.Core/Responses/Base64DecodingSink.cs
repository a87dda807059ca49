using System;
using System.Buffers;
using System.Buffers.Text;
using System.IO;
using TuZiImages.Core.Imaging;

namespace TuZiImages.Core.Responses;

/// <summary>
/// Decodes base64 as it arrives and writes the bytes straight to a stream. Tolerates what real servers send:
/// line breaks and spaces inside the text, URL-safe letters, and missing padding. Behaves the same on every
/// runtime: it never hands whitespace to the framework's decoder.
/// </summary>
internal sealed class Base64DecodingSink : ByteSink, IDisposable
{
    private readonly Stream _output;
    private byte[] _decoded = ArrayPool<byte>.Shared.Rent(48 * 1024);
    private readonly byte[] _quad = new byte[4];
    private int _quadLength;
    private bool _sawPadding;
    private readonly byte[] _header = new byte[ImageFormat.SniffLength];

    public Base64DecodingSink(Stream output) => _output = output;

    public long BytesWritten { get; private set; }

    /// <summary>The first decoded bytes, enough to recognise the image type.</summary>
    public ReadOnlySpan<byte> Header => _header.AsSpan(0, (int)Math.Min(BytesWritten, _header.Length));

    public override void Write(ReadOnlySpan<byte> input)
    {
        // Whitespace is legal anywhere (MIME line breaks, "\n" escapes). It is stripped here, so the decoder
        // below only ever sees runs without it: Base64.DecodeFromUtf8 treats whitespace differently on .NET 8+
        // (skips it, and can report more consumed than it decoded) and on .NET Framework (System.Memory: invalid).
        while (!input.IsEmpty)
        {
            int space = input.IndexOfAny(Whitespace);
            if (space < 0)
            {
                WriteRun(input);
                return;
            }
            WriteRun(input.Slice(0, space));
            int next = space + 1;
            while (next < input.Length && IsWhitespace(input[next]))
            {
                next++;
            }
            input = input.Slice(next);
        }
    }

    private static ReadOnlySpan<byte> Whitespace => " \r\n\t"u8;

    private static bool IsWhitespace(byte c) => c is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t';

    /// <summary>Decodes a run of text that holds no whitespace.</summary>
    private void WriteRun(ReadOnlySpan<byte> input)
    {
        while (!input.IsEmpty)
        {
            if (_quadLength > 0 || _sawPadding)
            {
                input = FillQuad(input, stopAfterOneQuad: true);
                continue;
            }
            // Fast path: whole groups of four; the last four bytes are held back since they may carry padding.
            int usable = (input.Length - 4) & ~3;
            if (usable <= 0)
            {
                input = FillQuad(input);
                continue;
            }
            var status = Base64.DecodeFromUtf8(input.Slice(0, usable), _decoded, out int consumed, out int written, isFinalBlock: false);
            if (consumed % 4 != 0 || written != consumed / 4 * 3 || consumed > usable)
            {
                // Not what a decoder of whitespace-free text reports: trust none of it and take the slow way.
                FillQuad(input.Slice(0, usable));
                input = input.Slice(usable);
                continue;
            }
            Emit(written);
            input = input.Slice(consumed);
            if (status == OperationStatus.InvalidData || consumed == 0)
            {
                // URL-safe letters or padding ahead: take the next group the slow way.
                input = FillQuad(input, stopAfterOneQuad: true);
            }
        }
    }

    /// <summary>Feeds bytes one at a time into the pending group, decoding it when it is whole.</summary>
    private ReadOnlySpan<byte> FillQuad(ReadOnlySpan<byte> input, bool stopAfterOneQuad = false)
    {
        int i = 0;
        for (; i < input.Length; i++)
        {
            byte c = input[i];
            if (c is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t')
            {
                continue;
            }
            if (_sawPadding)
            {
                if (c == (byte)'=')
                {
                    continue;
                }
                throw new InvalidDataException("The base64 image data continues after its padding.");
            }
            c = c switch { (byte)'-' => (byte)'+', (byte)'_' => (byte)'/', _ => c };
            if (c == (byte)'=')
            {
                _sawPadding = true;
                continue;
            }
            if (!IsBase64Letter(c))
            {
                throw new InvalidDataException($"The base64 image data has an invalid character (byte 0x{c:X2}).");
            }
            _quad[_quadLength++] = c;
            if (_quadLength == 4)
            {
                DecodeQuad(4);
                if (stopAfterOneQuad)
                {
                    return input.Slice(i + 1);
                }
            }
        }
        return input.Slice(i);
    }

    private static bool IsBase64Letter(byte c) =>
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';

    /// <summary>
    /// Decodes the pending group of 2 to 4 letters by hand. The bits past the last whole byte are ignored, as
    /// Convert.FromBase64String does: the framework's decoder refuses "QUJ=" for them, which would throw away
    /// an image whose bytes are all there.
    /// </summary>
    private void DecodeQuad(int letters)
    {
        int bits = 0;
        for (int i = 0; i < letters; i++)
        {
            bits = (bits << 6) | SixBits(_quad[i]);
        }
        bits <<= 6 * (4 - letters);
        _decoded[0] = (byte)(bits >> 16);
        _decoded[1] = (byte)(bits >> 8);
        _decoded[2] = (byte)bits;
        Emit(letters - 1);
        _quadLength = 0;
    }

    private static int SixBits(byte c) => c switch
    {
        >= (byte)'A' and <= (byte)'Z' => c - 'A',
        >= (byte)'a' and <= (byte)'z' => c - 'a' + 26,
        >= (byte)'0' and <= (byte)'9' => c - '0' + 52,
        (byte)'+' => 62,
        _ => 63,
    };

    public override void Complete()
    {
        if (_quadLength == 1)
        {
            throw new InvalidDataException("The base64 image data ends with a stray character.");
        }
        if (_quadLength > 0)
        {
            // Missing padding is restored, as lenient decoders do.
            DecodeQuad(_quadLength);
        }
    }

    private void Emit(int count)
    {
        if (count == 0)
        {
            return;
        }
        if (BytesWritten < _header.Length)
        {
            int take = (int)Math.Min(count, _header.Length - BytesWritten);
            Array.Copy(_decoded, 0, _header, (int)BytesWritten, take);
        }
        try
        {
            _output.Write(_decoded, 0, count);
        }
        catch (IOException e)
        {
            // Told apart from a broken connection: the answer was fine, the disk was not.
            throw new TuZiImagesException(TuZiErrorKind.FileSystem, $"The image could not be written to disk: {e.Message}", e);
        }
        BytesWritten += count;
    }

    public void Dispose()
    {
        var decoded = _decoded;
        _decoded = Array.Empty<byte>();
        if (decoded.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(decoded);
        }
    }
}
