using System;
using System.Buffers.Binary;

namespace TuZiImages.TestServer.Images;

/// <summary>
/// Deterministic incompressible bytes (xorshift64*), fast enough for megabytes; payload images need data that
/// deflate cannot shrink, and the same request must give the same bytes so the image cache stays valid.
/// </summary>
internal struct NoiseSource(ulong seed)
{
    private ulong _state = seed == 0 ? 0x9E3779B97F4A7C15UL : seed;

    public void Fill(Span<byte> destination)
    {
        while (destination.Length >= 8)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(destination, Next());
            destination = destination[8..];
        }

        if (!destination.IsEmpty)
        {
            Span<byte> last = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(last, Next());
            last[..destination.Length].CopyTo(destination);
        }
    }

    private ulong Next()
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        return _state * 0x2545F4914F6CDD1DUL;
    }
}
