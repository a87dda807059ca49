using System;
using System.Text;

namespace TuZiImages.Core.Responses;

/// <summary>Receives a JSON string's unescaped UTF-8 bytes piece by piece, as they arrive.</summary>
internal abstract class ByteSink
{
    public abstract void Write(ReadOnlySpan<byte> bytes);

    /// <summary>The string has ended.</summary>
    public virtual void Complete()
    {
    }
}

/// <summary>Drops what it gets: skipping an unknown field costs no memory however large it is.</summary>
internal sealed class DiscardSink : ByteSink
{
    public static readonly DiscardSink Instance = new();

    public override void Write(ReadOnlySpan<byte> bytes)
    {
    }
}

/// <summary>Collects a short string, keeping at most a fixed number of bytes.</summary>
internal sealed class TextSink : ByteSink
{
    private readonly byte[] _buffer;
    private int _length;

    public TextSink(int maxBytes) => _buffer = new byte[maxBytes];

    public bool Truncated { get; private set; }

    public override void Write(ReadOnlySpan<byte> bytes)
    {
        int room = _buffer.Length - _length;
        if (bytes.Length > room)
        {
            Truncated = true;
            bytes = bytes.Slice(0, room);
        }
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    public override string ToString() => Encoding.UTF8.GetString(_buffer, 0, _length);
}
