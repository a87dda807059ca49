using System.IO;

namespace TuZiImages.TestServer.Images;

/// <summary>Packs codes least significant bit first, the order both GIF's LZW and WebP's VP8L use.</summary>
internal sealed class LsbBitWriter(Stream output)
{
    private ulong _buffer;
    private int _count;

    public void Write(uint value, int length)
    {
        _buffer |= (ulong)(value & ((1u << length) - 1)) << _count;
        _count += length;
        while (_count >= 8)
        {
            output.WriteByte((byte)_buffer);
            _buffer >>= 8;
            _count -= 8;
        }
    }

    /// <summary>Writes the last partial byte, zero-padded.</summary>
    public void Flush()
    {
        if (_count > 0)
        {
            output.WriteByte((byte)_buffer);
            _buffer = 0;
            _count = 0;
        }
    }
}
