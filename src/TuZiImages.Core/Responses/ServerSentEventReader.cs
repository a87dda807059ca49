using System;
using System.Buffers;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.Core.Responses;

/// <summary>
/// Reads text/event-stream framing (the WHATWG server-sent events format) and hands out each event's data as a
/// stream of its own, so a data line that carries megabytes of base64 flows to its decoder in buffer-sized
/// pieces and is never held whole. Several data lines of one event are joined with a line feed, as the format says.
/// </summary>
internal sealed class ServerSentEventReader : IDisposable
{
    private const int MaxFieldNameBytes = 64;
    private const int MaxEventNameBytes = 256;

    private readonly Stream _body;
    private readonly CancellationToken _cancellationToken;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _endOfStream;
    private bool _inData;

    public ServerSentEventReader(Stream body, CancellationToken cancellationToken, int bufferSize = 64 * 1024)
    {
        _body = body;
        _cancellationToken = cancellationToken;
        _buffer = ArrayPool<byte>.Shared.Rent(bufferSize);
        Data = new DataStream(this);
    }

    /// <summary>The event field of the current event, when it came before its data; null otherwise.</summary>
    public string? EventName { get; private set; }

    /// <summary>The current event's data: ends where its data lines end.</summary>
    public Stream Data { get; }

    /// <summary>How many events have been started, for messages.</summary>
    public int EventCount { get; private set; }

    /// <summary>Moves to the start of the next event's data; false at the end of the stream.</summary>
    public async ValueTask<bool> NextEventAsync()
    {
        await SkipRestOfEventAsync().ConfigureAwait(false);
        EventName = null;
        while (true)
        {
            if (!await EnsureAsync(1).ConfigureAwait(false))
            {
                return false;
            }
            string? field = await ReadFieldNameAsync().ConfigureAwait(false);
            switch (field)
            {
                case null:
                    // A blank line: an event without data ends here and is not dispatched, as the format says.
                    EventName = null;
                    continue;
                case "data":
                    _inData = true;
                    EventCount++;
                    return true;
                case "event":
                    EventName = await ReadShortValueAsync(MaxEventNameBytes).ConfigureAwait(false);
                    continue;
                default:
                    // Comments (":" lines), id and retry: nothing here needs them.
                    await SkipLineAsync().ConfigureAwait(false);
                    continue;
            }
        }
    }

    /// <summary>Discards what is left of the current event: unread data and any fields up to its blank line.</summary>
    private async ValueTask SkipRestOfEventAsync()
    {
        if (!_inData)
        {
            return;
        }
        byte[] discard = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            while (await ReadDataAsync(discard, 0, discard.Length).ConfigureAwait(false) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(discard);
        }
        // The line after the data: more fields of this event, or the blank line that ends it.
        while (await EnsureAsync(1).ConfigureAwait(false))
        {
            string? field = await ReadFieldNameAsync().ConfigureAwait(false);
            if (field is null)
            {
                return;
            }
            await SkipLineAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads a line's field name and the colon and single space after it; null for a blank line (consumed).
    /// A comment line gives "" with the rest of the line left to skip.
    /// </summary>
    private async ValueTask<string?> ReadFieldNameAsync()
    {
        var name = new StringBuilder();
        while (await EnsureAsync(1).ConfigureAwait(false))
        {
            byte b = _buffer[_start];
            if (b == '\r')
            {
                Advance(1);
                continue;
            }
            if (b == '\n')
            {
                Advance(1);
                return name.Length == 0 ? null : name.ToString();
            }
            if (b == ':')
            {
                Advance(1);
                if (await EnsureAsync(1).ConfigureAwait(false) && _buffer[_start] == ' ')
                {
                    Advance(1);
                }
                return name.ToString();
            }
            if (name.Length >= MaxFieldNameBytes)
            {
                return "";
            }
            name.Append((char)b);
            Advance(1);
        }
        return name.Length == 0 ? null : name.ToString();
    }

    private async ValueTask<string> ReadShortValueAsync(int maxBytes)
    {
        var bytes = new System.Collections.Generic.List<byte>();
        while (await EnsureAsync(1).ConfigureAwait(false))
        {
            byte b = _buffer[_start];
            Advance(1);
            if (b == '\n')
            {
                break;
            }
            if (b != '\r' && bytes.Count < maxBytes)
            {
                bytes.Add(b);
            }
        }
        return Encoding.UTF8.GetString(bytes.ToArray());
    }

    private async ValueTask SkipLineAsync()
    {
        while (await EnsureAsync(1).ConfigureAwait(false))
        {
            int newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                Advance(newline - _start + 1);
                return;
            }
            Advance(_end - _start);
        }
    }

    /// <summary>The next bytes of the current event's data; 0 at its end. Carriage returns are dropped.</summary>
    private async ValueTask<int> ReadDataAsync(byte[] destination, int offset, int count)
    {
        int written = 0;
        while (_inData && written < count)
        {
            if (!await EnsureAsync(1).ConfigureAwait(false))
            {
                // The format dispatches an event only at its blank line: an event cut off here never arrived.
                throw new IOException($"The event stream ended in the middle of event {EventCount}.");
            }
            byte b = _buffer[_start];
            if (b == '\n')
            {
                if (written > 0)
                {
                    // Hand out what is here first: what follows the line may not have been sent yet.
                    break;
                }
                Advance(1);
                if (await StartsNextDataLineAsync().ConfigureAwait(false))
                {
                    destination[offset + written++] = (byte)'\n';
                    continue;
                }
                _inData = false;
                break;
            }
            int available = Math.Min(_end - _start, count - written);
            int stop = Array.IndexOf(_buffer, (byte)'\n', _start, available);
            int run = stop < 0 ? available : stop - _start;
            for (int i = 0; i < run; i++)
            {
                byte c = _buffer[_start + i];
                if (c != '\r')
                {
                    destination[offset + written++] = c;
                }
            }
            Advance(run);
            if (written > 0 && stop < 0)
            {
                break;
            }
        }
        return written;
    }

    /// <summary>Consumes "data:" (and one space) when the next line of the event is another data line.</summary>
    /// <remarks>
    /// Byte by byte, deciding at the first one that differs: the blank line that ends an event is all that
    /// may have arrived, and waiting for more would hold the event back until the next one came.
    /// </remarks>
    private async ValueTask<bool> StartsNextDataLineAsync()
    {
        const string prefix = "data:";
        for (int i = 0; i < prefix.Length; i++)
        {
            if (!await EnsureAsync(i + 1).ConfigureAwait(false) || _buffer[_start + i] != prefix[i])
            {
                return false;
            }
        }
        Advance(prefix.Length);
        if (await EnsureAsync(1).ConfigureAwait(false) && _buffer[_start] == ' ')
        {
            Advance(1);
        }
        return true;
    }

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
            int read = await _body.ReadAsync(_buffer, _end, _buffer.Length - _end, _cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                _endOfStream = true;
            }
            _end += read;
        }
        return true;
    }

    private void Advance(int count) => _start += count;

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = Array.Empty<byte>();
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The current event's data as a read-only stream, for <see cref="StreamingJsonReader"/>.</summary>
    private sealed class DataStream : Stream
    {
        private readonly ServerSentEventReader _events;

        public DataStream(ServerSentEventReader events) => _events = events;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            _events.ReadDataAsync(buffer, offset, count).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => _events.ReadDataAsync(buffer, offset, count).AsTask().GetAwaiter().GetResult();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
