using System;
using System.Buffers;
using System.Buffers.Text;
using System.IO;
using TuZiImages.Core.Imaging;

namespace TuZiImages.Core.Json;

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
                DecodeQuad(final: false);
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

    private void DecodeQuad(bool final)
    {
        var status = Base64.DecodeFromUtf8(_quad.AsSpan(0, 4), _decoded, out _, out int written, isFinalBlock: final);
        if (status != OperationStatus.Done)
        {
            throw new InvalidDataException("The base64 image data is not valid.");
        }
        Emit(written);
        _quadLength = 0;
    }

    public override void Complete()
    {
        if (_quadLength == 1)
        {
            throw new InvalidDataException("The base64 image data ends with a stray character.");
        }
        if (_quadLength > 0)
        {
            // Missing padding: restore it, as lenient decoders do.
            for (int i = _quadLength; i < 4; i++)
            {
                _quad[i] = (byte)'=';
            }
            _quadLength = 4;
            DecodeQuad(final: true);
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
