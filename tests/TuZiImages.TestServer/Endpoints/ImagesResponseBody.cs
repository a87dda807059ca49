using System;
using System.Buffers;
using System.Buffers.Text;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Pipelines;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace TuZiImages.TestServer.Endpoints;

/// <summary>One element of <c>data</c>: an image field whose value is <see cref="Prefix"/> followed by the base64 of <see cref="Payload"/>.</summary>
internal sealed class ResponseItem
{
    /// <summary>"url" or "b64_json"; null leaves the item without image data.</summary>
    public string? Field { get; init; }

    /// <summary>Text before the base64: a whole http URL, "data:image/png;base64,", or nothing.</summary>
    public string Prefix { get; init; } = "";

    public byte[]? Payload { get; init; }

    public string? RevisedPrompt { get; init; }

    /// <summary>Break the base64 into lines this long (0: one line), separated by <see cref="LineBreak"/> (JSON text).</summary>
    public int LineLength { get; set; }

    public string LineBreak { get; set; } = "\\r\\n";

    /// <summary>Put a '*' in the middle of the base64.</summary>
    public bool Corrupt { get; set; }
}

/// <summary>
/// Writes <c>{"created":..,"data":[..]}</c> straight to a pipe, base64 in 64 KB slices: a 10 x 4 MB answer never
/// exists as one string, so the server's own allocations stay out of the client's memory benchmarks.
/// </summary>
internal sealed class ImagesResponseBody(long created, IReadOnlyList<ResponseItem> items, bool escapeSlashes)
{
    private const int InputSlice = 3 * 16 * 1024;
    private const int OutputSlice = 4 * 16 * 1024;

    /// <summary>Raw JSON members written after <c>data</c> (e.g. gpt-image's <c>"usage":{..},"size":".."</c>), without a leading comma.</summary>
    public string? TrailingJson { get; init; }

    /// <param name="midBody">Awaited after the first slice of the first image (a hold the test releases), when the image is longer than one slice.</param>
    public async Task WriteAsync(PipeWriter writer, CancellationToken cancellation, Func<Task>? midBody = null)
    {
        WriteRaw(writer, "{\"created\":"u8);
        WriteRaw(writer, Encoding.ASCII.GetBytes(created.ToString(CultureInfo.InvariantCulture)));
        WriteRaw(writer, ",\"data\":["u8);
        for (int i = 0; i < items.Count; i++)
        {
            ResponseItem item = items[i];
            WriteRaw(writer, i == 0 ? "{"u8 : ",{"u8);
            bool first = true;
            if (item.Field is not null)
            {
                WriteName(writer, item.Field, ref first);
                WriteRaw(writer, "\""u8);
                WriteText(writer, item.Prefix);
                if (item.Payload is not null)
                {
                    var layout = new Base64Layout(item);
                    for (int offset = 0; offset < item.Payload.Length; offset += InputSlice)
                    {
                        WriteBase64Slice(writer, item.Payload, offset, layout);
                        await writer.FlushAsync(cancellation);
                        if (midBody is not null && i == 0 && offset == 0 && item.Payload.Length > InputSlice)
                        {
                            await midBody();
                        }
                    }
                }

                WriteRaw(writer, "\""u8);
            }

            if (item.RevisedPrompt is not null)
            {
                WriteName(writer, "revised_prompt", ref first);
                WriteRaw(writer, "\""u8);
                WriteText(writer, item.RevisedPrompt);
                WriteRaw(writer, "\""u8);
            }

            WriteRaw(writer, "}"u8);
        }

        WriteRaw(writer, "]"u8);
        if (TrailingJson is not null)
        {
            WriteRaw(writer, ","u8);
            WriteRaw(writer, Encoding.UTF8.GetBytes(TrailingJson));
        }

        WriteRaw(writer, "}"u8);
        await writer.FlushAsync(cancellation);
    }

    /// <summary>The exact body length, found by writing it to nowhere; cheap next to sending it.</summary>
    public async Task<long> MeasureAsync(CancellationToken cancellation)
    {
        var counter = new CountingStream();
        PipeWriter writer = PipeWriter.Create(counter, new StreamPipeWriterOptions(leaveOpen: true));
        await WriteAsync(writer, cancellation);
        await writer.CompleteAsync();
        return counter.Length;
    }

    public async Task<byte[]> ToArrayAsync(CancellationToken cancellation)
    {
        using var buffer = new MemoryStream();
        PipeWriter writer = PipeWriter.Create(buffer, new StreamPipeWriterOptions(leaveOpen: true));
        await WriteAsync(writer, cancellation);
        await writer.CompleteAsync();
        return buffer.ToArray();
    }

    private static void WriteRaw(PipeWriter writer, ReadOnlySpan<byte> bytes) => writer.Write(bytes);

    private void WriteName(PipeWriter writer, string name, ref bool first)
    {
        WriteRaw(writer, first ? "\""u8 : ",\""u8);
        WriteText(writer, name);
        WriteRaw(writer, "\":"u8);
        first = false;
    }

    private void WriteText(PipeWriter writer, string text)
    {
        // Relaxed escaping: non-ASCII prompts come back as UTF-8, as the real service sends them.
        WriteEscapingSlashes(writer, JsonEncodedText.Encode(text, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes);
    }

    private void WriteBase64Slice(PipeWriter writer, byte[] payload, int offset, Base64Layout layout)
    {
        ReadOnlySpan<byte> input = payload.AsSpan(offset, Math.Min(InputSlice, payload.Length - offset));
        byte[] encoded = ArrayPool<byte>.Shared.Rent(OutputSlice);
        try
        {
            Base64.EncodeToUtf8(input, encoded, out _, out int written);
            if (layout.IsPlain)
            {
                WriteEscapingSlashes(writer, encoded.AsSpan(0, written));
            }
            else
            {
                layout.Write(encoded.AsSpan(0, written), text => WriteEscapingSlashes(writer, text), writer);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(encoded);
        }
    }

    private void WriteEscapingSlashes(PipeWriter writer, ReadOnlySpan<byte> text)
    {
        if (!escapeSlashes)
        {
            writer.Write(text);
            return;
        }

        int slash;
        while ((slash = text.IndexOf((byte)'/')) >= 0)
        {
            writer.Write(text[..slash]);
            writer.Write("\\/"u8);
            text = text[(slash + 1)..];
        }

        writer.Write(text);
    }

    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position
        {
            get => _length;
            set => throw new NotSupportedException();
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;

        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            _length += buffer.Length;
            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>Where one item's base64 gets line breaks or a bad character, counted across the slices it is written in.</summary>
internal sealed class Base64Layout(ResponseItem item)
{
    private readonly byte[] _lineBreak = Encoding.UTF8.GetBytes(item.LineBreak);
    private readonly long _corruptAt = item.Corrupt && item.Payload is { } payload ? (payload.Length + 2) / 3 * 4 / 2 : -1;
    private long _position;
    private int _column;
    private bool _corrupted;

    public bool IsPlain => item.LineLength <= 0 && _corruptAt < 0;

    public delegate void SpanWriter(ReadOnlySpan<byte> text);

    public void Write(ReadOnlySpan<byte> encoded, SpanWriter writeText, PipeWriter raw)
    {
        while (!encoded.IsEmpty)
        {
            int take = encoded.Length;
            if (item.LineLength > 0)
            {
                if (_column == item.LineLength)
                {
                    raw.Write(_lineBreak);
                    _column = 0;
                }
                take = Math.Min(take, item.LineLength - _column);
            }
            if (!_corrupted && _corruptAt >= 0 && _position + take > _corruptAt)
            {
                take = (int)(_corruptAt - _position);
                if (take == 0)
                {
                    raw.Write("*"u8);
                    _corrupted = true;
                    continue;
                }
            }
            writeText(encoded[..take]);
            encoded = encoded[take..];
            _position += take;
            _column += take;
        }
    }
}
