using System;
using System.Buffers;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.Core.Responses;

/// <summary>
/// A forward-only JSON reader over a stream that hands string values out in pieces. Utf8JsonReader needs a
/// whole token in memory, and a b64_json token is megabytes: here a 4K image flows from the socket to the
/// decoder in buffer-sized pieces. It reads only what the images API answers; anything it does not need is
/// skipped without being kept.
/// </summary>
internal sealed class StreamingJsonReader : IDisposable
{
    private const int MaxDepth = 64;
    private const int MaxScalarLength = 64;
    private readonly Stream _stream;
    private readonly CancellationToken _cancellationToken;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _endOfStream;

    public StreamingJsonReader(Stream stream, CancellationToken cancellationToken, int bufferSize = 64 * 1024)
    {
        _stream = stream;
        _cancellationToken = cancellationToken;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
    }

    /// <summary>Total bytes consumed, for error messages that say where the JSON went wrong.</summary>
    public long Position { get; private set; }

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = Array.Empty<byte>();
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Makes at least <paramref name="count"/> unread bytes available; false at the end of the stream.</summary>
    private async ValueTask<bool> EnsureAsync(int count)
    {
        while (_end - _start < count)
        {
            if (_endOfStream)
            {
                return false;
            }
            if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            int read = await _stream.ReadAsync(_buffer, _end, _buffer.Length - _end, _cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _endOfStream = true;
            }
            _end += read;
        }
        return true;
    }

    private void Advance(int count)
    {
        _start += count;
        Position += count;
    }

    /// <summary>The next significant byte, not consumed; -1 at the end of the stream.</summary>
    public async ValueTask<int> PeekAsync()
    {
        while (true)
        {
            if (!await EnsureAsync(1).ConfigureAwait(false))
            {
                return -1;
            }
            byte b = _buffer[_start];
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                Advance(1);
                continue;
            }
            // A byte order mark before the first value is tolerated, as most servers' clients do.
            if (b == 0xEF && Position == 0 && await EnsureAsync(3).ConfigureAwait(false)
                && _buffer[_start + 1] == 0xBB && _buffer[_start + 2] == 0xBF)
            {
                Advance(3);
                continue;
            }
            return b;
        }
    }

    public async ValueTask ExpectAsync(char expected)
    {
        int b = await PeekAsync().ConfigureAwait(false);
        if (b != expected)
        {
            throw Malformed($"expected '{expected}' but found {Describe(b)}");
        }
        Advance(1);
    }

    /// <summary>After a member or element: true if a comma followed (and was consumed), false at the closing bracket.</summary>
    public async ValueTask<bool> NextItemAsync(char closing)
    {
        int b = await PeekAsync().ConfigureAwait(false);
        if (b == ',')
        {
            Advance(1);
            return true;
        }
        if (b == closing)
        {
            Advance(1);
            return false;
        }
        throw Malformed($"expected ',' or '{closing}' but found {Describe(b)}");
    }

    /// <summary>Consumes the opening bracket and says whether the container is empty (closing bracket consumed too).</summary>
    public async ValueTask<bool> BeginContainerAsync(char opening, char closing)
    {
        await ExpectAsync(opening).ConfigureAwait(false);
        if (await PeekAsync().ConfigureAwait(false) == closing)
        {
            Advance(1);
            return false;
        }
        return true;
    }

    public async ValueTask<string> ReadPropertyNameAsync()
    {
        var sink = new TextSink(1024);
        await ReadStringAsync(sink).ConfigureAwait(false);
        await ExpectAsync(':').ConfigureAwait(false);
        return sink.ToString();
    }

    /// <summary>Reads a string value into the sink, unescaping as it goes, and completes the sink at its end.</summary>
    public async ValueTask ReadStringAsync(ByteSink sink)
    {
        await ExpectAsync('"').ConfigureAwait(false);
        while (true)
        {
            if (_end == _start && !await EnsureAsync(1).ConfigureAwait(false))
            {
                throw Malformed("the text ended inside a string");
            }
            if (ScanPlain(sink))
            {
                sink.Complete();
                return;
            }
            if (_end > _start && _buffer[_start] == (byte)'\\')
            {
                await ReadEscapeAsync(sink).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Passes on the unescaped run at the read position; true when the closing quote was consumed.</summary>
    private bool ScanPlain(ByteSink sink)
    {
        var span = new ReadOnlySpan<byte>(_buffer, _start, _end - _start);
        int stop = span.IndexOfAny((byte)'"', (byte)'\\');
        if (stop < 0)
        {
            sink.Write(span);
            Advance(span.Length);
            return false;
        }
        if (stop > 0)
        {
            sink.Write(span.Slice(0, stop));
        }
        Advance(stop);
        if (span[stop] == (byte)'"')
        {
            Advance(1);
            return true;
        }
        return false;
    }

    private async ValueTask ReadEscapeAsync(ByteSink sink)
    {
        if (!await EnsureAsync(2).ConfigureAwait(false))
        {
            throw Malformed("the text ended inside an escape");
        }
        byte kind = _buffer[_start + 1];
        byte single = kind switch
        {
            (byte)'"' => (byte)'"',
            (byte)'\\' => (byte)'\\',
            (byte)'/' => (byte)'/',
            (byte)'b' => 8,
            (byte)'f' => 12,
            (byte)'n' => (byte)'\n',
            (byte)'r' => (byte)'\r',
            (byte)'t' => (byte)'\t',
            _ => 0,
        };
        if (single != 0)
        {
            WriteByte(sink, single);
            Advance(2);
            return;
        }
        if (kind != (byte)'u' || !await EnsureAsync(6).ConfigureAwait(false))
        {
            throw Malformed("a string has an invalid escape");
        }
        int code = ParseHex(_start + 2);
        Advance(6);
        if (code >= 0xD800 && code <= 0xDBFF && await EnsureAsync(6).ConfigureAwait(false)
            && _buffer[_start] == (byte)'\\' && _buffer[_start + 1] == (byte)'u')
        {
            int low = ParseHex(_start + 2);
            if (low >= 0xDC00 && low <= 0xDFFF)
            {
                Advance(6);
                WriteUtf8(sink, char.ConvertFromUtf32(0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)));
                return;
            }
        }
        WriteUtf8(sink, ((char)code).ToString());
    }

    private int ParseHex(int offset)
    {
        int value = 0;
        for (int i = 0; i < 4; i++)
        {
            int c = _buffer[offset + i];
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (digit < 0)
            {
                throw Malformed("a \\u escape has a non-hex digit");
            }
            value = (value << 4) | digit;
        }
        return value;
    }

    private static void WriteByte(ByteSink sink, byte value)
    {
        Span<byte> one = stackalloc byte[1];
        one[0] = value;
        sink.Write(one);
    }

    private static void WriteUtf8(ByteSink sink, string text) => sink.Write(Encoding.UTF8.GetBytes(text));

    /// <summary>
    /// Reads a number, true, false or null and returns its text; null when it is too long to mean anything to
    /// the reader (a 400-digit number is valid JSON, so it is read past, not refused).
    /// </summary>
    public async ValueTask<string?> ReadScalarAsync()
    {
        int first = await PeekAsync().ConfigureAwait(false);
        if (first == '"' || first == '{' || first == '[' || first < 0)
        {
            throw Malformed($"expected a number or literal but found {Describe(first)}");
        }
        var text = new StringBuilder();
        bool tooLong = false;
        while (await EnsureAsync(1).ConfigureAwait(false))
        {
            byte b = _buffer[_start];
            bool partOfScalar = (b >= '0' && b <= '9') || (b >= 'a' && b <= 'z') || b == '-' || b == '+' || b == '.' || b == 'E';
            if (!partOfScalar)
            {
                break;
            }
            if (text.Length < MaxScalarLength)
            {
                text.Append((char)b);
            }
            else
            {
                tooLong = true;
            }
            Advance(1);
        }
        return tooLong ? null : text.ToString();
    }

    /// <summary>Skips any value, keeping none of it.</summary>
    public async ValueTask SkipValueAsync(int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw Malformed("the JSON nests too deeply");
        }
        int b = await PeekAsync().ConfigureAwait(false);
        switch (b)
        {
            case '"':
                await ReadStringAsync(DiscardSink.Instance).ConfigureAwait(false);
                return;
            case '{':
                if (await BeginContainerAsync('{', '}').ConfigureAwait(false))
                {
                    do
                    {
                        await ReadStringAsync(DiscardSink.Instance).ConfigureAwait(false);
                        await ExpectAsync(':').ConfigureAwait(false);
                        await SkipValueAsync(depth + 1).ConfigureAwait(false);
                    }
                    while (await NextItemAsync('}').ConfigureAwait(false));
                }
                return;
            case '[':
                if (await BeginContainerAsync('[', ']').ConfigureAwait(false))
                {
                    do
                    {
                        await SkipValueAsync(depth + 1).ConfigureAwait(false);
                    }
                    while (await NextItemAsync(']').ConfigureAwait(false));
                }
                return;
            default:
                await ReadScalarAsync().ConfigureAwait(false);
                return;
        }
    }

    public InvalidDataException Malformed(string what) => new($"The response is not valid JSON at byte {Position}: {what}.");

    private static string Describe(int b) => b < 0 ? "the end of the text" : b >= 32 && b < 127 ? $"'{(char)b}'" : $"byte 0x{b:X2}";
}
