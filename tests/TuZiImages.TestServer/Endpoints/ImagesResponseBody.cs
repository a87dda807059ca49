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
}

/// <summary>
/// Writes <c>{"created":..,"data":[..]}</c> straight to a pipe, base64 in 64 KB slices: a 10 x 4 MB answer never
/// exists as one string, so the server's own allocations stay out of the client's memory benchmarks.
/// </summary>
internal sealed class ImagesResponseBody(long created, IReadOnlyList<ResponseItem> items, bool escapeSlashes)
{
    private const int InputSlice = 3 * 16 * 1024;
    private const int OutputSlice = 4 * 16 * 1024;

    /// <param name="stallMidBody">A pause after the first slice of the first image: only the real answer waits, never a measurement.</param>
    public async Task WriteAsync(PipeWriter writer, CancellationToken cancellation, TimeSpan stallMidBody = default)
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
                    for (int offset = 0; offset < item.Payload.Length; offset += InputSlice)
                    {
                        WriteBase64Slice(writer, item.Payload, offset);
                        await writer.FlushAsync(cancellation);
                        if (stallMidBody > TimeSpan.Zero && i == 0 && offset == 0 && item.Payload.Length > InputSlice)
                        {
                            await Task.Delay(stallMidBody, cancellation);
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

        WriteRaw(writer, "]}"u8);
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

    private void WriteBase64Slice(PipeWriter writer, byte[] payload, int offset)
    {
        ReadOnlySpan<byte> input = payload.AsSpan(offset, Math.Min(InputSlice, payload.Length - offset));
        byte[] encoded = ArrayPool<byte>.Shared.Rent(OutputSlice);
        try
        {
            Base64.EncodeToUtf8(input, encoded, out _, out int written);
            WriteEscapingSlashes(writer, encoded.AsSpan(0, written));
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
